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

// What the use case works with, gathered once when the layer is built.
const makeDeps = Effect.gen(function* () {
  return {
    catalog: yield* Catalog.make({
      entity: "resource",
      records: yield* ResourceRepo,
      access: inventoryAccess
    }),
    sites: yield* SiteRepo,
    tags: yield* TagRepo,
    ids: yield* Effect.context<Ids>(),
    units: yield* UnitRepo,
    freedTime: yield* FreedTime.FreedTime,
    transactor: yield* Transactor
  }
})

type Deps = Effect.Success<typeof makeDeps>

// A resource back in service frees the time of each of its live units.
const offerUnits = (deps: Deps, resource: Resource) =>
  resource.status === "AVAILABLE"
    ? unitsOf(deps.units, resource.orgId, resource.id).pipe(
        Effect.flatMap((all) =>
          deps.freedTime.freed(resource.orgId, FreedTime.units(all.map((unit) => unit.id)))
        ),
        Effect.asVoid,
        Effect.provide(deps.ids)
      )
    : Effect.void

// The site and tags a write names, checked inside its transaction; tags come back canonical.
const checkReferences = Effect.fnUntraced(function* (
  deps: Deps,
  fields: {
    readonly siteId?: SiteId | null | undefined
    readonly tags?: ReadonlyArray<string> | undefined
  }
) {
  const actor = yield* CurrentActor
  const issues: Array<FieldIssue> = []
  if (fields.siteId !== undefined && fields.siteId !== null) {
    if (Option.isNone(yield* deps.sites.find(actor.orgId, fields.siteId)))
      issues.push({ path: ["body", "siteId"], message: "No such site" })
  }
  let names: ReadonlyArray<string> | undefined
  if (fields.tags !== undefined) {
    const resolved = canonicalTags(fields.tags, yield* deps.tags.findByNames(actor.orgId, fields.tags))
    for (const index of resolved.unknown)
      issues.push({ path: ["body", "tags", index], message: "No such tag; create it first" })
    names = resolved.names
  }
  if (issues.length > 0) return yield* new ValidationFailed({ errors: issues })
  return names
})

const create = (deps: Deps) => (fields: ResourceFields) =>
  deps.catalog
    .create(({ orgId, at }) =>
      Effect.gen(function* () {
        const names = yield* checkReferences(deps, fields)
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
    .pipe(Effect.provide(deps.ids))

// A resource put back in service, or restored, offers its units to its waitlist in the same
// transaction, as freed time is.
const update = (deps: Deps) => (id: string, expectedVersion: Expected, changes: Partial<ResourceFields>) =>
  deps.transactor.withTransaction(
    Effect.tap(
      deps.catalog.update(id, expectedVersion, () =>
        Effect.map(checkReferences(deps, changes), (names) =>
          names === undefined ? changes : { ...changes, tags: names }
        )
      ),
      (after) => (changes.status === "AVAILABLE" ? offerUnits(deps, after) : Effect.void)
    )
  )

const restore = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  deps.transactor.withTransaction(
    Effect.tap(deps.catalog.restore(id, expectedVersion), (after) => offerUnits(deps, after))
  )

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
    const deps = yield* makeDeps
    return Resources.of({
      ...Catalog.shared(deps.catalog),
      create: Effect.fn("Resources.create")(create(deps)),
      update: Effect.fn("Resources.update")(update(deps)),
      restore: Effect.fn("Resources.restore")(restore(deps))
    })
  })
)
