/**
 * The availability use case: people submit, change and withdraw windows of their own; managers
 * see everyone's and approve or reject them. A changed window waits for a decision again.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../AuditLog.ts"
import * as Catalog from "../Catalog.ts"
import {
  type Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  type ValidationFailed
} from "../Errors.ts"
import { type Ids, nextId } from "../Ids.ts"
import * as Permissions from "../identity/Permissions.ts"
import type { Outbox } from "../Outbox.ts"
import type { Page } from "../Pagination.ts"
import type { ListQuery } from "../Records.ts"
import { CurrentActor } from "../RequestContext.ts"
import type { Transactor } from "../Transactor.ts"
import type { Expected } from "../Versioning.ts"
import { availabilityAccess } from "./Access.ts"
import {
  Availability,
  type AvailabilityFields,
  type AvailabilityFilters,
  AvailabilityId,
  type AvailabilitySort,
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
    /** A window of the caller's own, pending a manager's decision. */
    readonly submit: (
      fields: AvailabilityFields
    ) => Effect.Effect<Availability, Forbidden | ValidationFailed, CurrentActor>
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
    ) => Effect.Effect<Availability, WriteError | InvalidTransition, CurrentActor>
  }
>()("@rota/core/crews/Availabilities") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Availabilities,
  never,
  AvailabilityRepo | Transactor | AuditLog | Outbox | Ids
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

    const approves = Effect.map(Effect.service(CurrentActor), (actor) =>
      Permissions.allows(actor.role, approve)
    )

    // Someone else's window is, to a non-manager, a window that does not exist.
    const visible = (id: string) =>
      Effect.gen(function* () {
        const window = yield* catalog.get(id)
        const actor = yield* CurrentActor
        if (window.accountId !== actor.accountId && !(yield* approves)) {
          return yield* new NotFound({ entity: "availability", id })
        }
        return window
      })

    return Availabilities.of({
      list: (query) =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const own = !(yield* approves)
          return yield* catalog.list(
            own ? { ...query, filters: { ...query.filters, accountId: actor.accountId } } : query
          )
        }),
      get: visible,
      submit: (fields) =>
        catalog
          .create(({ orgId, at }) =>
            Effect.gen(function* () {
              const invalid = checkPeriod(fields.startAt, fields.endAt)
              if (invalid !== undefined) return yield* invalid
              return new Availability({
                id: yield* nextId(AvailabilityId),
                orgId,
                accountId: (yield* CurrentActor).accountId,
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
          ),
      update: (id, expectedVersion, changes) =>
        Effect.gen(function* () {
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
              // A decision was about the window as it was.
              return Effect.succeed(moved ? { ...changes, status: "PENDING" as const } : changes)
            })
            .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
        }),
      remove: (id, expectedVersion) => Effect.andThen(visible(id), catalog.remove(id, expectedVersion)),
      decide: (id, expectedVersion, decision) =>
        Effect.gen(function* () {
          yield* Permissions.require(approve)
          return yield* catalog
            .update(id, expectedVersion, (before) =>
              Effect.as(checkTransition(before.status, decision), { status: decision })
            )
            .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
        })
    })
  })
)
