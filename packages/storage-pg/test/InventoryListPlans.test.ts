/**
 * The inventory listings (sites, tags, resources, a resource's units, parts), planned on an org
 * of 100k resources, units and parts and 20k sites and tags (and a second org a tenth that
 * size): the statement each repository really sends (captured as it runs) reads its table
 * through an index, never sorts the whole org, and reads about a page. Run on PostgreSQL when
 * `DATABASE_URL` is set, else on PGlite. One seed serves every case.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids, InventoryRepos } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { Deadlines, Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { listingFailures } from "./fixtures/Plans.ts"

const rows = 100_000
const orgId = "3a8d6e2f-1c4b-4d5e-9f7a-000000000001" as Ids.OrgId
const otherOrg = "3a8d6e2f-1c4b-4d5e-9f7a-000000000002"
const prefix = "3a8d6e2f-1c4b-4d5e-9f7a-"
const idOf = (kind: number, n: number) => `${prefix}${(kind * 0x100000 + n).toString(16).padStart(12, "0")}`
const sqlId = (kind: number, n: string) =>
  `('${prefix}' || lpad(to_hex(${kind * 0x100000} + (${n})), 12, '0'))::uuid`
const [site, tag, resource] = [1, 2, 3]

// A resource on one of 20k sites (2,000 in use), of one of 10 types, 1% under maintenance; 500
// units per resource for the first 200; a part in twenty at or below its reorder level.
const seedOrg = (sql: SqlClient.SqlClient, org: string, count: number) =>
  Effect.forEach(
    [
      `INSERT INTO sites (org_id, id, name, created_at)
        SELECT '${org}', ${sqlId(site, "n")}, 'Site ' || n, now() - ((${count} - n) || ' minutes')::interval
        FROM generate_series(0, ${count / 5} - 1) AS n`,
      `INSERT INTO tags (org_id, id, name, created_at)
        SELECT '${org}', ${sqlId(tag, "n")}, 'tag-' || n, now() - ((${count} - n) || ' minutes')::interval
        FROM generate_series(0, ${count / 5} - 1) AS n`,
      `INSERT INTO resources (org_id, id, site_id, type, name, status, created_at)
        SELECT '${org}', ${sqlId(resource, "n")}, ${sqlId(site, "n % 2000")}, 'type-' || (n % 10), 'Resource ' || n,
          CASE WHEN n % 100 = 0 THEN 'MAINTENANCE' ELSE 'AVAILABLE' END,
          now() - ((${count} - n) || ' minutes')::interval
        FROM generate_series(0, ${count} - 1) AS n`,
      `INSERT INTO resource_tags (org_id, resource_id, tag_id)
        SELECT '${org}', ${sqlId(resource, "n")}, ${sqlId(tag, "n % 1000")} FROM generate_series(0, ${count} - 1) AS n`,
      `INSERT INTO resource_units (org_id, id, resource_id, barcode, condition, status, created_at)
        SELECT '${org}', gen_random_uuid(), ${sqlId(resource, "n % 200")}, 'U-' || lpad(n::text, 7, '0'),
          (ARRAY['NEW', 'GOOD', 'FAIR', 'DAMAGED'])[1 + n % 4],
          CASE WHEN n % 50 = 0 THEN 'MAINTENANCE' ELSE 'AVAILABLE' END,
          now() - ((${count} - n) || ' minutes')::interval
        FROM generate_series(0, ${count} - 1) AS n`,
      `INSERT INTO parts (org_id, id, sku, name, quantity_on_hand, unit_price_amount, unit_price_currency,
          reorder_level, created_at)
        SELECT '${org}', gen_random_uuid(), 'SKU-' || lpad(n::text, 7, '0'), 'Part ' || n,
          CASE WHEN n % 20 = 0 THEN 1 ELSE 50 + n % 500 END, 100, 'EUR', 5,
          now() - ((${count} - n) || ' minutes')::interval
        FROM generate_series(0, ${count} - 1) AS n`
    ],
    (statement) => sql.unsafe(statement),
    { discard: true }
  )

// Foreign keys are not what is planned: they are off while seeding (replica role).
const seed = (sql: SqlClient.SqlClient) =>
  sql
    .withTransaction(
      Effect.gen(function* () {
        yield* sql`SET LOCAL session_replication_role = replica`
        yield* sql`SET LOCAL statement_timeout = 0`
        yield* seedOrg(sql, orgId, rows)
        yield* seedOrg(sql, otherOrg, rows / 10)
      })
    )
    .pipe(
      Effect.andThen(
        Effect.forEach(["sites", "tags", "resources", "resource_tags", "resource_units", "parts"], (table) =>
          sql.unsafe(`ANALYZE ${table}`)
        )
      ),
      Effect.provideService(Deadlines.Unbounded, true)
    )

type Listing = Effect.Effect<unknown, unknown, Layer.Success<typeof Storage.layer>>

const page = { limit: 20, cursor: undefined }
const recordsOf =
  <Filters, Sort>(
    list: (
      orgId: Ids.OrgId,
      query: { filters: Filters; sort: Sort | undefined; limit: number; cursor: undefined }
    ) => Effect.Effect<unknown, unknown>
  ) =>
  (filters: object, sort?: object) =>
    list(orgId, { filters: filters as Filters, sort: sort as Sort, ...page })

const asc = (field: string) => ({ field, direction: "asc" })
const desc = (field: string) => ({ field, direction: "desc" })
const yesterday = DateTime.subtract(DateTime.nowUnsafe(), { days: 1 })

const cases = <S>(
  label: string,
  table: string,
  repo: Effect.Effect<S, never, Layer.Success<typeof Storage.layer>>,
  list: (repo: S) => (filters: object, sort?: object) => Effect.Effect<unknown, unknown>,
  each: ReadonlyArray<readonly [string, object, object?]>
): ReadonlyArray<readonly [string, string, Listing]> =>
  each.map(
    ([name, filters, sort]) =>
      [`${label} ${name}`, table, Effect.flatMap(repo, (service) => list(service)(filters, sort))] as const
  )

const listings: ReadonlyArray<readonly [string, string, Listing]> = [
  ...cases("sites", "sites", Effect.service(InventoryRepos.SiteRepo), (repo) => recordsOf(repo.list), [
    ["default (name)", {}],
    ["sort=-createdAt", {}, desc("createdAt")]
  ]),
  ...cases("tags", "tags", Effect.service(InventoryRepos.TagRepo), (repo) => recordsOf(repo.list), [
    ["default (name)", {}],
    ["sort=-createdAt", {}, desc("createdAt")]
  ]),
  ...cases(
    "resources",
    "resources",
    Effect.service(InventoryRepos.ResourceRepo),
    (repo) => recordsOf(repo.list),
    [
      ["default", {}],
      ["type", { types: ["type-3"] }],
      ["status=MAINTENANCE", { statuses: ["MAINTENANCE"] }],
      ["siteId", { siteId: idOf(site, 7) }],
      ["tag", { tag: "tag-7" }],
      ["createdFrom (the last day)", { createdFrom: yesterday }],
      ["sort=name", {}, asc("name")],
      ["sort=type", {}, asc("type")],
      ["sort=-createdAt", {}, desc("createdAt")]
    ]
  ),
  ...cases(
    "units",
    "resource_units",
    Effect.service(InventoryRepos.UnitRepo),
    (repo) => recordsOf(repo.list),
    [
      ["of a resource", { resourceId: idOf(resource, 7) }],
      ["of a resource, status=MAINTENANCE", { resourceId: idOf(resource, 7), statuses: ["MAINTENANCE"] }],
      ["of a resource, condition=DAMAGED", { resourceId: idOf(resource, 7), conditions: ["DAMAGED"] }],
      ["of a resource, sort=barcode", { resourceId: idOf(resource, 7) }, asc("barcode")],
      ["of a resource, sort=-createdAt", { resourceId: idOf(resource, 7) }, desc("createdAt")]
    ]
  ),
  ...cases("parts", "parts", Effect.service(InventoryRepos.PartRepo), (repo) => recordsOf(repo.list), [
    ["default (name)", {}],
    ["lowStock", { lowStock: true }],
    ["sort=sku", {}, asc("sku")],
    ["sort=-quantityOnHand", {}, desc("quantityOnHand")],
    ["sort=-createdAt", {}, desc("createdAt")]
  ])
]

const store = TestDatabase.stores().at(-1)!

describe(store.name, () => {
  layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
    timeout: 300_000,
    excludeTestServices: true
  })("inventory listings on an org of 100k rows a table", (it) => {
    it.effect(
      "every listing reads its table through an index, in page order, about a page of rows",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* seed(sql)
          assert.deepStrictEqual(yield* listingFailures(sql, listings), [])
        }),
      300_000
    )
  })
})
