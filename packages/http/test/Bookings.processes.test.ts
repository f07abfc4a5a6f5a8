import { PgClient } from "@effect/sql-pg"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import * as ServerGroup from "./fixtures/ServerGroup.ts"
import { json } from "./fixtures/ServerGroup.ts"

const base = process.env.DATABASE_URL || undefined

describe.runIf(base !== undefined)("three server processes on one database", () => {
  const servers = ServerGroup.make(base!)
  afterAll(servers.stop)

  it("50 parallel bookings spread over 3 servers, 5 times: one 201 each time, no overlap", async () => {
    const { urls, databaseUrl: url } = await servers.start(3)
    const headers = await ServerGroup.registerOwner(urls[0]!, "proc", "Processes")
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
        `round ${round}: ${statuses.join(",")}\n${servers.output(3000)}`
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
