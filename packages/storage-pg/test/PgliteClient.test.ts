import { PgTypes } from "@effect/sql-pg"
import { assert, describe, layer } from "@effect/vitest"
import { Deferred, Effect } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import * as PgliteClient from "../src/PgliteClient.ts"

const causeCode = (error: SqlError.SqlError): string | undefined =>
  (error.reason.cause as { code?: string }).code

// A real timer: the test clock would never let it fire, and the point is to give a fiber that is
// not held back the time to run its statement.
const realDelay = (millis: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

describe("PgliteClient", () => {
  layer(PgliteClient.layer({}), { timeout: 60_000 })("on one shared in-memory instance", (it) => {
    it.effect("statements round-trip parameters and compile with the pg dialect", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE round_trip (id int PRIMARY KEY, name text NOT NULL)`
        yield* sql`INSERT INTO round_trip ${sql.insert([
          { id: 1, name: "drill" },
          { id: 2, name: "ladder" }
        ])}`
        yield* sql`UPDATE round_trip SET ${sql.update({ name: "long ladder" })} WHERE id = ${2}`
        const rows = yield* sql<{ id: number; name: string }>`
          SELECT id, name FROM ${sql("round_trip")} WHERE id IN ${sql.in([1, 2])} ORDER BY id`
        assert.deepStrictEqual(rows, [
          { id: 1, name: "drill" },
          { id: 2, name: "long ladder" }
        ])
        assert.strictEqual(sql.onDialectOrElse({ pg: () => "pg", orElse: () => "other" }), "pg")
        const pglite = (yield* PgliteClient.PgliteClient).pglite
        assert.isFalse(pglite.closed)
      })
    )

    it.effect(
      "the btree_gist exclusion constraint refuses overlapping ranges and accepts back-to-back ones",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE booking (
            subject text NOT NULL,
            starts_at timestamptz NOT NULL,
            ends_at timestamptz NOT NULL,
            CONSTRAINT booking_no_overlap EXCLUDE USING gist
              (subject WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
          )`
          const book = (subject: string, start: string, end: string) =>
            sql`INSERT INTO booking VALUES (${subject}, ${new Date(start)}, ${new Date(end)})`
          yield* book("drill-1", "2024-03-01T10:00:00Z", "2024-03-01T12:00:00Z")
          const overlap = yield* Effect.flip(book("drill-1", "2024-03-01T11:00:00Z", "2024-03-01T13:00:00Z"))
          assert.strictEqual(overlap.reason._tag, "ConstraintError")
          assert.strictEqual(causeCode(overlap), "23P01")
          yield* book("drill-1", "2024-03-01T12:00:00Z", "2024-03-01T14:00:00Z")
          yield* book("drill-2", "2024-03-01T11:00:00Z", "2024-03-01T13:00:00Z")
          const booked = yield* sql<{ count: bigint }>`SELECT count(*) FROM booking`
          assert.strictEqual(booked[0]?.count, 3n)
        })
    )

    it.effect("a unique violation fails with UniqueViolation naming the constraint", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE person (email text CONSTRAINT person_email_key UNIQUE)`
        yield* sql`INSERT INTO person VALUES (${"a@example.com"})`
        const error = yield* Effect.flip(sql`INSERT INTO person VALUES (${"a@example.com"})`)
        assert.strictEqual(error.reason._tag, "UniqueViolation")
        assert.strictEqual(
          error.reason._tag === "UniqueViolation" && error.reason.constraint,
          "person_email_key"
        )
        assert.strictEqual(causeCode(error), "23505")
        const syntax = yield* Effect.flip(sql`SELEC 1`)
        assert.strictEqual(syntax.reason._tag, "SqlSyntaxError")
      })
    )

    it.effect("a failed transaction rolls back everything it wrote", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE ledger (entry text)`
        const failed = yield* Effect.flip(
          sql.withTransaction(
            Effect.andThen(sql`INSERT INTO ledger VALUES ('lost')`, Effect.fail("boom" as const))
          )
        )
        assert.strictEqual(failed, "boom")
        yield* sql.withTransaction(sql`INSERT INTO ledger VALUES ('kept')`)
        const rows = yield* sql<{ entry: string }>`SELECT entry FROM ledger`
        assert.deepStrictEqual(rows, [{ entry: "kept" }])
      })
    )

    it.effect(
      "an open transaction has the connection to itself: other fibers' statements wait for its end",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TABLE tx_log (who text)`
          const aOpen = yield* Deferred.make<void>()
          const othersCalling = yield* Deferred.make<void>()
          const transactionA = sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`INSERT INTO tx_log VALUES ('a')`
              yield* Deferred.succeed(aOpen, undefined)
              yield* Deferred.await(othersCalling)
              yield* realDelay(50)
              // Had B or C slipped in, their rows would be visible here, inside A's transaction.
              const others = yield* sql<{ count: bigint }>`SELECT count(*) FROM tx_log WHERE who <> 'a'`
              assert.strictEqual(others[0]?.count, 0n)
              return yield* Effect.fail("a fails" as const)
            })
          )
          const afterAOpens = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
            Deferred.await(aOpen).pipe(
              Effect.andThen(Deferred.succeed(othersCalling, undefined)),
              Effect.andThen(effect)
            )
          const [a] = yield* Effect.all(
            [
              Effect.flip(transactionA),
              afterAOpens(sql.withTransaction(sql`INSERT INTO tx_log VALUES ('b')`)),
              afterAOpens(sql`INSERT INTO tx_log VALUES ('c')`)
            ],
            { concurrency: "unbounded" }
          )
          assert.strictEqual(a, "a fails")
          const rows = yield* sql<{ who: string }>`SELECT who FROM tx_log ORDER BY who`
          assert.deepStrictEqual(rows, [{ who: "b" }, { who: "c" }])
        })
    )

    it.effect("a failed nested transaction rolls back only its savepoint", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE nested (step text)`
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO nested VALUES ('outer')`
            const inner = yield* Effect.flip(
              sql.withTransaction(
                Effect.andThen(sql`INSERT INTO nested VALUES ('inner')`, Effect.fail("inner" as const))
              )
            )
            assert.strictEqual(inner, "inner")
            yield* sql.withTransaction(sql`INSERT INTO nested VALUES ('sibling')`)
          })
        )
        const rows = yield* sql<{ step: string }>`SELECT step FROM nested ORDER BY step`
        assert.deepStrictEqual(rows, [{ step: "outer" }, { step: "sibling" }])
      })
    )

    it.effect("committing a transaction aborted by a swallowed error fails, as on sql-pg", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const error = yield* Effect.flip(
          sql.withTransaction(Effect.andThen(Effect.ignore(sql`SELECT 1 / 0`), Effect.void))
        )
        assert.strictEqual(error.reason._tag, "UnknownError")
        assert.strictEqual(error.reason.operation, "commit")
      })
    )

    it.effect("rows decode to the values @effect/sql-pg returns", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [row] = yield* sql<Record<string, unknown>>`SELECT
          '2024-03-01T10:00:00.123456Z'::timestamptz AS tstz,
          '2024-03-01'::date AS day,
          42::int4 AS int4,
          count(*) AS count,
          9007199254740993::int8 AS int8,
          12.50::numeric AS numeric,
          true AS bool,
          '{"a":1,"b":[true,null]}'::jsonb AS jsonb,
          '{"a":1}'::json AS json,
          'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS uuid,
          ARRAY['x', NULL] AS text_array,
          '\\x01ff'::bytea AS bytea,
          tstzrange('2024-03-01T10:00:00Z', '2024-03-01T11:00:00Z', '[)')::text AS range_text,
          lower(tstzrange('2024-03-01T10:00:00Z', '2024-03-01T11:00:00Z', '[)')) AS range_lower,
          '1 day 02:00:00.5'::interval AS interval,
          '10:30:00'::time AS time`
        assert.deepStrictEqual(row, {
          tstz: new Date("2024-03-01T10:00:00.123Z"),
          day: "2024-03-01",
          int4: 42,
          count: 1n,
          int8: 9007199254740993n,
          numeric: "12.50",
          bool: true,
          jsonb: { a: 1, b: [true, null] },
          json: { a: 1 },
          uuid: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
          text_array: ["x", null],
          bytea: new Uint8Array([1, 255]),
          range_text: '["2024-03-01 10:00:00+00","2024-03-01 11:00:00+00")',
          range_lower: new Date("2024-03-01T10:00:00Z"),
          interval: { months: 0, days: 1, microseconds: 7_200_500_000n },
          time: 37_800_000_000n
        })
      })
    )

    it.effect("parameters are typed as @effect/sql-pg types them", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const at = new Date("2024-03-01T10:00:00.123Z")
        const [row] = yield* sql<Record<string, unknown>>`SELECT
          ${at} AS date,
          ${42} AS int,
          ${10_000_000_000} AS big,
          ${4.5} AS float,
          ${true} AS bool,
          ${["a", "b"]} AS array,
          ${"5"}::int AS untyped_string,
          ${PgTypes.jsonb({ a: [1, "x"] })} AS jsonb,
          ${PgTypes.jsonb("s")} AS jsonb_string`
        assert.deepStrictEqual(row, {
          date: at,
          int: 42,
          big: 10_000_000_000n,
          float: 4.5,
          bool: true,
          array: ["a", "b"],
          untyped_string: 5,
          jsonb: { a: [1, "x"] },
          jsonb_string: "s"
        })
        // sql-pg binds a number as int4, so comparing it with text is an error on both.
        const mismatch = yield* Effect.flip(sql`SELECT 'a'::text = ${5}`)
        assert.strictEqual(causeCode(mismatch), "42883")
      })
    )
  })
})
