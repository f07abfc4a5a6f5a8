/**
 * The steps of the blackouts use case: what it works with, the units a blackout covers (a unit,
 * every unit of a resource, or every unit of a site's resources), and the writes, each with its
 * audit event and message in one transaction.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { NotFound, ValidationFailed } from "../kernel/Errors.ts"
import { type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
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
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    blackouts: yield* BlackoutRepo,
    units: yield* UnitRepo,
    resources: yield* ResourceRepo,
    sites: yield* SiteRepo,
    ledger: yield* Ledger,
    freedTime: yield* FreedTime.FreedTime,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

const sourceOf = (id: string): Source => ({ type: "blackout", id })

const invalid = (field: string, message: string) =>
  new ValidationFailed({ errors: [{ path: ["body", field], message }] })

const payloadOf = (blackout: Blackout) => ({
  id: blackout.id,
  scope: blackout.scope,
  scopeId: blackout.scopeId,
  startAt: DateTime.formatIso(blackout.startAt),
  endAt: DateTime.formatIso(blackout.endAt),
  reason: blackout.reason,
  unitIds: [...blackout.unitIds]
})

const record = (action: Audit.AuditAction, before: Blackout | null, after: Blackout, topic: string) =>
  ChangeRecord.record(
    { entityType: "blackout", entityId: after.id, action, before, after },
    { orgId: after.orgId, topic, payload: payloadOf(after) }
  )

const resourceUnits = (deps: Deps, orgId: OrgId, resourceId: ResourceId) =>
  Effect.map(unitsOf(deps.units, orgId, resourceId), (all) => all.map((unit) => unit.id))

// Every live resource of the site, page by page; a site may hold more than a page.
const siteUnits = Effect.fnUntraced(function* (deps: Deps, orgId: OrgId, siteId: SiteId) {
  const out: Array<UnitId> = []
  let cursor: string | undefined
  do {
    const page = yield* Effect.orDie(
      deps.resources.list(orgId, {
        limit: 100,
        cursor,
        filters: { siteId },
        sort: { field: "name", direction: "asc" }
      })
    )
    for (const resource of page.items) out.push(...(yield* resourceUnits(deps, orgId, resource.id)))
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return out
})

const unitsIn = Effect.fnUntraced(function* (deps: Deps, orgId: OrgId, input: NewBlackout) {
  const missing = new NotFound({ entity: input.scope, id: input.scopeId })
  if (input.scope === "unit") {
    const unit = yield* deps.units.find(orgId, input.scopeId)
    return Option.isSome(unit) ? [unit.value.id] : yield* missing
  }
  if (input.scope === "resource") {
    const resource = yield* deps.resources.find(orgId, input.scopeId)
    return Option.isSome(resource) ? yield* resourceUnits(deps, orgId, resource.value.id) : yield* missing
  }
  const site = yield* deps.sites.find(orgId, input.scopeId)
  return Option.isSome(site) ? yield* siteUnits(deps, orgId, site.value.id) : yield* missing
})

/**
 * Claims the units' time on the ledger, so a blackout over existing claims is a `Conflict`.
 *
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (input: NewBlackout) {
    yield* Permissions.require("inventory.write")
    const actor = yield* CurrentActor
    const now = yield* DateTime.now
    if (!DateTime.isGreaterThan(input.endAt, input.startAt))
      return yield* invalid("endAt", "must be after startAt")
    if (!DateTime.isGreaterThan(input.endAt, now)) return yield* invalid("endAt", "must be in the future")
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const unitIds = yield* unitsIn(deps, actor.orgId, input)
        const id = yield* nextId(BlackoutId)
        const interval = { startAt: input.startAt, endAt: input.endAt }
        yield* deps.ledger.claim(
          actor.orgId,
          unitIds.map((unitId) => ({ subject: { type: "unit", id: unitId }, interval, source: sourceOf(id) }))
        )
        const blackout = yield* Effect.orDie(
          deps.blackouts.insert(
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
  }, Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (query: ListQuery<BlackoutFilters, BlackoutSort>) {
    yield* Permissions.require("inventory.read")
    const actor = yield* CurrentActor
    return yield* deps.blackouts.list(actor.orgId, { ...query, includeDeleted: false })
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const get = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    yield* Permissions.require("inventory.read")
    const actor = yield* CurrentActor
    const found = yield* deps.blackouts.find(actor.orgId, id)
    return Option.isSome(found) ? found.value : yield* new NotFound({ entity: "blackout", id })
  })

/**
 * Frees the blackout's time, which goes to the waitlist like any freed time.
 *
 * @since 0.1.0
 * @category steps
 */
export const remove = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* Permissions.require("inventory.write")
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const before = yield* deps.blackouts.find(actor.orgId, id, { forUpdate: true })
        if (Option.isNone(before)) return yield* new NotFound({ entity: "blackout", id })
        const version = yield* demand("blackout", expectedVersion)
        const after = yield* deps.blackouts.softDelete(actor.orgId, id, version, yield* DateTime.now)
        yield* deps.ledger.release(actor.orgId, sourceOf(id))
        // The reopened time goes to the best waiting request, in this transaction.
        yield* deps.freedTime.freed(actor.orgId, FreedTime.units(before.value.unitIds))
        yield* record("SOFT_DELETE", before.value, after, "blackout.deleted")
        return after
      })
    )
  }, Effect.provide(deps.context))
