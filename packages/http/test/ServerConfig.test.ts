import { assert, describe, it } from "@effect/vitest"
import { Deadlines } from "@rota/storage-pg"
import { ConfigProvider, Duration, Effect, Exit, Layer } from "effect"
import { ServerConfig } from "../src/index.ts"

const read = (env: Record<string, string>) =>
  Effect.exit(
    Effect.service(ServerConfig.ServerConfig).pipe(
      Effect.provide(
        ServerConfig.ServerConfig.layerFromEnv.pipe(
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env })))
        )
      )
    )
  )

describe("ServerConfig", () => {
  it.effect("database timeouts default to bounded values, so no database wait is endless", () =>
    Effect.gen(function* () {
      const settings = yield* read({})
      assert.isTrue(Exit.isSuccess(settings))
      if (!Exit.isSuccess(settings)) return
      const timeouts = settings.value.databaseTimeouts
      for (const bound of Object.values(timeouts)) assert.isTrue(Deadlines.isOn(bound))
      assert.isAtMost(Duration.toMillis(timeouts.acquire), 3_000)
      assert.strictEqual(settings.value.databasePoolSize, 16)
    })
  )

  it.effect("ROTA_DB_* set the pool size and each timeout in milliseconds; 0 turns a timeout off", () =>
    Effect.gen(function* () {
      const settings = yield* read({
        ROTA_DB_POOL_SIZE: "4",
        ROTA_DB_CONNECT_TIMEOUT_MS: "1500",
        ROTA_DB_ACQUIRE_TIMEOUT_MS: "250",
        ROTA_DB_STATEMENT_TIMEOUT_MS: "8000",
        ROTA_DB_LOCK_TIMEOUT_MS: "0",
        ROTA_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "60000"
      })
      assert.isTrue(Exit.isSuccess(settings))
      if (!Exit.isSuccess(settings)) return
      const timeouts = settings.value.databaseTimeouts
      assert.strictEqual(settings.value.databasePoolSize, 4)
      assert.deepStrictEqual(
        [timeouts.connect, timeouts.acquire, timeouts.statement, timeouts.idleInTransaction].map(
          Duration.toMillis
        ),
        [1500, 250, 8000, 60000]
      )
      assert.isFalse(Deadlines.isOn(timeouts.lock))
      assert.deepStrictEqual(Deadlines.startupParameters(timeouts), {
        statement_timeout: "8000",
        lock_timeout: "0",
        idle_in_transaction_session_timeout: "60000"
      })
    })
  )

  it.effect("a negative or non-numeric timeout, or an empty pool, refuses to start", () =>
    Effect.gen(function* () {
      for (const env of [
        { ROTA_DB_STATEMENT_TIMEOUT_MS: "-1" },
        { ROTA_DB_ACQUIRE_TIMEOUT_MS: "2s" },
        { ROTA_DB_POOL_SIZE: "0" }
      ]) {
        assert.isTrue(Exit.isFailure(yield* read(env)), JSON.stringify(env))
      }
    })
  )
})
