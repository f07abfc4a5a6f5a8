import { assert, describe, layer } from "@effect/vitest"
import { Ids, Pagination } from "@rota/core"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { Keyset, VersionedRows } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const createTable = Effect.flatMap(
  Effect.service(SqlClient.SqlClient),
  (sql) => sql`CREATE TABLE IF NOT EXISTS gadgets (
    org_id uuid NOT NULL, id uuid NOT NULL, name text NOT NULL, version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(), deleted_at timestamptz, PRIMARY KEY (org_id, id))`
)

const insertGadget = (orgId: string, name: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const id = yield* Ids.nextId(Ids.AccountId)
    yield* sql`INSERT INTO gadgets ${sql.insert({ org_id: orgId, id, name })}`
    return id as string
  })

const target = (orgId: string, id: string, expectedVersion: number | undefined) => ({
  table: "gadgets",
  entity: "gadget",
  orgId,
  id,
  expectedVersion
})

interface Gadget {
  readonly id: string
  readonly name: string
  readonly version: number
}

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Ids.Ids.layer.pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("versioned rows", (it) => {
      it.effect("12 parallel updates from one version: exactly one wins, the version rises by one", () =>
        Effect.gen(function* () {
          yield* createTable
          const orgId = yield* Ids.nextId(Ids.OrgId)
          const id = yield* insertGadget(orgId, "g")
          const results = yield* Effect.all(
            Array.from({ length: 12 }, (_, i) =>
              Effect.result(VersionedRows.update<Gadget>(target(orgId, id, 1), { name: `writer ${i}` }))
            ),
            { concurrency: "unbounded" }
          )
          const won = results.filter((result) => result._tag === "Success")
          const lost = results.filter((result) => result._tag === "Failure")
          assert.strictEqual(won.length, 1)
          assert.strictEqual(lost.length, 11)
          assert.isTrue(
            lost.every((result) => result._tag === "Failure" && result.failure._tag === "PreconditionFailed")
          )
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<{ version: number }>`SELECT version FROM gadgets WHERE id = ${id}`
          assert.strictEqual(row?.version, 2)
        })
      )

      it.effect("soft delete hides a row from updates; restore brings it back; each raises the version", () =>
        Effect.gen(function* () {
          yield* createTable
          const orgId = yield* Ids.nextId(Ids.OrgId)
          const id = yield* insertGadget(orgId, "g")
          const deleted = yield* VersionedRows.softDelete<Gadget>(target(orgId, id, 1), new Date())
          assert.strictEqual(deleted.version, 2)
          const gone = yield* Effect.flip(
            VersionedRows.update<Gadget>(target(orgId, id, undefined), { name: "x" })
          )
          assert.strictEqual(gone._tag, "NotFound")
          const again = yield* Effect.flip(
            VersionedRows.softDelete<Gadget>(target(orgId, id, undefined), new Date())
          )
          assert.strictEqual(again._tag, "NotFound")
          const stale = yield* Effect.flip(VersionedRows.restore<Gadget>(target(orgId, id, 1)))
          assert.strictEqual(stale._tag, "PreconditionFailed")
          const restored = yield* VersionedRows.restore<Gadget>(target(orgId, id, 2))
          assert.strictEqual(restored.version, 3)
          const renamed = yield* VersionedRows.update<Gadget>(target(orgId, id, 3), { name: "back" })
          assert.deepStrictEqual([renamed.name, renamed.version], ["back", 4])
        })
      )

      it.effect("another org's row is not found, whatever the version", () =>
        Effect.gen(function* () {
          yield* createTable
          const orgId = yield* Ids.nextId(Ids.OrgId)
          const id = yield* insertGadget(orgId, "g")
          const other = yield* Ids.nextId(Ids.OrgId)
          const error = yield* Effect.flip(VersionedRows.update<Gadget>(target(other, id, 1), { name: "x" }))
          assert.strictEqual(error._tag, "NotFound")
        })
      )

      it.effect("keyset pagination over 27 rows returns each exactly once, in both directions", () =>
        Effect.gen(function* () {
          yield* createTable
          const sql = yield* SqlClient.SqlClient
          const orgId = yield* Ids.nextId(Ids.OrgId)
          // Duplicate names force the id tie-breaker.
          for (let i = 0; i < 27; i++) yield* insertGadget(orgId, `name-${i % 5}`)
          const column: Keyset.Column = { name: "name", kind: "text" }
          for (const direction of ["asc", "desc"] as const) {
            const seen: Array<string> = []
            let cursor: string | null = null
            do {
              const position: Pagination.Position | undefined =
                cursor === null ? undefined : yield* Pagination.decodeCursor(cursor)
              const rows: ReadonlyArray<Gadget> = yield* sql<Gadget>`SELECT id, name, version FROM gadgets
                  WHERE org_id = ${orgId} ${position === undefined ? sql`` : sql`AND ${Keyset.after(sql, column, direction, position)}`}
                  ${Keyset.orderBy(sql, column, direction)} LIMIT ${5 + 1}`
              const page: Pagination.Page<Gadget> = Pagination.fromRows(rows, 5, (row) => [
                Keyset.keyOf(row.name),
                row.id
              ])
              seen.push(...page.items.map((row) => row.id))
              cursor = page.nextCursor
            } while (cursor !== null)
            assert.strictEqual(seen.length, 27, direction)
            assert.strictEqual(new Set(seen).size, 27, direction)
          }
        })
      )
    })
  })
}
