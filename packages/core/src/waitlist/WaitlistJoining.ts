/**
 * Joining the waitlist when nothing is free: refused while a unit is free for the whole
 * interval; scored at creation as the ranking scores.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { ValidationFailed } from "../kernel/Errors.ts"
import { nextId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Interval } from "../ledger/Interval.ts"
import * as Priority from "./Priority.ts"
import type { Deps } from "./WaitlistDeps.ts"
import { WaitlistEntry, WaitlistEntryId } from "./WaitlistEntry.ts"
import { type Join, UnitAvailable } from "./WaitlistInput.ts"

const newEntry = Effect.fnUntraced(function* (input: Join, at: number) {
  const actor = yield* CurrentActor
  return new WaitlistEntry({
    id: yield* nextId(WaitlistEntryId),
    orgId: actor.orgId,
    requesterId: actor.accountId,
    resourceId: input.resourceId,
    startAt: input.startAt,
    endAt: input.endAt,
    purpose: input.purpose,
    priorityScore: 0,
    status: "WAITING",
    offeredUnitId: null,
    offerStartAt: null,
    offerEndAt: null,
    offerExpiresAt: null,
    bookingId: null,
    version: 1,
    createdAt: DateTime.makeUnsafe(at)
  })
})

/**
 * @since 0.1.0
 * @category steps
 */
export const join = (deps: Deps) => (input: Join) =>
  Effect.gen(function* () {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    const window: Interval = { startAt: input.startAt, endAt: input.endAt }
    if (DateTime.toEpochMillis(input.endAt) <= DateTime.toEpochMillis(input.startAt))
      return yield* new ValidationFailed({
        errors: [{ path: ["body", "endAt"], message: "must be after startAt" }]
      })
    if (DateTime.toEpochMillis(input.startAt) <= (yield* Clock.currentTimeMillis))
      return yield* new ValidationFailed({
        errors: [{ path: ["body", "startAt"], message: "must be in the future" }]
      })
    const availability = yield* deps.bookings.availability(input.resourceId, window)
    if (availability.freeUnitIds.length > 0)
      return yield* new UnitAvailable({ unitIds: availability.freeUnitIds })
    const settings = yield* deps.settingsOf(actor.orgId)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const at = yield* Clock.currentTimeMillis
        const entry = yield* deps.repo.insert(yield* newEntry(input, at))
        // The score at creation, counted as the ranking counts.
        const parts = yield* deps.repo.scoreOf(
          actor.orgId,
          entry.id,
          settings.priorityWeights,
          DateTime.makeUnsafe(at)
        )
        const stored = yield* deps.repo.update(actor.orgId, entry.id, {
          priorityScore: Option.match(parts, { onNone: () => 0, onSome: Priority.total })
        })
        yield* Audit.record({
          entityType: "waitlist_entry",
          entityId: entry.id,
          action: "CREATE",
          after: stored
        })
        return stored
      })
    )
  }).pipe(Effect.provide(deps.context))
