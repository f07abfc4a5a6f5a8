/**
 * The resource units use case: units are listed and created under a live resource, and changed
 * by their own id.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as Catalog from "../kernel/Catalog.ts"
import {
  type AlreadyExists,
  type Forbidden,
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
import * as FreedTime from "../ledger/FreedTime.ts"
import { inventoryAccess } from "./Access.ts"
import { ResourceRepo, UnitRepo } from "./InventoryRepos.ts"
import type { ResourceId } from "./Resource.ts"
import { ResourceUnit, type UnitFields, type UnitFilters, UnitId, type UnitSort } from "./ResourceUnit.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Units extends Context.Service<
  Units,
  Omit<Catalog.Shared<ResourceUnit, UnitFilters, UnitSort>, "list"> & {
    /** The units of a live resource. */
    readonly list: (
      resourceId: ResourceId,
      query: ListQuery<UnitFilters, UnitSort>
    ) => Effect.Effect<Page<ResourceUnit>, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /** A barcode taken by a live unit of the org is `AlreadyExists`. */
    readonly create: (
      resourceId: ResourceId,
      fields: UnitFields
    ) => Effect.Effect<ResourceUnit, Forbidden | NotFound | AlreadyExists, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<UnitFields>
    ) => Effect.Effect<
      ResourceUnit,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | AlreadyExists,
      CurrentActor
    >
  }
>()("@rota/core/inventory/Units") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Units,
  never,
  UnitRepo | ResourceRepo | Transactor | AuditLog | Outbox | Ids | FreedTime.FreedTime
> = Layer.effect(
  Units,
  Effect.gen(function* () {
    const catalog = yield* Catalog.make({ entity: "unit", records: yield* UnitRepo, access: inventoryAccess })
    const resources = yield* ResourceRepo
    const ids = yield* Effect.context<Ids>()
    const freedTime = yield* FreedTime.FreedTime
    const transactor = yield* Transactor
    const offerUnit = (unit: ResourceUnit) =>
      unit.status === "AVAILABLE"
        ? Effect.asVoid(freedTime.freed(unit.orgId, FreedTime.units([unit.id]))).pipe(Effect.provide(ids))
        : Effect.void

    const liveResource = (resourceId: ResourceId) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const found = yield* resources.find(actor.orgId, resourceId)
        if (Option.isNone(found)) return yield* new NotFound({ entity: "resource", id: resourceId })
        return found.value
      })

    return Units.of({
      ...Catalog.shared(catalog),
      list: Effect.fn("Units.list")(function* (resourceId, query) {
        yield* Permissions.require(inventoryAccess.read)
        yield* liveResource(resourceId)
        return yield* catalog.list({ ...query, filters: { ...query.filters, resourceId } })
      }),
      create: Effect.fn("Units.create")(function* (resourceId, fields) {
        // Permission first: a member learns nothing about which resources exist.
        yield* Permissions.require(inventoryAccess.write)
        return yield* catalog.create(({ orgId, at }) =>
          Effect.gen(function* () {
            yield* liveResource(resourceId)
            return new ResourceUnit({
              id: yield* nextId(UnitId),
              orgId,
              resourceId,
              barcode: fields.barcode,
              condition: fields.condition ?? "GOOD",
              status: fields.status ?? "AVAILABLE",
              notes: fields.notes ?? null,
              version: 1,
              createdAt: at,
              deletedAt: null
            })
          })
        )
      }, Effect.provide(ids)),
      // A unit put back in service, or restored, has time the waitlist may be waiting for: it
      // is offered in the same transaction, as freed time is.
      update: Effect.fn("Units.update")((id, expectedVersion, changes) =>
        transactor.withTransaction(
          Effect.tap(
            catalog.update(id, expectedVersion, () => Effect.succeed(changes)),
            (after) => (changes.status === "AVAILABLE" ? offerUnit(after) : Effect.void)
          )
        )
      ),
      restore: Effect.fn("Units.restore")((id, expectedVersion) =>
        transactor.withTransaction(Effect.tap(catalog.restore(id, expectedVersion), offerUnit))
      )
    })
  })
)
