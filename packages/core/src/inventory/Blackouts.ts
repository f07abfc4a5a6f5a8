/**
 * The blackouts use case: closures set by managers on a unit, a resource or a site. Creating one
 * claims its units' time on the ledger in the transaction that records it; a blackout over
 * existing claims (bookings, interventions...) is refused with the list of clashes, so nothing
 * already promised is silently taken back. Deleting one frees the time, which goes to the
 * waitlist like any freed time.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import type * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import {
  type Conflict,
  type Forbidden,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import { type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { demand, type Expected } from "../kernel/Versioning.ts"
import * as FreedTime from "../ledger/FreedTime.ts"
import { Ledger, type Source } from "../ledger/Ledger.ts"
import {
  Blackout,
  type BlackoutFilters,
  BlackoutId,
  type BlackoutSort,
  type NewBlackout
} from "./Blackout.ts"
import { BlackoutRepo } from "./BlackoutRepo.ts"
import { ResourceRepo, SiteRepo, UnitRepo, unitsOf } from "./InventoryRepos.ts"
import type { ResourceId } from "./Resource.ts"
import type { UnitId } from "./ResourceUnit.ts"
import type { SiteId } from "./Site.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Blackouts extends Context.Service<
  Blackouts,
  {
    /** Refused with `Conflict` when any of its units is claimed during the interval. */
    readonly create: (
      input: NewBlackout
    ) => Effect.Effect<Blackout, Forbidden | NotFound | ValidationFailed | Conflict, CurrentActor>
    readonly list: (
      query: ListQuery<BlackoutFilters, BlackoutSort>
    ) => Effect.Effect<Page<Blackout>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Blackout, Forbidden | NotFound, CurrentActor>
    readonly remove: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<
      Blackout,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed,
      CurrentActor
    >
  }
>()("@rota/core/inventory/Blackouts") {}

const sourceOf = (id: string): Source => ({ type: "blackout", id })

const invalid = (field: string, message: string) =>
  new ValidationFailed({ errors: [{ path: ["body", field], message }] })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Blackouts,
  never,
  | BlackoutRepo
  | UnitRepo
  | ResourceRepo
  | SiteRepo
  | Ledger
  | FreedTime.FreedTime
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Blackouts,
  Effect.gen(function* () {
    const blackouts = yield* BlackoutRepo
    const units = yield* UnitRepo
    const resources = yield* ResourceRepo
    const sites = yield* SiteRepo
    const ledger = yield* Ledger
    const freedTime = yield* FreedTime.FreedTime
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const record = (action: Audit.AuditAction, before: Blackout | null, after: Blackout, topic: string) =>
      ChangeRecord.record(
        { entityType: "blackout", entityId: after.id, action, before, after },
        { orgId: after.orgId, topic, payload: payloadOf(after) }
      )

    const resourceUnits = (orgId: OrgId, resourceId: ResourceId) =>
      Effect.map(unitsOf(units, orgId, resourceId), (all) => all.map((unit) => unit.id))

    // Every live resource of the site, page by page; a site may hold more than a page.
    const siteUnits = Effect.fnUntraced(function* (orgId: OrgId, siteId: SiteId) {
      const out: Array<UnitId> = []
      let cursor: string | undefined
      do {
        const page = yield* Effect.orDie(
          resources.list(orgId, {
            limit: 100,
            cursor,
            filters: { siteId },
            sort: { field: "name", direction: "asc" }
          })
        )
        for (const resource of page.items) out.push(...(yield* resourceUnits(orgId, resource.id)))
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
      return out
    })

    const unitsIn = Effect.fnUntraced(function* (orgId: OrgId, input: NewBlackout) {
      const missing = new NotFound({ entity: input.scope, id: input.scopeId })
      if (input.scope === "unit") {
        const unit = yield* units.find(orgId, input.scopeId)
        return Option.isSome(unit) ? [unit.value.id] : yield* missing
      }
      if (input.scope === "resource") {
        const resource = yield* resources.find(orgId, input.scopeId)
        return Option.isSome(resource) ? yield* resourceUnits(orgId, resource.value.id) : yield* missing
      }
      const site = yield* sites.find(orgId, input.scopeId)
      return Option.isSome(site) ? yield* siteUnits(orgId, site.value.id) : yield* missing
    })

    const create = Effect.fn("Blackouts.create")(function* (input: NewBlackout) {
      yield* Permissions.require("inventory.write")
      const actor = yield* CurrentActor
      const now = yield* DateTime.now
      if (!DateTime.isGreaterThan(input.endAt, input.startAt))
        return yield* invalid("endAt", "must be after startAt")
      if (!DateTime.isGreaterThan(input.endAt, now)) return yield* invalid("endAt", "must be in the future")
      return yield* transactor.withTransaction(
        Effect.gen(function* () {
          const unitIds = yield* unitsIn(actor.orgId, input)
          const id = yield* nextId(BlackoutId)
          const interval = { startAt: input.startAt, endAt: input.endAt }
          yield* ledger.claim(
            actor.orgId,
            unitIds.map((unitId) => ({
              subject: { type: "unit", id: unitId },
              interval,
              source: sourceOf(id)
            }))
          )
          const blackout = yield* Effect.orDie(
            blackouts.insert(
              new Blackout({
                id,
                orgId: actor.orgId,
                scope: input.scope,
                scopeId: input.scopeId,
                ...interval,
                reason: input.reason,
                unitIds,
                createdBy: actor.accountId,
                version: 1,
                createdAt: now,
                deletedAt: null
              })
            )
          )
          yield* record("CREATE", null, blackout, "blackout.created")
          return blackout
        })
      )
    }, Effect.provide(context))

    const list = Effect.fn("Blackouts.list")(function* (query: ListQuery<BlackoutFilters, BlackoutSort>) {
      yield* Permissions.require("inventory.read")
      const actor = yield* CurrentActor
      return yield* blackouts.list(actor.orgId, { ...query, includeDeleted: false })
    })

    const get = Effect.fn("Blackouts.get")(function* (id: string) {
      yield* Permissions.require("inventory.read")
      const actor = yield* CurrentActor
      const found = yield* blackouts.find(actor.orgId, id)
      return Option.isSome(found) ? found.value : yield* new NotFound({ entity: "blackout", id })
    })

    const remove = Effect.fn("Blackouts.remove")(function* (id: string, expectedVersion: Expected) {
      yield* Permissions.require("inventory.write")
      const actor = yield* CurrentActor
      return yield* transactor.withTransaction(
        Effect.gen(function* () {
          const before = yield* blackouts.find(actor.orgId, id, { forUpdate: true })
          if (Option.isNone(before)) return yield* new NotFound({ entity: "blackout", id })
          const version = yield* demand("blackout", expectedVersion)
          const after = yield* blackouts.softDelete(
            actor.orgId,
            id,
            version,
            DateTime.toDateUtc(yield* DateTime.now)
          )
          yield* ledger.release(actor.orgId, sourceOf(id))
          // The reopened time goes to the best waiting request, in this transaction.
          yield* freedTime.freed(actor.orgId, FreedTime.units(before.value.unitIds))
          yield* record("SOFT_DELETE", before.value, after, "blackout.deleted")
          return after
        })
      )
    }, Effect.provide(context))

    return Blackouts.of({ create, list, get, remove })
  })
)

const payloadOf = (blackout: Blackout) => ({
  id: blackout.id,
  scope: blackout.scope,
  scopeId: blackout.scopeId,
  startAt: DateTime.formatIso(blackout.startAt),
  endAt: DateTime.formatIso(blackout.endAt),
  reason: blackout.reason,
  unitIds: [...blackout.unitIds]
})
