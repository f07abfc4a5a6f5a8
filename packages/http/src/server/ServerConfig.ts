/**
 * The server's settings, read once from the environment at start-up (see the configuration
 * table in docs/configuration.md). Tests and embedding apps build one directly.
 *
 * @since 0.1.0
 */
import { Cause, type Config, Context, Effect, Exit, Layer, Option, Schema } from "effect"
import { fromEnv, timeoutsFromEnv } from "./EnvironmentVariables.ts"
import type { Settings } from "./Settings.ts"

/** @since 0.1.0 */
export { defaults, type Settings } from "./Settings.ts"

/**
 * The environment does not describe a server that can start: one readable line per bad
 * variable, printed as is at start-up (no stack trace).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfig extends Schema.TaggedError<InvalidConfig>()("InvalidConfig", {
  problems: Schema.Array(Schema.String)
}) {
  override get message() {
    return this.problems.join("\n")
  }
}

/**
 * One line for a variable that does not parse: its name and what was expected, never its value
 * (it may be a secret).
 *
 * @since 0.1.0
 * @category errors
 */
export const describeConfigError = (error: Config.ConfigError): string => {
  // The cause's own message: `error.message` wraps it in `SchemaError(...)`.
  const lines = error.cause.message.split("\n").map((line) => line.trim())
  const at = lines.find((line) => line.startsWith("at ["))
  const name = at === undefined ? undefined : /"([^"]+)"/.exec(at)?.[1]
  const expected = lines.filter((line) => line.length > 0 && !line.startsWith("at [")).join("; ")
  return name === undefined ? expected : `${name}: ${expected}`
}

// Every variable is read on its own, so one start reports all the bad ones, not the first.
const readAll = <Fields extends Record<string, Config.Config<unknown>>>(
  fields: Fields,
  problems: Array<string>
) =>
  Effect.gen(function* () {
    const values: Record<string, unknown> = {}
    for (const [key, config] of Object.entries(fields)) {
      const exit = yield* Effect.exit(config)
      if (Exit.isSuccess(exit)) values[key] = exit.value
      else {
        const error = Cause.findErrorOption(exit.cause)
        problems.push(Option.isSome(error) ? describeConfigError(error.value) : Cause.pretty(exit.cause))
      }
    }
    return values as { [K in keyof Fields]: Config.Success<Fields[K]> }
  })

/**
 * Reads and checks every setting, failing with all the problems at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromEnvironment: Effect.Effect<Settings, InvalidConfig> = Effect.gen(function* () {
  const problems: Array<string> = []
  const settings = yield* readAll(fromEnv, problems)
  const databaseTimeouts = yield* readAll(timeoutsFromEnv, problems)
  if (problems.length > 0) return yield* new InvalidConfig({ problems })
  const all: Settings = { ...settings, databaseTimeouts }
  // Several production servers share one database, so they must share one signing key too.
  if (all.production && all.databaseUrl === undefined)
    problems.push("NODE_ENV=production requires DATABASE_URL")
  if (all.production && all.jwtSecret === undefined)
    problems.push("NODE_ENV=production requires ROTA_JWT_SECRET")
  if (all.otlpEndpoint !== undefined && !URL.canParse(all.otlpEndpoint))
    problems.push("OTEL_EXPORTER_OTLP_ENDPOINT: Expected a URL such as http://collector:4318")
  if (all.cache === "redis" && all.redisUrl === undefined)
    problems.push("ROTA_CACHE=redis requires REDIS_URL")
  if (problems.length > 0) return yield* new InvalidConfig({ problems })
  return all
})

/**
 * @since 0.1.0
 * @category services
 */
export class ServerConfig extends Context.Service<ServerConfig, Settings>()("@rota/http/ServerConfig") {
  /**
   * @since 0.1.0
   */
  static readonly layer = (settings: Settings): Layer.Layer<ServerConfig> =>
    Layer.succeed(ServerConfig, settings)

  /**
   * Reads the environment; refuses to start in production without an explicit database.
   *
   * @since 0.1.0
   */
  static readonly layerFromEnv: Layer.Layer<ServerConfig, InvalidConfig> = Layer.effect(
    ServerConfig,
    fromEnvironment
  )
}
