/**
 * Inventory on PostgreSQL: sites, tags, resources (with their tags), units and parts, each a
 * `PgRecords` store over its table.
 *
 * @since 0.1.0
 */
import { InventoryRepos, Part, Resource, ResourceUnit, Site, Tag } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as Keyset from "./Keyset.ts"
import * as PgRecords from "./PgRecords.ts"
import * as TextSearch from "./TextSearch.ts"

const byName = { name: "name", kind: "text" } as const
const byCreation = { name: "created_at", kind: "timestamp" } as const

// --- sites --------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const siteRepo: Layer.Layer<InventoryRepos.SiteRepo, never, SqlClient.SqlClient> = Layer.effect(
  InventoryRepos.SiteRepo,
  PgRecords.make<Site.Site, Site.SiteFilters, Site.SiteSort>({
    table: "sites",
    entity: "site",
    decode: (row) => PgRecords.construct(Site.Site, PgRecords.toFields(row), PgRecords.trusted),
    encode: (fields) => PgRecords.toColumns(fields),
    filters: (sql, filters) => [TextSearch.contains(sql, ["name", "address"], filters.q)],
    sorts: { name: byName, createdAt: byCreation },
    defaultSort: { field: "name", direction: "asc" },
    unique: {}
  })
)

// --- tags ---------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const tagRepo: Layer.Layer<InventoryRepos.TagRepo, never, SqlClient.SqlClient> = Layer.effect(
  InventoryRepos.TagRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const decode = (row: PgRecords.Row) =>
      PgRecords.construct(Tag.Tag, PgRecords.toFields(row), PgRecords.trusted)
    const records = yield* PgRecords.make<Tag.Tag, Tag.TagFilters, Tag.TagSort>({
      table: "tags",
      entity: "tag",
      decode,
      encode: (fields) => PgRecords.toColumns(fields),
      filters: (sql, filters) => [TextSearch.contains(sql, ["name"], filters.q)],
      sorts: { name: byName, createdAt: byCreation },
      defaultSort: { field: "name", direction: "asc" },
      unique: { tags_name_key: { entity: "tag", field: "name" } }
    })
    return InventoryRepos.TagRepo.of({
      ...records,
      findByNames: (orgId, names) =>
        names.length === 0
          ? Effect.succeed([])
          : sql<PgRecords.Row>`SELECT * FROM tags WHERE org_id = ${orgId} AND deleted_at IS NULL
              AND lower(name) IN ${sql.in(names.map((name) => name.trim().toLowerCase()))}`.pipe(
              Effect.map((rows) => rows.map(decode)),
              Effect.orDie
            )
    })
  })
)

// --- resources ----------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const resourceRepo: Layer.Layer<InventoryRepos.ResourceRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    InventoryRepos.ResourceRepo,
    PgRecords.make<Resource.Resource, Resource.ResourceFilters, Resource.ResourceSort>({
      table: "resources",
      entity: "resource",
      // A deleted tag drops off its resources without touching them.
      source: (sql) => sql`SELECT resources.*, COALESCE((
        SELECT array_agg(tags.name ORDER BY lower(tags.name))
        FROM resource_tags JOIN tags ON tags.org_id = resource_tags.org_id AND tags.id = resource_tags.tag_id
        WHERE resource_tags.org_id = resources.org_id AND resource_tags.resource_id = resources.id
          AND tags.deleted_at IS NULL
      ), '{}') AS tags
      FROM resources`,
      decode: (row) => PgRecords.construct(Resource.Resource, PgRecords.toFields(row), PgRecords.trusted),
      encode: (fields) => PgRecords.toColumns(fields, ["tags"]),
      filters: (sql, filters) => [
        Keyset.inList(sql, "type", filters.types),
        filters.siteId === undefined ? undefined : sql`site_id = ${filters.siteId}`,
        filters.tag === undefined
          ? undefined
          : sql`EXISTS (SELECT 1 FROM resource_tags JOIN tags
              ON tags.org_id = resource_tags.org_id AND tags.id = resource_tags.tag_id
            WHERE resource_tags.org_id = record.org_id AND resource_tags.resource_id = record.id
              AND tags.deleted_at IS NULL AND lower(tags.name) = ${filters.tag.trim().toLowerCase()})`,
        TextSearch.contains(sql, ["name", "description", "serial_number"], filters.q),
        filters.createdFrom === undefined
          ? undefined
          : sql`created_at >= ${DateTime.toDateUtc(filters.createdFrom)}`,
        filters.createdTo === undefined
          ? undefined
          : sql`created_at < ${DateTime.toDateUtc(filters.createdTo)}`
      ],
      split: (filters) => ({ column: "status", values: filters.statuses }),
      sorts: { name: byName, createdAt: byCreation, type: { name: "type", kind: "text" } },
      defaultSort: { field: "createdAt", direction: "asc" },
      unique: {},
      // The use case has checked every name is a live tag of the org.
      writeLinks: (sql, key, fields, fresh) => {
        const tags = fields.tags as ReadonlyArray<string> | undefined
        if (tags === undefined || (fresh && tags.length === 0)) return undefined
        return Effect.gen(function* () {
          if (!fresh)
            yield* sql`DELETE FROM resource_tags WHERE org_id = ${key.orgId} AND resource_id = ${key.id}`
          if (tags.length === 0) return
          yield* sql`INSERT INTO resource_tags (org_id, resource_id, tag_id)
          SELECT org_id, ${key.id}, id FROM tags
          WHERE org_id = ${key.orgId} AND deleted_at IS NULL
            AND lower(name) IN ${sql.in(tags.map((name) => name.toLowerCase()))}`
        })
      }
    })
  )

// --- units --------------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const unitRepo: Layer.Layer<InventoryRepos.UnitRepo, never, SqlClient.SqlClient> = Layer.effect(
  InventoryRepos.UnitRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const records = yield* PgRecords.make<
      ResourceUnit.ResourceUnit,
      ResourceUnit.UnitFilters,
      ResourceUnit.UnitSort
    >({
      table: "resource_units",
      entity: "unit",
      decode: (row) =>
        PgRecords.construct(ResourceUnit.ResourceUnit, PgRecords.toFields(row), PgRecords.trusted),
      encode: (fields) => PgRecords.toColumns(fields),
      filters: (sql, filters) => [
        filters.resourceId === undefined ? undefined : sql`resource_id = ${filters.resourceId}`,
        Keyset.inList(sql, "condition", filters.conditions),
        TextSearch.contains(sql, ["barcode"], filters.q)
      ],
      split: (filters) => ({ column: "status", values: filters.statuses }),
      sorts: { barcode: { name: "barcode", kind: "text" }, createdAt: byCreation },
      defaultSort: { field: "createdAt", direction: "asc" },
      unique: { resource_units_barcode_key: { entity: "unit", field: "barcode" } }
    })
    return InventoryRepos.UnitRepo.of({
      ...records,
      standings: (orgId, unitIds) =>
        sql<StandingRow>`SELECT u.id, u.resource_id, u.status, u.deleted_at,
            r.status AS resource_status, r.deleted_at AS resource_deleted_at
          FROM resource_units u JOIN resources r ON r.org_id = u.org_id AND r.id = u.resource_id
          WHERE u.org_id = ${orgId} AND u.id IN ${sql.in(unitIds)}`.pipe(
          Effect.map((rows) => rows.map(toStanding)),
          Effect.orDie
        ),
      // An import holds at most 10,000 records: one statement's parameters hold them all.
      takenBarcodes: (orgId, barcodes) =>
        barcodes.length === 0
          ? Effect.succeed([])
          : sql<{ readonly barcode: string }>`SELECT barcode FROM resource_units
              WHERE org_id = ${orgId} AND deleted_at IS NULL AND barcode IN ${sql.in(barcodes)}`.pipe(
              Effect.map((rows) => {
                const taken = new Set(rows.map((row) => row.barcode))
                return barcodes.filter((barcode) => taken.has(barcode))
              }),
              Effect.orDie
            )
    })
  })
)

interface StandingRow {
  readonly id: string
  readonly resource_id: string
  readonly status: ResourceUnit.UnitStatus
  readonly deleted_at: Date | null
  readonly resource_status: Resource.ResourceStatus
  readonly resource_deleted_at: Date | null
}

const instantOrNull = (date: Date | null) => (date === null ? null : DateTime.fromDateUnsafe(date))

const toStanding = (row: StandingRow): InventoryRepos.UnitStanding => ({
  unit: {
    id: ResourceUnit.UnitId.make(row.id),
    resourceId: Resource.ResourceId.make(row.resource_id),
    status: row.status,
    deletedAt: instantOrNull(row.deleted_at)
  },
  resource: { status: row.resource_status, deletedAt: instantOrNull(row.resource_deleted_at) }
})

// --- parts --------------------------------------------------------------------------------------

const partColumns = (fields: Readonly<Record<string, unknown>>) => {
  const { unitPrice, ...rest } = fields as { readonly unitPrice?: { amount: number; currency: string } }
  const columns = PgRecords.toColumns(rest)
  if (unitPrice !== undefined) {
    columns.unit_price_amount = unitPrice.amount
    columns.unit_price_currency = unitPrice.currency
  }
  return columns
}

const partOf = (row: PgRecords.Row) => {
  const { unitPriceAmount, unitPriceCurrency, ...fields } = PgRecords.toFields(row)
  // bigint columns arrive as strings; prices stay far below 2^53.
  return PgRecords.construct(
    Part.Part,
    { ...fields, unitPrice: { amount: Number(unitPriceAmount), currency: String(unitPriceCurrency) } },
    PgRecords.trusted
  )
}

/**
 * @since 0.1.0
 * @category layers
 */
export const partRepo: Layer.Layer<InventoryRepos.PartRepo, never, SqlClient.SqlClient> = Layer.effect(
  InventoryRepos.PartRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const records = yield* PgRecords.make<Part.Part, Part.PartFilters, Part.PartSort>({
      table: "parts",
      entity: "part",
      decode: partOf,
      encode: partColumns,
      filters: (sql, filters) => [
        TextSearch.contains(sql, ["sku", "name"], filters.q),
        filters.lowStock === undefined
          ? undefined
          : filters.lowStock
            ? sql`quantity_on_hand <= reorder_level`
            : sql`quantity_on_hand > reorder_level`
      ],
      sorts: {
        name: byName,
        sku: { name: "sku", kind: "text" },
        quantityOnHand: { name: "quantity_on_hand", kind: "number" },
        createdAt: byCreation
      },
      defaultSort: { field: "name", direction: "asc" },
      unique: { parts_sku_key: { entity: "part", field: "sku" } }
    })
    const lower = (sku: string) => sku.toLowerCase()
    return InventoryRepos.PartRepo.of({
      ...records,
      // Compared as the unique index compares them (`lower(sku)`), answered as the caller gave them.
      takenSkus: (orgId, skus) =>
        skus.length === 0
          ? Effect.succeed([])
          : sql<{ readonly sku: string }>`SELECT lower(sku) AS sku FROM parts
              WHERE org_id = ${orgId} AND deleted_at IS NULL AND lower(sku) IN ${sql.in(skus.map(lower))}`.pipe(
              Effect.map((rows) => {
                const taken = new Set(rows.map((row) => row.sku))
                return skus.filter((sku) => taken.has(lower(sku)))
              }),
              Effect.orDie
            )
    })
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(siteRepo, tagRepo, resourceRepo, unitRepo, partRepo)
