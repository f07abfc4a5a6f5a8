/**
 * The parts use case: stock is set at creation and changed by adjustments, each with a reason
 * kept in the audit log.
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
import { type Outbox, send } from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { demand, type Expected } from "../kernel/Versioning.ts"
import { inventoryAccess } from "./Access.ts"
import { PartRepo } from "./InventoryRepos.ts"
import {
  type Adjustment,
  adjust,
  type InsufficientStock,
  Part,
  type PartFields,
  type PartFilters,
  PartId,
  type PartSort,
  reachedReorderLevel,
  reorderPayload
} from "./Part.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Parts extends Context.Service<
  Parts,
  Catalog.Shared<Part, PartFilters, PartSort> & {
    /** A SKU taken by a live part of the org is `AlreadyExists`. */
    readonly create: (fields: PartFields) => Effect.Effect<Part, Forbidden | AlreadyExists, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<Omit<PartFields, "quantityOnHand">>
    ) => Effect.Effect<
      Part,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | AlreadyExists,
      CurrentActor
    >
    readonly adjust: (
      id: string,
      expectedVersion: Expected,
      adjustment: Adjustment
    ) => Effect.Effect<
      Part,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | InsufficientStock | ValidationFailed,
      CurrentActor
    >
  }
>()("@rota/core/inventory/Parts") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Parts, never, PartRepo | Transactor | AuditLog | Outbox | Ids> = Layer.effect(
  Parts,
  Effect.gen(function* () {
    const parts = yield* PartRepo
    const catalog = yield* Catalog.make({ entity: "part", records: parts, access: inventoryAccess })
    const transactor = yield* Transactor
    const ids = yield* Effect.context<Ids>()
    const messages = yield* Effect.context<Outbox | Ids>()
    return Parts.of({
      ...Catalog.shared(catalog),
      create: Effect.fn("Parts.create")((fields) =>
        catalog
          .create(({ orgId, at }) =>
            Effect.map(
              nextId(PartId),
              (id) =>
                new Part({
                  id,
                  orgId,
                  sku: fields.sku,
                  name: fields.name,
                  description: fields.description ?? null,
                  quantityOnHand: fields.quantityOnHand ?? 0,
                  unitPrice: fields.unitPrice,
                  reorderLevel: fields.reorderLevel ?? 0,
                  version: 1,
                  createdAt: at,
                  deletedAt: null
                })
            )
          )
          .pipe(Effect.provide(ids))
      ),
      update: Effect.fn("Parts.update")((id, expectedVersion, changes) =>
        catalog.update(id, expectedVersion, () => Effect.succeed(changes))
      ),
      adjust: Effect.fn("Parts.adjust")(function* (id, expectedVersion, adjustment) {
        yield* Permissions.require(inventoryAccess.write)
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* parts.find(actor.orgId, id, { forUpdate: true })
            if (Option.isNone(before)) return yield* new NotFound({ entity: "part", id })
            const version = yield* demand("part", expectedVersion)
            const quantityOnHand = yield* adjust(before.value, adjustment.delta)
            // The row is locked since the read above, so no concurrent adjustment slips between.
            const after = yield* parts
              .update(actor.orgId, id, version, { quantityOnHand })
              // Stock is in no unique index.
              .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
            yield* catalog.recordChange("UPDATE", before.value, after, { adjustment })
            if (reachedReorderLevel(before.value, after))
              yield* Effect.provide(
                send({
                  orgId: after.orgId,
                  topic: "part.below_reorder_level",
                  payload: reorderPayload(after)
                }),
                messages
              )
            return after
          })
        )
      })
    })
  })
)
