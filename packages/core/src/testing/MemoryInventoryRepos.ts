/**
 * The inventory ports (`SiteRepo`, `TagRepo`, `ResourceRepo`, `UnitRepo`, `PartRepo`) on the
 * {@link MemoryDatabase}, each on {@link MemoryRecords}: the same filters, sorts and unique
 * fields as on PostgreSQL (the same `InventoryReposContract` holds both to it). A resource links
 * its tags by id, so a renamed tag shows its new name and a deleted one drops off.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { PartRepo, ResourceRepo, SiteRepo, TagRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import { Part, type PartFilters, type PartSort } from "../inventory/Part.ts"
import { Resource, type ResourceFilters, type ResourceSort } from "../inventory/Resource.ts"
import { ResourceUnit, type UnitFilters, type UnitSort } from "../inventory/ResourceUnit.ts"
import { Site, type SiteFilters, type SiteSort } from "../inventory/Site.ts"
import { Tag, type TagFilters, type TagSort } from "../inventory/Tag.ts"
import type { OrgId } from "../kernel/Ids.ts"
import { MemoryDatabase, put, table } from "./MemoryDatabase.ts"
import * as MemoryRecords from "./MemoryRecords.ts"

const { contains, millis } = MemoryRecords

const lower = (text: string) => text.trim().toLowerCase()

const byName = (record: { readonly name: string }) => record.name
const byCreation = (record: { readonly createdAt: Parameters<typeof millis>[0] }) => millis(record.createdAt)

const inList = <A>(values: ReadonlyArray<A> | undefined, value: A) =>
  values === undefined || values.length === 0 || values.includes(value)

// The records' options, named apart from the layer: they are options, not service methods.
const siteRecords: MemoryRecords.Options<Site, SiteFilters, SiteSort> = {
  table: "sites",
  entity: "site",
  make: (fields) => new Site(fields),
  filters: (site, filters) => contains(filters.q, site.name, site.address),
  sorts: { name: byName, createdAt: byCreation },
  defaultSort: { field: "name", direction: "asc" }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const siteRepo: Layer.Layer<SiteRepo, never, MemoryDatabase> = Layer.effect(
  SiteRepo,
  MemoryRecords.make(siteRecords)
)

const tags = MemoryRecords.tableOf<Tag>("tags")
const units = MemoryRecords.tableOf<ResourceUnit>("resource_units")
const resources = MemoryRecords.tableOf<Resource>("resources")
const parts = MemoryRecords.tableOf<Part>("parts")

// Live tags of the org by lower-cased name.
const liveTags = (all: ReadonlyMap<string, Tag>, orgId: OrgId) =>
  new Map(
    [...all.values()]
      .filter((tag) => tag.orgId === orgId && tag.deletedAt === null)
      .map((tag) => [lower(tag.name), tag])
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const tagRepo: Layer.Layer<TagRepo, never, MemoryDatabase> = Layer.effect(
  TagRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make<Tag, TagFilters, TagSort>({
      table: "tags",
      entity: "tag",
      make: (fields) => new Tag(fields),
      filters: (tag, filters) => contains(filters.q, tag.name),
      sorts: { name: byName, createdAt: byCreation },
      defaultSort: { field: "name", direction: "asc" },
      unique: [{ field: "name", key: (tag) => lower(tag.name) }]
    })
    return TagRepo.of({
      ...records,
      findByNames: Effect.fn("MemoryTagRepo.findByNames")((orgId, names) =>
        Effect.map(database.read(tags), (all) => {
          const live = liveTags(all, orgId)
          return names.flatMap((name) => {
            const tag = live.get(lower(name))
            return tag === undefined ? [] : [tag]
          })
        })
      )
    })
  })
)

// A resource's tags, by id: `org/resource` to tag ids.
const resourceTags = table<ReadonlyMap<string, ReadonlyArray<string>>>("resource_tags", new Map())

const withTagNames = Effect.gen(function* () {
  const database = yield* MemoryDatabase
  const all = yield* database.read(tags)
  const links = yield* database.read(resourceTags)
  return (resource: Resource) => {
    const names = (links.get(`${resource.orgId}/${resource.id}`) ?? [])
      .map((id) => all.get(`${resource.orgId}/${id}`))
      .filter((tag): tag is Tag => tag !== undefined && tag.deletedAt === null)
      .map((tag) => tag.name)
      .sort((a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0))
    return new Resource({ ...resource, tags: names })
  }
})

const matchesResource = (resource: Resource, filters: ResourceFilters) =>
  inList(filters.types, resource.type) &&
  inList(filters.statuses, resource.status) &&
  (filters.siteId === undefined || resource.siteId === filters.siteId) &&
  (filters.tag === undefined || resource.tags.some((name) => lower(name) === lower(filters.tag!))) &&
  contains(filters.q, resource.name, resource.description, resource.serialNumber) &&
  (filters.createdFrom === undefined || millis(resource.createdAt) >= millis(filters.createdFrom)) &&
  (filters.createdTo === undefined || millis(resource.createdAt) < millis(filters.createdTo))

/**
 * @since 0.1.0
 * @category layers
 */
export const resourceRepo: Layer.Layer<ResourceRepo, never, MemoryDatabase> = Layer.effect(
  ResourceRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make<Resource, ResourceFilters, ResourceSort>({
      table: "resources",
      entity: "resource",
      make: (fields) => new Resource(fields),
      filters: matchesResource,
      sorts: { name: byName, createdAt: byCreation, type: (resource) => resource.type },
      defaultSort: { field: "createdAt", direction: "asc" },
      view: withTagNames
    })
    // The use case has checked every name is a live tag of the org.
    const link = (orgId: OrgId, id: string, names: ReadonlyArray<string> | undefined) =>
      names === undefined
        ? Effect.void
        : Effect.flatMap(database.read(tags), (all) => {
            const live = liveTags(all, orgId)
            const ids = names.flatMap((name) => {
              const tag = live.get(lower(name))
              return tag === undefined ? [] : [tag.id]
            })
            return database.modify(resourceTags, (links) => [undefined, put(links, `${orgId}/${id}`, ids)])
          })
    const reread = (resource: Resource) => Effect.map(withTagNames, (show) => show(resource))
    return ResourceRepo.of({
      ...records,
      insert: Effect.fn("MemoryResourceRepo.insert")((resource) =>
        database.transaction(
          Effect.andThen(records.insert(resource), link(resource.orgId, resource.id, resource.tags)).pipe(
            Effect.andThen(reread(resource)),
            Effect.provideService(MemoryDatabase, database)
          )
        )
      ),
      update: Effect.fn("MemoryResourceRepo.update")((orgId, id, expectedVersion, changes) =>
        database.transaction(
          Effect.tap(records.update(orgId, id, expectedVersion, changes), () =>
            link(orgId, id, changes.tags)
          ).pipe(Effect.flatMap(reread), Effect.provideService(MemoryDatabase, database))
        )
      )
    })
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const unitRepo: Layer.Layer<UnitRepo, never, MemoryDatabase> = Layer.effect(
  UnitRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make<ResourceUnit, UnitFilters, UnitSort>({
      table: "resource_units",
      entity: "unit",
      make: (fields) => new ResourceUnit(fields),
      filters: (unit, filters) =>
        (filters.resourceId === undefined || unit.resourceId === filters.resourceId) &&
        inList(filters.statuses, unit.status) &&
        inList(filters.conditions, unit.condition) &&
        contains(filters.q, unit.barcode),
      sorts: { barcode: (unit) => unit.barcode, createdAt: byCreation },
      defaultSort: { field: "createdAt", direction: "asc" },
      unique: [{ field: "barcode", key: (unit) => unit.barcode }]
    })
    return UnitRepo.of({
      ...records,
      standings: Effect.fn("MemoryUnitRepo.standings")(function* (orgId, unitIds) {
        const all = yield* database.read(units)
        const resourceRows = yield* database.read(resources)
        return unitIds.flatMap((id) => {
          // Rows are kept under `org/id`, so another org's unit is not found.
          const unit = all.get(`${orgId}/${id}`)
          const resource = unit === undefined ? undefined : resourceRows.get(`${orgId}/${unit.resourceId}`)
          return unit === undefined || resource === undefined ? [] : [{ unit, resource }]
        })
      }),
      takenBarcodes: Effect.fn("MemoryUnitRepo.takenBarcodes")((orgId, barcodes) =>
        Effect.map(database.read(units), (all) => {
          const live = new Set(
            [...all.values()]
              .filter((unit) => unit.orgId === orgId && unit.deletedAt === null)
              .map((unit) => unit.barcode)
          )
          return barcodes.filter((barcode) => live.has(barcode))
        })
      )
    })
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const partRepo: Layer.Layer<PartRepo, never, MemoryDatabase> = Layer.effect(
  PartRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make<Part, PartFilters, PartSort>({
      table: "parts",
      entity: "part",
      make: (fields) => new Part(fields),
      filters: (part, filters) =>
        contains(filters.q, part.sku, part.name) &&
        (filters.lowStock === undefined || filters.lowStock === part.quantityOnHand <= part.reorderLevel),
      sorts: {
        name: byName,
        sku: (part) => part.sku,
        quantityOnHand: (part) => part.quantityOnHand,
        createdAt: byCreation
      },
      defaultSort: { field: "name", direction: "asc" },
      unique: [{ field: "sku", key: (part) => lower(part.sku) }]
    })
    return PartRepo.of({
      ...records,
      takenSkus: Effect.fn("MemoryPartRepo.takenSkus")((orgId, skus) =>
        Effect.map(database.read(parts), (all) => {
          const live = new Set(
            [...all.values()]
              .filter((part) => part.orgId === orgId && part.deletedAt === null)
              .map((part) => lower(part.sku))
          )
          return skus.filter((sku) => live.has(lower(sku)))
        })
      )
    })
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  SiteRepo | TagRepo | ResourceRepo | UnitRepo | PartRepo,
  never,
  MemoryDatabase
> = Layer.mergeAll(siteRepo, tagRepo, resourceRepo, unitRepo, partRepo)
