/**
 * The resources use case: a resource's site and tags must be live records of the same org.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as Catalog from "../kernel/Catalog.ts"
import {
  type AlreadyExists,
  type FieldIssue,
  type Forbidden,
  type NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import * as FreedTime from "../ledger/FreedTime.ts"
import { inventoryAccess } from "./Access.ts"
import { ResourceRepo, SiteRepo, TagRepo, UnitRepo, unitsOf } from "./InventoryRepos.ts"
import {
  Resource,
  type ResourceFields,
  type ResourceFilters,
  ResourceId,
  type ResourceSort
} from "./Resource.ts"
import type { SiteId } from "./Site.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Resources extends Context.Service<
  Resources,
  Catalog.Shared<Resource, ResourceFilters, ResourceSort> & {
    /** An unknown site or tag name is a `ValidationFailed` naming the field. */
    readonly create: (
      fields: ResourceFields
    ) => Effect.Effect<Resource, Forbidden | AlreadyExists | ValidationFailed, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<ResourceFields>
    ) => Effect.Effect<
      Resource,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | AlreadyExists | ValidationFailed,
      CurrentActor
    >
  }
>()("@rota/core/inventory/Resources") {}

/**
 * Tag names as the org spells them, once each, sorted case-insensitively.
 *
 * @since 0.1.0
 * @category rules
 */
export const canonicalTags = (
  requested: ReadonlyArray<string>,
  known: ReadonlyArray<{ readonly name: string }>
): { readonly names: ReadonlyArray<string>; readonly unknown: ReadonlyArray<number> } => {
  const byKey = new Map(known.map((tag) => [tag.name.toLowerCase(), tag.name]))
  const names = new Map<string, string>()
  const unknown: Array<number> = []
  requested.forEach((name, index) => {
    const canonical = byKey.get(name.trim().toLowerCase())
    if (canonical === undefined) unknown.push(index)
    else names.set(canonical.toLowerCase(), canonical)
  })
  return {
    names: [...names.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    unknown
  }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Resources,
  never,
  ResourceRepo | SiteRepo | TagRepo | UnitRepo | Transactor | AuditLog | Outbox | Ids | FreedTime.FreedTime
> = Layer.effect(
  Resources,
  Effect.gen(function* () {
    const catalog = yield* Catalog.make({
      entity: "resource",
      records: yield* ResourceRepo,
      access: inventoryAccess
    })
    const sites = yield* SiteRepo
    const tags = yield* TagRepo
    const ids = yield* Effect.context<Ids>()
    const units = yield* UnitRepo
    const freedTime = yield* FreedTime.FreedTime
    const transactor = yield* Transactor
    // A resource back in service frees the time of each of its live units.
    const offerUnits = (resource: Resource) =>
      resource.status === "AVAILABLE"
        ? unitsOf(units, resource.orgId, resource.id).pipe(
            Effect.flatMap((all) =>
              freedTime.freed(resource.orgId, FreedTime.units(all.map((unit) => unit.id)))
            ),
            Effect.asVoid,
            Effect.provide(ids)
          )
        : Effect.void

    // The site and tags a write names, checked inside its transaction; tags come back canonical.
    const checkReferences = (fields: {
      readonly siteId?: SiteId | null | undefined
      readonly tags?: ReadonlyArray<string> | undefined
    }) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const issues: Array<FieldIssue> = []
        if (fields.siteId !== undefined && fields.siteId !== null) {
          if (Option.isNone(yield* sites.find(actor.orgId, fields.siteId)))
            issues.push({ path: ["body", "siteId"], message: "No such site" })
        }
        let names: ReadonlyArray<string> | undefined
        if (fields.tags !== undefined) {
          const resolved = canonicalTags(fields.tags, yield* tags.findByNames(actor.orgId, fields.tags))
          for (const index of resolved.unknown)
            issues.push({ path: ["body", "tags", index], message: "No such tag; create it first" })
          names = resolved.names
        }
        if (issues.length > 0) return yield* new ValidationFailed({ errors: issues })
        return names
      })

    return Resources.of({
      ...Catalog.shared(catalog),
      create: Effect.fn("Resources.create")((fields) =>
        catalog
          .create(({ orgId, at }) =>
            Effect.gen(function* () {
              const names = yield* checkReferences(fields)
              return new Resource({
                id: yield* nextId(ResourceId),
                orgId,
                siteId: fields.siteId ?? null,
                type: fields.type,
                name: fields.name,
                description: fields.description ?? null,
                serialNumber: fields.serialNumber ?? null,
                status: fields.status ?? "AVAILABLE",
                tags: names ?? [],
                version: 1,
                createdAt: at,
                deletedAt: null
              })
            })
          )
          .pipe(Effect.provide(ids))
      ),
      // A resource put back in service, or restored, offers its units to its waitlist in the
      // same transaction, as freed time is.
      update: Effect.fn("Resources.update")((id, expectedVersion, changes) =>
        transactor.withTransaction(
          Effect.tap(
            catalog.update(id, expectedVersion, () =>
              Effect.map(checkReferences(changes), (names) =>
                names === undefined ? changes : { ...changes, tags: names }
              )
            ),
            (after) => (changes.status === "AVAILABLE" ? offerUnits(after) : Effect.void)
          )
        )
      ),
      restore: Effect.fn("Resources.restore")((id, expectedVersion) =>
        transactor.withTransaction(Effect.tap(catalog.restore(id, expectedVersion), offerUnits))
      )
    })
  })
)
