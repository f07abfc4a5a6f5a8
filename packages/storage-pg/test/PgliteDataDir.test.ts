import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as PgliteClient from "../src/PgliteClient.ts"
import * as PgliteDataDir from "../src/PgliteDataDir.ts"

const root = mkdtempSync(join(tmpdir(), "rota-pglite-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// Opens the store in `dataDir`, runs `f` on it and closes it again.
const withStore = <A, E>(dataDir: string, f: (sql: SqlClient.SqlClient) => Effect.Effect<A, E>) =>
  Effect.scoped(
    Effect.flatMap(Layer.build(PgliteClient.layer({ dataDir })), (context) =>
      f(Context.get(context, SqlClient.SqlClient))
    )
  )

describe("PgliteDataDir", () => {
  it.live(
    "a new folder is created apart and opened; what was committed there is read back by the next instance",
    () =>
      Effect.gen(function* () {
        const dataDir = join(root, "new")
        assert.isFalse(PgliteDataDir.exists(dataDir))
        yield* withStore(dataDir, (sql) =>
          Effect.gen(function* () {
            assert.isTrue(PgliteDataDir.exists(dataDir))
            yield* sql`CREATE TABLE kept (id int PRIMARY KEY, during tstzrange NOT NULL,
              EXCLUDE USING gist (id WITH =, during WITH &&))`
            yield* sql`INSERT INTO kept VALUES (1, tstzrange('2030-01-01', '2030-01-02'))`
          })
        )
        const reopened = yield* withStore(dataDir, (sql) =>
          Effect.all({
            rows: sql<{ id: number }>`SELECT id FROM kept`,
            buffers: sql<{ shared_buffers: string }>`SHOW shared_buffers`,
            fsync: sql<{ fsync: string }>`SHOW fsync`,
            overlap: Effect.exit(
              sql`INSERT INTO kept VALUES (1, tstzrange('2030-01-01 12:00', '2030-01-03'))`
            )
          })
        )
        assert.deepStrictEqual(reopened.rows, [{ id: 1 }])
        // The smaller buffer pool; everything else is PGlite's own start parameters.
        assert.deepStrictEqual(reopened.buffers, [{ shared_buffers: "8MB" }])
        assert.deepStrictEqual(reopened.fsync, [{ fsync: "off" }])
        assert.isTrue(Exit.isFailure(reopened.overlap))
      }),
    120_000
  )

  it.live("a folder that cannot be created fails to open, with the child's error as the cause", () =>
    Effect.gen(function* () {
      const file = join(root, "a-file")
      writeFileSync(file, "not a folder")
      const error = yield* Effect.flip(withStore(file, () => Effect.void))
      assert.strictEqual(error.reason._tag, "ConnectionError")
      assert.include(String(error.reason.cause), `Creating the database in ${file} failed (exit code 1)`)
    })
  )
})
