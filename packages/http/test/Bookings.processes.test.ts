/**
 * Three separate server processes on one PostgreSQL database: 50 parallel booking requests for
 * one unit and slot, spread over the three, still give exactly one booking. Runs when
 * `DATABASE_URL` names a PostgreSQL server (PGlite cannot be shared between processes).
 */
import type { ChildProcess } from "node:child_process"
import { PgClient } from "@effect/sql-pg"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect, Exit, Redacted, Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { start as startProcess } from "./fixtures/ServerProcess.ts"

const base = process.env.DATABASE_URL || undefined

const start = (databaseUrl: string) =>
  startProcess({
    DATABASE_URL: databaseUrl,
    ROTA_JWT_SECRET: "a-shared-secret-for-the-three-test-servers-0123456789",
    ROTA_RATE_LIMIT_AUTH: "0",
    ROTA_RATE_LIMIT_API: "0",
    ROTA_DEMO_DATA: "false",
    LOG_LEVEL: "Warn"
  })

const json = async (response: Response) => (await response.json()) as Record<string, unknown>

describe.runIf(base !== undefined)("three server processes on one database", () => {
  const children: Array<ChildProcess> = []
  const outputs: Array<() => string> = []
  const scope = Effect.runSync(Scope.make())
  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM")
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it("50 parallel bookings spread over 3 servers, 5 times: one 201 each time, no overlap", async () => {
    const { url } = await Effect.runPromise(Scope.provide(TestDatabase.freshPostgresDatabase(base!), scope))
    // The first server migrates; the others start once it is up.
    const first = start(url)
    children.push(first.child)
    outputs.push(first.output)
    const urls = [await first.listening]
    for (let index = 0; index < 2; index++) {
      const server = start(url)
      children.push(server.child)
      outputs.push(server.output)
      urls.push(await server.listening)
    }
    const name = `proc${Math.random().toString(36).slice(2, 8)}`
    const registered = await json(
      await fetch(`${urls[0]}/v1/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: `${name}@example.test`,
          username: name,
          password: "Processes-Secret-1",
          fullName: "Process Owner",
          orgName: "Processes"
        })
      })
    )
    const headers = {
      authorization: `Bearer ${registered.accessToken as string}`,
      "x-org-id": (registered.org as { id: string }).id,
      "content-type": "application/json"
    }
    const resource = await json(
      await fetch(`${urls[1]}/v1/resources`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "Shared kit", type: "kit" })
      })
    )
    const unit = await json(
      await fetch(`${urls[2]}/v1/resources/${resource.id as string}/units`, {
        method: "POST",
        headers,
        body: JSON.stringify({ barcode: "PROC-1" })
      })
    )
    const day = Date.now() + 48 * 3_600_000
    for (let round = 0; round < 5; round++) {
      const startAt = new Date(day + round * 7_200_000).toISOString()
      const endAt = new Date(day + round * 7_200_000 + 3_600_000).toISOString()
      const statuses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          fetch(`${urls[index % 3]}/v1/bookings`, {
            method: "POST",
            headers: { ...headers, "idempotency-key": `round-${round}-${index}` },
            body: JSON.stringify({ startAt, endAt, purpose: "race", items: [{ unitId: unit.id }] })
          }).then((response) => response.status)
        )
      )
      assert.deepStrictEqual(
        [
          statuses.filter((status) => status === 201).length,
          statuses.filter((status) => status === 409).length
        ],
        [1, 49],
        `round ${round}: ${statuses.join(",")}\n${outputs.map((output) => output().slice(-3000)).join("\n")}`
      )
    }
    const overlapping = await Effect.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql<{
          pairs: number
        }>`SELECT count(*)::int AS pairs FROM allocations a JOIN allocations b
          ON a.org_id = b.org_id AND a.subject_id = b.subject_id AND a.id < b.id AND a.during && b.during
          WHERE a.active AND b.active`
      }).pipe(
        Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })),
        Effect.provide(Reactivity.layer),
        Effect.scoped,
        Effect.orDie
      )
    )
    assert.strictEqual(overlapping[0]?.pairs, 0)
  }, 180_000)
})
