/**
 * The tags use case.
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
import { TagRepo } from "./InventoryRepos.ts"
import { Tag, type TagFilters, TagId, type TagSort } from "./Tag.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Tags extends Context.Service<
  Tags,
  Catalog.Shared<Tag, TagFilters, TagSort> & {
    /** A name taken by a live tag, whatever its case, is `AlreadyExists`. */
    readonly create: (fields: {
      readonly name: string
    }) => Effect.Effect<Tag, Forbidden | AlreadyExists, CurrentActor>
    /** Renaming a tag renames it on every resource that carries it. */
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: { readonly name?: string }
    ) => Effect.Effect<
      Tag,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | AlreadyExists,
      CurrentActor
    >
  }
>()("@rota/core/inventory/Tags") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Tags, never, TagRepo | Transactor | AuditLog | Outbox | Ids> = Layer.effect(
  Tags,
  Effect.gen(function* () {
    const catalog = yield* Catalog.make({ entity: "tag", records: yield* TagRepo, access: inventoryAccess })
    const ids = yield* Effect.context<Ids>()
    return Tags.of({
      ...Catalog.shared(catalog),
      create: Effect.fn("Tags.create")((fields) =>
        catalog
          .create(({ orgId, at }) =>
            Effect.map(
              nextId(TagId),
              (id) =>
                new Tag({ id, orgId, name: fields.name.trim(), version: 1, createdAt: at, deletedAt: null })
            )
          )
          .pipe(Effect.provide(ids))
      ),
      update: Effect.fn("Tags.update")((id, expectedVersion, changes) =>
        catalog.update(id, expectedVersion, () =>
          Effect.succeed(changes.name === undefined ? {} : { name: changes.name.trim() })
        )
      )
    })
  })
)
