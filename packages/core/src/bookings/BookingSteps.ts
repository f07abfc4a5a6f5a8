/**
 * The steps the booking operations share: the org's settings, recording a change, who sees a
 * booking, handing freed time on, loading a booking for a change, and one state change in one
 * transaction.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, type Schema } from "effect"
import * as OrgSettings from "../identity/OrgSettings.ts"
import * as Audit from "../kernel/Audit.ts"
import { NotFound } from "../kernel/Errors.ts"
import type { OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { check, demand, type Expected } from "../kernel/Versioning.ts"
import * as FreedTime from "../ledger/FreedTime.ts"
import type { Booking } from "./Booking.ts"
import type { Deps } from "./BookingDeps.ts"
import * as Lifecycle from "./BookingLifecycle.ts"
import type { BookingChanges } from "./BookingRepos.ts"
import * as Rules from "./BookingRules.ts"

/**
 * @since 0.1.0
 * @category steps
 */
export const settingsOf = (deps: Deps, orgId: OrgId) => OrgSettings.settingsOf(deps.orgs, orgId)

/**
 * The change's audit event and outbox message (by default the booking's event payload).
 *
 * @since 0.1.0
 * @category steps
 */
export const record = (
  action: Audit.AuditAction,
  before: Booking | null,
  after: Booking,
  topic: string,
  payload: Schema.Json = Rules.eventPayload(after)
) =>
  Effect.andThen(
    Audit.record({ entityType: "booking", entityId: after.id, action, before, after }),
    Outbox.send({ orgId: after.orgId, topic, payload })
  )

/**
 * A booking the caller may see; any other is not found.
 *
 * @since 0.1.0
 * @category steps
 */
export const visible = (booking: Option.Option<Booking>, id: string) =>
  Effect.flatMap(Effect.service(CurrentActor), (actor) =>
    Option.isSome(booking) && Rules.canSee(booking.value, actor)
      ? Effect.succeed(booking.value)
      : Effect.fail(new NotFound({ entity: "booking", id }))
  )

/**
 * The freed time goes to the best waiting request, in the transaction that freed it.
 *
 * @since 0.1.0
 * @category steps
 */
export const free = (deps: Deps, booking: Booking) =>
  deps.freedTime.freed(booking.orgId, FreedTime.units(booking.items.map((item) => item.unitId)))

/**
 * Loads a booking for a change under its row lock: rights, then existence, then version.
 *
 * @since 0.1.0
 * @category steps
 */
export const forChange = Effect.fnUntraced(function* (
  deps: Deps,
  id: string,
  expectedVersion: Expected,
  rights: Rules.Rights
) {
  if (rights.kind === "permission") yield* Permissions.require(rights.permission)
  const actor = yield* CurrentActor
  const booking = yield* visible(yield* deps.bookings.find(actor.orgId, id, { forUpdate: true }), id)
  if (rights.kind === "ownOr" && booking.requesterId !== actor.accountId)
    yield* Permissions.require(rights.permission)
  yield* check("booking", id, booking.version, yield* demand("booking", expectedVersion))
  return booking
})

/**
 * One state change: lock, check rights and version, apply the lifecycle, write, record.
 *
 * @since 0.1.0
 * @category steps
 */
export const transition = <E, R>(
  deps: Deps,
  id: string,
  expectedVersion: Expected,
  action: Lifecycle.Action,
  rights: Rules.Rights,
  changes: (booking: Booking, at: DateTime.Utc) => Effect.Effect<BookingChanges, E, R>,
  after?: (before: Booking, after: Booking) => Effect.Effect<void, never, R>
) =>
  deps.transactor
    .withTransaction(
      Effect.gen(function* () {
        const before = yield* forChange(deps, id, expectedVersion, rights)
        const status = yield* Lifecycle.apply(before.status, action)
        const extra = yield* changes(before, yield* DateTime.now)
        const updated = yield* deps.bookings.update(before.orgId, id, { ...extra, status })
        if (!Lifecycle.isActive(status)) {
          yield* deps.ledger.release(before.orgId, Rules.sourceOf(id))
          yield* free(deps, before)
        }
        if (after !== undefined) yield* after(before, updated)
        yield* record("STATUS_CHANGE", before, updated, `booking.${status.toLowerCase()}`)
        return updated
      })
    )
    .pipe(Effect.provide(deps.context))
