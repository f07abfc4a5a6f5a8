import { assert, describe, it } from "@effect/vitest"
import { Deadlines } from "@rota/storage-pg"
import { Cause, ConfigProvider, Duration, Effect, Exit, Layer, Option } from "effect"
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

  it.effect(
    "each rate limit has its default, 0 turns it off, a bad value (a negative one too) names it",
    () =>
      Effect.gen(function* () {
        const limits = [
          ["ROTA_RATE_LIMIT_AUTH", "rateLimitAuth", 30],
          ["ROTA_RATE_LIMIT_API", "rateLimitApi", 600],
          ["ROTA_RATE_LIMIT_PUBLIC", "rateLimitPublic", 120]
        ] as const
        const unset = yield* read({})
        for (const [name, field, fallback] of limits) {
          assert.isTrue(Exit.isSuccess(unset) && unset.value[field] === fallback, name)
          const off = yield* read({ [name]: "0" })
          assert.isTrue(Exit.isSuccess(off) && off.value[field] === 0, name)
          const set = yield* read({ [name]: "300" })
          assert.isTrue(Exit.isSuccess(set) && set.value[field] === 300, name)
          for (const value of ["-1", "1.5", "many", "1000001"]) {
            const refused = yield* read({ [name]: value })
            assert.isTrue(Exit.isFailure(refused), `${name}=${value}`)
            if (!Exit.isFailure(refused)) continue
            const error = Cause.findErrorOption(refused.cause)
            assert.isTrue(Option.isSome(error), `${name}=${value}`)
            if (Option.isNone(error)) continue
            assert.deepStrictEqual(
              error.value.problems.map((line) => line.split(":")[0]),
              [name],
              value
            )
          }
        }
      })
  )

  it.effect("ROTA_CACHE_STORE_TIMEOUT_MS defaults to 250 ms; outside 10..60000 it names itself", () =>
    Effect.gen(function* () {
      const unset = yield* read({})
      assert.isTrue(Exit.isSuccess(unset) && unset.value.cacheStoreTimeoutMillis === 250)
      const set = yield* read({ ROTA_CACHE_STORE_TIMEOUT_MS: "2000" })
      assert.isTrue(Exit.isSuccess(set) && set.value.cacheStoreTimeoutMillis === 2000)
      for (const value of ["0", "-5", "1.5", "60001", "soon"])
        assert.isTrue(Exit.isFailure(yield* read({ ROTA_CACHE_STORE_TIMEOUT_MS: value })), value)
    })
  )

  it.effect("LOG_LEVEL is read in any case, and warning means warn", () =>
    Effect.gen(function* () {
      for (const [given, level] of [
        ["info", "Info"],
        ["INFO", "Info"],
        ["Debug", "Debug"],
        ["warning", "Warn"],
        ["error", "Error"]
      ] as const) {
        const settings = yield* read({ LOG_LEVEL: given })
        assert.isTrue(Exit.isSuccess(settings), given)
        if (Exit.isSuccess(settings)) assert.strictEqual(settings.value.logLevel, level)
      }
    })
  )

  it.effect("every bad variable gets its own readable line naming it, without its value", () =>
    Effect.gen(function* () {
      const settings = yield* read({
        PORT: "abc",
        LOG_LEVEL: "loud",
        ROTA_JOBS: "maybe",
        ROTA_DB_LOCK_TIMEOUT_MS: "-5",
        ROTA_LOG_FORMAT: "xml"
      })
      assert.isTrue(Exit.isFailure(settings))
      if (!Exit.isFailure(settings)) return
      const error = Cause.findErrorOption(settings.cause)
      assert.isTrue(Option.isSome(error))
      if (!Option.isSome(error)) return
      assert.instanceOf(error.value, ServerConfig.InvalidConfig)
      const problems = (error.value as ServerConfig.InvalidConfig).problems
      assert.deepStrictEqual(problems.map((line) => line.split(":")[0]).sort(), [
        "LOG_LEVEL",
        "PORT",
        "ROTA_DB_LOCK_TIMEOUT_MS",
        "ROTA_JOBS",
        "ROTA_LOG_FORMAT"
      ])
      assert.strictEqual(problems.length, 5)
      for (const line of problems) {
        assert.notInclude(line, "\n")
        assert.notInclude(line, "SchemaError")
        assert.notInclude(line, "abc")
      }
    })
  )

  it.effect("production without a database and a signing key names both", () =>
    Effect.gen(function* () {
      const settings = yield* read({ NODE_ENV: "production" })
      assert.isTrue(Exit.isFailure(settings))
      if (!Exit.isFailure(settings)) return
      const error = Option.getOrUndefined(Cause.findErrorOption(settings.cause)) as ServerConfig.InvalidConfig
      assert.strictEqual(error.problems.length, 2)
      assert.match(error.problems.join("\n"), /DATABASE_URL[\s\S]*ROTA_JWT_SECRET/)
    })
  )

  it.effect("ROTA_METRICS=off, ROTA_LOG_FORMAT and the OTLP endpoint are read", () =>
    Effect.gen(function* () {
      const settings = yield* read({
        ROTA_METRICS: "off",
        ROTA_LOG_FORMAT: "pretty",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_SERVICE_NAME: "rota-eu"
      })
      assert.isTrue(Exit.isSuccess(settings))
      if (!Exit.isSuccess(settings)) return
      assert.isFalse(settings.value.metrics)
      assert.strictEqual(settings.value.logFormat, "pretty")
      assert.strictEqual(settings.value.otlpEndpoint, "http://collector:4318")
      assert.strictEqual(settings.value.serviceName, "rota-eu")
      const bad = yield* read({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })
      assert.isTrue(Exit.isFailure(bad))
    })
  )
})
