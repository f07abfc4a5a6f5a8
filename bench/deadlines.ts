/**
 * Micro-bench of the client-side statement deadline: N sequential `SELECT 1` through the pool
 * bare and through `Deadlines.bound`, interleaved rounds. `node --conditions=@rota/source bench/deadlines.ts`
 */
import { PgClient } from "@effect/sql-pg"
import { Context, Duration, Effect, Layer, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { Database, Deadlines } from "../packages/storage-pg/src/index.ts"

const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
const n = Number(process.argv[2] ?? 5000)
const concurrency = Number(process.argv[3] ?? 1)

const bare = Layer.effect(
  SqlClient.SqlClient,
  PgClient.make({
    url: Redacted.make(url),
    maxConnections: 8,
    startupParameters: Deadlines.startupParameters(Deadlines.defaults)
  })
).pipe(Layer.provide(Reactivity.layer))
const variant = process.argv[4] ?? "both"
const bounded = Database.layer({
  url: Redacted.make(url),
  maxConnections: 8,
  timeouts: {
    ...Deadlines.defaults,
    ...(variant === "acquire" ? { statement: Duration.zero } : {}),
    ...(variant === "statement" ? { acquire: Duration.zero } : {}),
    ...(variant === "none" ? { statement: Duration.zero, acquire: Duration.zero } : {})
  }
})

const run = (label: string, sql: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const started = performance.now()
    const cpu = process.cpuUsage()
    yield* Effect.forEach(
      Array.from({ length: concurrency }, (_, i) => i),
      () => Effect.repeat(sql`SELECT 1`, { times: Math.floor(n / concurrency) - 1 }),
      { concurrency: "unbounded", discard: true }
    )
    const elapsed = performance.now() - started
    const used = process.cpuUsage(cpu)
    console.log(
      `${label.padEnd(10)} ${((n / elapsed) * 1000).toFixed(0).padStart(7)} stmt/s  ${((elapsed * 1000) / n).toFixed(1)} us/stmt wall, ${((used.user + used.system) / n).toFixed(1)} us/stmt CPU`
    )
  })

const tx = (label: string, sql: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const started = performance.now()
    const cpu = process.cpuUsage()
    const m = Math.floor(n / 5)
    yield* Effect.repeat(sql.withTransaction(Effect.andThen(sql`SELECT 1`, sql`SELECT 2`)), { times: m - 1 })
    const elapsed = performance.now() - started
    const used = process.cpuUsage(cpu)
    console.log(
      `${label.padEnd(10)} ${((m / elapsed) * 1000).toFixed(0).padStart(7)} tx/s    ${((elapsed * 1000) / m).toFixed(1)} us/tx wall, ${((used.user + used.system) / m).toFixed(1)} us/tx CPU (BEGIN, 2 statements, COMMIT)`
    )
  })

Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const a = Context.get(yield* Layer.build(bare), SqlClient.SqlClient)
      const b = Context.get(yield* Layer.build(bounded), SqlClient.SqlClient)
      yield* run("warm", a)
      yield* run("warm", b)
      for (let round = 0; round < 3; round++) {
        yield* run("bare", a)
        yield* run("deadline", b)
        yield* tx("bare tx", a)
        yield* tx("deadl. tx", b)
      }
    })
  )
).then(() => process.exit(0))
