import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { SqlErrors } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const constraints = { gadgets_org_serial_key: { entity: "gadget", field: "serial" } }

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(store.layer, { timeout: 60_000 })("SqlErrors", (it) => {
      it.effect("a named unique violation becomes AlreadyExists; other failures die", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE gadgets (org_id uuid NOT NULL, serial text NOT NULL,
            CONSTRAINT gadgets_org_serial_key UNIQUE (org_id, serial))`
          const org = "018f0000-0000-7000-8000-000000000001"
          const insert = (serial: string) =>
            sql`INSERT INTO gadgets ${sql.insert({ org_id: org, serial })}`.pipe(
              SqlErrors.uniqueAsAlreadyExists(constraints)
            )
          yield* insert("A-1")
          const error = yield* Effect.flip(insert("A-1"))
          assert.strictEqual(error._tag, "AlreadyExists")
          assert.deepStrictEqual(
            { entity: error.entity, field: error.field },
            { entity: "gadget", field: "serial" }
          )

          const syntax = yield* Effect.exit(sql`SELEC 1`.pipe(SqlErrors.uniqueAsAlreadyExists(constraints)))
          assert.isTrue(
            syntax._tag === "Failure" && syntax.cause.reasons.some((reason) => reason._tag === "Die")
          )
        })
      )

      it.effect("exposes the SQLSTATE and constraint of a failure", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE slots (subject text NOT NULL, during tstzrange NOT NULL,
            CONSTRAINT slots_no_overlap EXCLUDE USING gist (subject WITH =, during WITH &&))`
          yield* sql`INSERT INTO slots VALUES ('u1', tstzrange('2030-01-01 10:00Z', '2030-01-01 11:00Z', '[)'))`
          // Back-to-back half-open intervals do not overlap.
          yield* sql`INSERT INTO slots VALUES ('u1', tstzrange('2030-01-01 11:00Z', '2030-01-01 12:00Z', '[)'))`
          const error = yield* Effect.flip(
            sql`INSERT INTO slots VALUES ('u1', tstzrange('2030-01-01 10:30Z', '2030-01-01 10:45Z', '[)'))`
          )
          assert.strictEqual(SqlErrors.sqlState(error), "23P01")
          assert.strictEqual(SqlErrors.constraintName(error), "slots_no_overlap")
        })
      )
    })
  })
}
