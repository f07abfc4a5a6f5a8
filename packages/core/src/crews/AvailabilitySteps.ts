/**
 * The steps of the availability use case: what it works with, who sees and owns a window, and
 * the writes, with approved leave claiming (and a change or removal giving back) its person's
 * time on the ledger.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import * as Catalog from "../kernel/Catalog.ts"
import { Forbidden, NotFound } from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { Ledger, type Source } from "../ledger/Ledger.ts"
import { availabilityAccess } from "./Access.ts"
import {
  Availability,
  type AvailabilityFields,
  type AvailabilityFilters,
  AvailabilityId,
  type AvailabilitySort,
  type AvailabilitySubmission,
  checkTransition
} from "./Availability.ts"
import { AvailabilityRepo } from "./CrewRepos.ts"
import { checkPeriod } from "./CrewTime.ts"

/**
 * Deciding windows, and seeing everyone's.
 *
 * @since 0.1.0
 * @category rules
 */
export const approve: Permissions.Permission = "availability.approve"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const windows = yield* AvailabilityRepo
  return {
    windows,
    catalog: yield* Catalog.make({ entity: "availability", records: windows, access: availabilityAccess }),
    ids: yield* Effect.context<Ids>(),
    ledger: yield* Ledger,
    transactor: yield* Transactor,
    memberships: yield* MembershipRepo
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

/** What reads a window the caller may see, as the service's `get`. */
type Visible = (id: string) => Effect.Effect<Availability, Forbidden | NotFound, CurrentActor>

const leaveOf = (window: { readonly id: string }): Source => ({ type: "leave", id: window.id })

const approves = Effect.map(Effect.service(CurrentActor), (actor) => Permissions.allows(actor, approve))

/**
 * Someone else's window is, to a non-manager, a window that does not exist.
 *
 * @since 0.1.0
 * @category steps
 */
export const visible = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    const window = yield* deps.catalog.get(id)
    const actor = yield* CurrentActor
    if (window.accountId !== actor.accountId && !(yield* approves)) {
      return yield* new NotFound({ entity: "availability", id })
    }
    return window
  })

// Whose window a submission is: one's own, or a member's named by someone who decides windows.
const ownerOf = Effect.fn("Availabilities.ownerOf")(function* (deps: Deps, fields: AvailabilitySubmission) {
  const actor = yield* CurrentActor
  if (fields.accountId === undefined || fields.accountId === actor.accountId) return actor.accountId
  if (!(yield* approves)) return yield* new Forbidden({ permission: approve })
  const member = yield* deps.memberships.find(actor.orgId, fields.accountId)
  if (Option.isNone(member)) return yield* new NotFound({ entity: "member", id: fields.accountId })
  return fields.accountId
})

/**
 * Everyone's windows to managers; to everyone else, their own (another account is `Forbidden`).
 *
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (query: ListQuery<AvailabilityFilters, AvailabilitySort>) {
    const actor = yield* CurrentActor
    const accountId = yield* Permissions.accountFilter(actor, approve, query.filters.accountId)
    return yield* deps.catalog.list({ ...query, filters: { ...query.filters, accountId } })
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const submit = (deps: Deps) =>
  Effect.fnUntraced(function* (fields: AvailabilitySubmission) {
    const accountId = yield* ownerOf(deps, fields)
    return yield* deps.catalog
      .create(({ orgId, at }) =>
        Effect.gen(function* () {
          const invalid = checkPeriod(fields.startAt, fields.endAt)
          if (invalid !== undefined) return yield* invalid
          return new Availability({
            id: yield* nextId(AvailabilityId),
            orgId,
            accountId,
            kind: fields.kind,
            startAt: fields.startAt,
            endAt: fields.endAt,
            status: "PENDING",
            note: fields.note ?? null,
            version: 1,
            createdAt: at,
            deletedAt: null
          })
        })
      )
      // Windows have no unique fields.
      .pipe(
        Effect.catchTag("AlreadyExists", (error) => Effect.die(error)),
        Effect.provide(deps.ids)
      )
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const update = (deps: Deps, get: Visible) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected, changes: Partial<AvailabilityFields>) {
    yield* get(id)
    return yield* deps.catalog
      .update(id, expectedVersion, (before) => {
        const startAt = changes.startAt ?? before.startAt
        const endAt = changes.endAt ?? before.endAt
        const invalid = checkPeriod(startAt, endAt)
        if (invalid !== undefined) return Effect.fail(invalid)
        const moved =
          (changes.kind !== undefined && changes.kind !== before.kind) ||
          startAt.epochMilliseconds !== before.startAt.epochMilliseconds ||
          endAt.epochMilliseconds !== before.endAt.epochMilliseconds
        // A decision was about the window as it was; approved leave gives its time back.
        return moved
          ? Effect.as(deps.ledger.release(before.orgId, leaveOf(before)), {
              ...changes,
              status: "PENDING" as const
            })
          : Effect.succeed(changes)
      })
      .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const remove = (deps: Deps, get: Visible) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* get(id)
    yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        yield* deps.catalog.remove(id, expectedVersion)
        const actor = yield* CurrentActor
        yield* deps.ledger.release(actor.orgId, leaveOf({ id }))
      })
    )
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const decide = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected, decision: "APPROVED" | "REJECTED") {
    yield* Permissions.require(approve)
    return yield* deps.catalog
      .update(id, expectedVersion, (before) =>
        Effect.gen(function* () {
          yield* checkTransition(before.status, decision)
          if (decision === "APPROVED" && before.kind === "UNAVAILABLE")
            yield* deps.ledger
              .claim(before.orgId, [
                {
                  subject: { type: "person", id: before.accountId },
                  interval: { startAt: before.startAt, endAt: before.endAt },
                  source: leaveOf(before)
                }
              ])
              .pipe(Effect.provide(deps.ids))
          return { status: decision }
        })
      )
      .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
  })
