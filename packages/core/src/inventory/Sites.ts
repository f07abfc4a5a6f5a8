/**
 * The sites use case.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as Catalog from "../kernel/Catalog.ts"
import type {
  AlreadyExists,
  Forbidden,
  NotFound,
  PreconditionFailed,
  PreconditionRequired
} from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { inventoryAccess } from "./Access.ts"
import { SiteRepo } from "./InventoryRepos.ts"
import { Site, type SiteFields, type SiteFilters, SiteId, type SiteSort } from "./Site.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Sites extends Context.Service<
  Sites,
  Catalog.Shared<Site, SiteFilters, SiteSort> & {
    readonly create: (fields: SiteFields) => Effect.Effect<Site, Forbidden | AlreadyExists, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<SiteFields>
    ) => Effect.Effect<
      Site,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | AlreadyExists,
      CurrentActor
    >
  }
>()("@rota/core/inventory/Sites") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Sites, never, SiteRepo | Transactor | AuditLog | Outbox | Ids> = Layer.effect(
  Sites,
  Effect.gen(function* () {
    const catalog = yield* Catalog.make({ entity: "site", records: yield* SiteRepo, access: inventoryAccess })
    const ids = yield* Effect.context<Ids>()
    return Sites.of({
      ...Catalog.shared(catalog),
      create: Effect.fn("Sites.create")((fields) =>
        catalog
          .create(({ orgId, at }) =>
            Effect.map(
              nextId(SiteId),
              (id) =>
                new Site({
                  id,
                  orgId,
                  name: fields.name,
                  address: fields.address ?? null,
                  timezone: fields.timezone ?? null,
                  version: 1,
                  createdAt: at,
                  deletedAt: null
                })
            )
          )
          .pipe(Effect.provide(ids))
      ),
      update: Effect.fn("Sites.update")((id, expectedVersion, changes) =>
        catalog.update(id, expectedVersion, () => Effect.succeed(changes))
      )
    })
  })
)
