import { PgClient } from "@effect/sql-pg"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { receiver } from "./fixtures/Receiver.ts"
import * as ServerGroup from "./fixtures/ServerGroup.ts"
import { json } from "./fixtures/ServerGroup.ts"

const base = process.env.DATABASE_URL || undefined

describe.runIf(base !== undefined)("webhooks with three server processes on one database", () => {
  const servers = ServerGroup.make(base!)
  afterAll(servers.stop)

  it("30 events written through 3 servers reach the receiver exactly once each", async () => {
    const target = await servers.scoped(receiver)
    // Slow answers: one attempt outlasts the 2 s tick, so the next tick (on any server) runs
    // while deliveries are in flight.
    target.delay = 2_500
    const { urls, databaseUrl: url } = await servers.start(3, {
      ROTA_WEBHOOK_ALLOW_PRIVATE: "true",
      // The machine running tests may be busy: a connection may take more than 2 s to open or free.
      ROTA_DB_CONNECT_TIMEOUT_MS: "15000",
      ROTA_DB_ACQUIRE_TIMEOUT_MS: "15000"
    })
    const headers = await ServerGroup.registerOwner(urls[0]!, "hooks", "Hooks")
    const created = await fetch(`${urls[1]}/v1/webhooks`, {
      method: "POST",
      headers,
      body: JSON.stringify({ url: `${target.url}/hook`, topics: ["tag.created"] })
    })
    assert.strictEqual(created.status, 201)
    const tagIds: Array<string> = []
    for (let wave = 0; wave < 10; wave++) {
      const answers = await Promise.all(
        [0, 1, 2].map((server) =>
          fetch(`${urls[server]}/v1/tags`, {
            method: "POST",
            headers,
            body: JSON.stringify({ name: `tag-${wave}-${server}` })
          }).then(json)
        )
      )
      tagIds.push(...answers.map((answer) => answer.id as string))
      await new Promise((resolve) => setTimeout(resolve, 400))
    }
    const deadline = Date.now() + 90_000
    while (target.received.length < 30 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    // Anything sent twice would arrive within a few more ticks.
    await new Promise((resolve) => setTimeout(resolve, 4_000))
    const events = target.received.map(
      (request) => JSON.parse(request.body) as { id: string; data: { id: string } }
    )
    const logs = servers.output(2000)
    assert.strictEqual(events.length, 30, logs)
    assert.strictEqual(new Set(events.map((event) => event.id)).size, 30)
    assert.deepStrictEqual(events.map((event) => event.data.id).sort(), [...tagIds].sort())

    const [rows, runners] = await Effect.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ status: string; attempts: number; count: number }>`
          SELECT status, attempts, count(*)::int AS count FROM webhook_deliveries GROUP BY status, attempts`
        const runners = yield* sql<{ servers: number }>`
          SELECT count(DISTINCT claimed_by)::int AS servers FROM job_runs WHERE job = 'webhooks.deliver'`
        return [rows, runners] as const
      }).pipe(
        Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })),
        Effect.provide(Reactivity.layer),
        Effect.scoped,
        Effect.orDie
      )
    )
    assert.deepStrictEqual(rows, [{ status: "delivered", attempts: 1, count: 30 }])
    assert.strictEqual(runners[0]?.servers, 3, "every server ran the webhook job")
  }, 240_000)
})
