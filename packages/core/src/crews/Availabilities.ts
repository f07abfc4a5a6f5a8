/**
 * The availability use case: people submit, change and withdraw windows of their own; managers
 * see everyone's and approve or reject them. A changed window waits for a decision again.
 * Approved leave (an `UNAVAILABLE` window) claims its person's time on the ledger, so no
 * intervention, assignment or other claim can be scheduled over it, and `/v1/conflicts` shows
 * it; approving leave over work already scheduled is a `Conflict` naming that work's time.
 * Those who decide windows may also enter one for another member of the organisation.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option } from "effect"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as Catalog from "../kernel/Catalog.ts"
import {
  type Conflict,
  Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  type ValidationFailed
} from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
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

/** Deciding windows, and seeing everyone's. */
const approve: Permissions.Permission = "availability.approve"

type WriteError = Forbidden | NotFound | PreconditionRequired | PreconditionFailed

/**
 * @since 0.1.0
 * @category services
 */
export class Availabilities extends Context.Service<
  Availabilities,
  {
    /** Everyone's windows to managers; to everyone else, their own. */
    readonly list: (
      query: ListQuery<AvailabilityFilters, AvailabilitySort>
    ) => Effect.Effect<Page<Availability>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Availability, Forbidden | NotFound, CurrentActor>
    /**
     * A window pending a manager's decision: the caller's own, or, for a manager, that of the
     * member named by `accountId`.
     */
    readonly submit: (
      fields: AvailabilitySubmission
    ) => Effect.Effect<Availability, Forbidden | NotFound | ValidationFailed, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<AvailabilityFields>
    ) => Effect.Effect<Availability, WriteError | ValidationFailed, CurrentActor>
    readonly remove: (id: string, expectedVersion: Expected) => Effect.Effect<void, WriteError, CurrentActor>
    readonly decide: (
      id: string,
      expectedVersion: Expected,
      decision: "APPROVED" | "REJECTED"
    ) => Effect.Effect<Availability, WriteError | InvalidTransition | Conflict, CurrentActor>
  }
>()("@rota/core/crews/Availabilities") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Availabilities,
  never,
  AvailabilityRepo | MembershipRepo | Transactor | Ledger | AuditLog | Outbox | Ids
> = Layer.effect(
  Availabilities,
  Effect.gen(function* () {
    const windows = yield* AvailabilityRepo
    const catalog = yield* Catalog.make({
      entity: "availability",
      records: windows,
      access: availabilityAccess
    })
    const ids = yield* Effect.context<Ids>()
    const ledger = yield* Ledger
    const transactor = yield* Transactor
    const memberships = yield* MembershipRepo

    const leaveOf = (window: { readonly id: string }): Source => ({ type: "leave", id: window.id })

    const approves = Effect.map(Effect.service(CurrentActor), (actor) => Permissions.allows(actor, approve))

    // Someone else's window is, to a non-manager, a window that does not exist.
    const visible = Effect.fn("Availabilities.get")(function* (id: string) {
      const window = yield* catalog.get(id)
      const actor = yield* CurrentActor
      if (window.accountId !== actor.accountId && !(yield* approves)) {
        return yield* new NotFound({ entity: "availability", id })
      }
      return window
    })

    // Whose window a submission is: one's own, or a member's named by someone who decides windows.
    const ownerOf = Effect.fn("Availabilities.ownerOf")(function* (fields: AvailabilitySubmission) {
      const actor = yield* CurrentActor
      if (fields.accountId === undefined || fields.accountId === actor.accountId) return actor.accountId
      if (!(yield* approves)) return yield* new Forbidden({ permission: approve })
      const member = yield* memberships.find(actor.orgId, fields.accountId)
      if (Option.isNone(member)) return yield* new NotFound({ entity: "member", id: fields.accountId })
      return fields.accountId
    })

    return Availabilities.of({
      list: Effect.fn("Availabilities.list")(function* (query) {
        const actor = yield* CurrentActor
        const own = !(yield* approves)
        return yield* catalog.list(
          own ? { ...query, filters: { ...query.filters, accountId: actor.accountId } } : query
        )
      }),
      get: visible,
      submit: Effect.fn("Availabilities.submit")(function* (fields) {
        const accountId = yield* ownerOf(fields)
        return yield* catalog
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
            Effect.provide(ids)
          )
      }),
      update: Effect.fn("Availabilities.update")(function* (id, expectedVersion, changes) {
        yield* visible(id)
        return yield* catalog
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
              ? Effect.as(ledger.release(before.orgId, leaveOf(before)), {
                  ...changes,
                  status: "PENDING" as const
                })
              : Effect.succeed(changes)
          })
          .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
      }),
      remove: Effect.fn("Availabilities.remove")(function* (id, expectedVersion) {
        yield* visible(id)
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            yield* catalog.remove(id, expectedVersion)
            const actor = yield* CurrentActor
            yield* ledger.release(actor.orgId, leaveOf({ id }))
          })
        )
      }),
      decide: Effect.fn("Availabilities.decide")(function* (id, expectedVersion, decision) {
        yield* Permissions.require(approve)
        return yield* catalog
          .update(id, expectedVersion, (before) =>
            Effect.gen(function* () {
              yield* checkTransition(before.status, decision)
              if (decision === "APPROVED" && before.kind === "UNAVAILABLE")
                yield* ledger
                  .claim(before.orgId, [
                    {
                      subject: { type: "person", id: before.accountId },
                      interval: { startAt: before.startAt, endAt: before.endAt },
                      source: leaveOf(before)
                    }
                  ])
                  .pipe(Effect.provide(ids))
              return { status: decision }
            })
          )
          .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
      })
    })
  })
)
