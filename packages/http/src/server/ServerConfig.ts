/**
 * The server's settings, read once from the environment at start-up (see the configuration
 * table in docs/configuration.md). Tests and embedding apps build one directly.
 *
 * @since 0.1.0
 */
import { Deadlines } from "@rota/storage-pg"
import {
  Cause,
  Config,
  Context,
  Duration,
  Effect,
  Exit,
  Layer,
  type LogLevel,
  Option,
  Redacted,
  Schema
} from "effect"
import type { LogFormat } from "./LogSink.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly port: number
  readonly host: string
  /** PostgreSQL; unset selects the embedded store in `dataDir`. */
  readonly databaseUrl: Redacted.Redacted | undefined
  /** The embedded store's folder; unset keeps the embedded store in memory. */
  readonly dataDir: string | undefined
  /** Connections PostgreSQL lends to this server at most. */
  readonly databasePoolSize: number
  /** How long the database may keep a request waiting before it gets a 503. */
  readonly databaseTimeouts: Deadlines.Timeouts
  /** Load the demo organisations; `undefined` means "only on a new embedded store". */
  readonly demoData: boolean | undefined
  readonly maxBodyBytes: number
  readonly maxUploadBytes: number
  readonly metricsToken: Redacted.Redacted | undefined
  readonly corsOrigins: ReadonlyArray<string>
  readonly logLevel: LogLevel.LogLevel
  /** JSON lines, or readable lines for a person at a terminal. */
  readonly logFormat: LogFormat
  /** Serve `/metrics` (`ROTA_METRICS=off` hides it). */
  readonly metrics: boolean
  /** Where traces go over OTLP/HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`); unset: no export. */
  readonly otlpEndpoint: string | undefined
  /** The service name traces carry (`OTEL_SERVICE_NAME`). */
  readonly serviceName: string
  /** One JSON line per request; benchmarks compare with it on. */
  readonly accessLog: boolean
  readonly production: boolean
  /** Access-token signing keys (`ROTA_JWT_SECRET`); unset in development: a key kept in the data dir. */
  readonly jwtSecret: Redacted.Redacted | undefined
  /** Anyone may register (`ROTA_SIGNUP=open`). */
  readonly signupOpen: boolean
  /** Requests per minute on auth routes, per client IP and per login name; 0 turns it off. */
  readonly rateLimitAuth: number
  /** Requests per minute on the API, per account; 0 turns it off. */
  readonly rateLimitApi: number
  /** CIDRs of proxies whose `X-Forwarded-For` is believed. */
  readonly trustedProxies: ReadonlyArray<string>
  /** Redis for shared rate-limit counters; unset keeps them in this process. */
  readonly redisUrl: Redacted.Redacted | undefined
  /** Run the periodic jobs (audit sealing, outbox delivery, clean-up) on this server. */
  readonly jobs: boolean
  /** How long in-flight requests may finish after SIGTERM/SIGINT before their connections are cut. */
  readonly shutdownGraceSeconds: number
  /** A client must send its request headers within this time, or its connection is dropped. */
  readonly headersTimeoutSeconds: number
  /** A client must send its whole request (headers and body) within this time; 0 turns it off. */
  readonly requestTimeoutSeconds: number
  /** An idle keep-alive connection is closed after this time. */
  readonly keepAliveTimeoutSeconds: number
  /** Where mail is written, one file each, when no SMTP server is set; unset: `mail` under `dataDir`. */
  readonly mailDir: string | undefined
  /** The SMTP server mail is sent through (`smtp://user:pass@host:587`, `smtps://...`); unset: the mail folder. */
  readonly smtpUrl: Redacted.Redacted | undefined
  /** The `From` of every mail sent. */
  readonly mailFrom: string
  /** How long a rotated refresh token may come back for the same new pair. */
  readonly refreshReuseGraceSeconds: number
  /** The key that seals webhook secrets at rest; unset: derived from the token signing key. */
  readonly webhookKey: Redacted.Redacted | undefined
  /** Webhooks may call private and loopback addresses (development and tests only). */
  readonly webhookAllowPrivate: boolean
  /** How long one webhook attempt may take, connection to answer. */
  readonly webhookTimeoutSeconds: number
  /** The wait after a webhook's first failed attempt; it doubles with each further one. */
  readonly webhookRetryBaseMillis: number
  /** The longest wait between two attempts of a webhook. */
  readonly webhookRetryMaxMillis: number
  /** Attempts of one webhook delivery before it is marked failed. */
  readonly webhookMaxAttempts: number
  /** Consecutive failed attempts after which an endpoint is disabled; 0 never disables. */
  readonly webhookDisableAfter: number
  /**
   * Where people reach this server from outside (`ROTA_PUBLIC_URL`), for links printed or sent
   * (intake QR codes); without it, the address a request came to.
   */
  readonly publicUrl: string | undefined
  /** Where GET answers are cached (`ROTA_CACHE`); unset: Redis when `redisUrl` is set, else memory. */
  readonly cache: "off" | "memory" | "redis" | undefined
  /** How long a cached answer may be served, at most, when no write replaces it first. */
  readonly cacheTtlSeconds: number
  /** Answers the in-memory cache keeps at most. */
  readonly cacheMaxEntries: number
  /** Prefix of the cache's Redis keys, so deployments (and test runs) sharing a Redis stay apart. */
  readonly cacheKeyPrefix: string
}

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

const list = (name: string) =>
  Config.map(Config.withDefault(Config.String(name), ""), (value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item.length > 0)
  )

// Whole milliseconds; 0 turns the bound off.
const millis = (name: string, fallback: Duration.Duration) =>
  Config.map(
    Config.withDefault(
      Config.schema(Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))), name),
      Duration.toMillis(fallback)
    ),
    Duration.millis
  )

// An empty variable counts as unset, as shells and CI files often export `VAR=`.
const nonEmptyRedacted = (name: string) =>
  Config.map(optional(Config.String(name)), (value) =>
    value === undefined || value.length === 0 ? undefined : Redacted.make(value)
  )

const seconds = (name: string, fallback: number, minimum = 0) =>
  Config.withDefault(
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum, maximum: 3600 }))), name),
    fallback
  )

const count = (name: string, fallback: number, minimum: number, maximum: number) =>
  Config.withDefault(
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum, maximum }))), name),
    fallback
  )

// `LOG_LEVEL=info`, `INFO` and `Info` all mean the same; `warning` is a common spelling of `warn`.
const logLevels: Record<string, LogLevel.LogLevel> = {
  all: "All",
  fatal: "Fatal",
  error: "Error",
  warn: "Warn",
  warning: "Warn",
  info: "Info",
  debug: "Debug",
  trace: "Trace",
  none: "None"
}

const LogLevelName = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter(
      (name: string) =>
        name.toLowerCase() in logLevels || "Expected one of all, fatal, error, warn, info, debug, trace, none"
    )
  )
)

/**
 * Defaults of every setting, for tests and embedding apps that override a few.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaults: Settings = {
  port: 3000,
  host: "127.0.0.1",
  databaseUrl: undefined,
  dataDir: ".rota/data",
  databasePoolSize: 16,
  databaseTimeouts: Deadlines.defaults,
  demoData: false,
  maxBodyBytes: 1_048_576,
  maxUploadBytes: 10_485_760,
  metricsToken: undefined,
  corsOrigins: [],
  logLevel: "Info",
  logFormat: "json",
  metrics: true,
  otlpEndpoint: undefined,
  serviceName: "rota",
  accessLog: true,
  production: false,
  jwtSecret: undefined,
  signupOpen: true,
  rateLimitAuth: 30,
  rateLimitApi: 600,
  trustedProxies: [],
  redisUrl: undefined,
  jobs: true,
  shutdownGraceSeconds: 15,
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 120,
  keepAliveTimeoutSeconds: 5,
  mailDir: undefined,
  webhookKey: undefined,
  webhookAllowPrivate: false,
  webhookTimeoutSeconds: 10,
  webhookRetryBaseMillis: 10_000,
  webhookRetryMaxMillis: 3_600_000,
  webhookMaxAttempts: 10,
  webhookDisableAfter: 20,
  smtpUrl: undefined,
  mailFrom: "Rota <no-reply@rota.invalid>",
  refreshReuseGraceSeconds: 20,
  publicUrl: undefined,
  cache: undefined,
  cacheTtlSeconds: 30,
  cacheMaxEntries: 10_000,
  cacheKeyPrefix: "rota:cache:"
}

const timeoutsFromEnv = {
  connect: millis("ROTA_DB_CONNECT_TIMEOUT_MS", defaults.databaseTimeouts.connect),
  acquire: millis("ROTA_DB_ACQUIRE_TIMEOUT_MS", defaults.databaseTimeouts.acquire),
  statement: millis("ROTA_DB_STATEMENT_TIMEOUT_MS", defaults.databaseTimeouts.statement),
  lock: millis("ROTA_DB_LOCK_TIMEOUT_MS", defaults.databaseTimeouts.lock),
  idleInTransaction: millis(
    "ROTA_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
    defaults.databaseTimeouts.idleInTransaction
  )
}

const fromEnv = {
  // 0 asks the system for any free port (tests, side-by-side instances).
  port: Config.withDefault(
    Config.schema(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 65535 }))), "PORT"),
    defaults.port
  ),
  host: Config.withDefault(Config.String("HOST"), defaults.host),
  databaseUrl: nonEmptyRedacted("DATABASE_URL"),
  dataDir: Config.withDefault(Config.NonEmptyString("ROTA_DATA_DIR"), defaults.dataDir),
  databasePoolSize: Config.withDefault(
    Config.schema(
      Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1000 }))),
      "ROTA_DB_POOL_SIZE"
    ),
    defaults.databasePoolSize
  ),
  demoData: optional(Config.Boolean("ROTA_DEMO_DATA")),
  maxBodyBytes: Config.withDefault(Config.Int("ROTA_MAX_BODY_BYTES"), defaults.maxBodyBytes),
  maxUploadBytes: Config.withDefault(Config.Int("ROTA_MAX_UPLOAD_BYTES"), defaults.maxUploadBytes),
  metricsToken: nonEmptyRedacted("ROTA_METRICS_TOKEN"),
  corsOrigins: list("ROTA_CORS_ORIGINS"),
  logLevel: Config.withDefault(
    Config.map(Config.schema(LogLevelName, "LOG_LEVEL"), (name) => logLevels[name.toLowerCase()]!),
    defaults.logLevel
  ),
  // A terminal gets readable lines, anything else (a file, a collector) JSON.
  logFormat: Config.withDefault(
    Config.Literals(["json", "pretty"], "ROTA_LOG_FORMAT"),
    process.stdout.isTTY === true ? "pretty" : "json"
  ),
  metrics: Config.withDefault(Config.Boolean("ROTA_METRICS"), defaults.metrics),
  otlpEndpoint: Config.map(optional(Config.String("OTEL_EXPORTER_OTLP_ENDPOINT")), (value) =>
    value === undefined || value.trim().length === 0 ? undefined : value.trim()
  ),
  serviceName: Config.withDefault(Config.NonEmptyString("OTEL_SERVICE_NAME"), defaults.serviceName),
  accessLog: Config.withDefault(Config.Boolean("ROTA_ACCESS_LOG"), defaults.accessLog),
  production: Config.map(
    Config.withDefault(Config.String("NODE_ENV"), "development"),
    (env) => env === "production"
  ),
  jwtSecret: nonEmptyRedacted("ROTA_JWT_SECRET"),
  signupOpen: Config.map(
    Config.withDefault(Config.Literals(["open", "closed"], "ROTA_SIGNUP"), "open"),
    (value) => value === "open"
  ),
  rateLimitAuth: Config.withDefault(Config.Int("ROTA_RATE_LIMIT_AUTH"), defaults.rateLimitAuth),
  rateLimitApi: Config.withDefault(Config.Int("ROTA_RATE_LIMIT_API"), defaults.rateLimitApi),
  trustedProxies: list("ROTA_TRUSTED_PROXIES"),
  redisUrl: nonEmptyRedacted("REDIS_URL"),
  jobs: Config.withDefault(Config.Boolean("ROTA_JOBS"), defaults.jobs),
  shutdownGraceSeconds: seconds("ROTA_SHUTDOWN_GRACE_SECONDS", defaults.shutdownGraceSeconds),
  headersTimeoutSeconds: seconds("ROTA_HEADERS_TIMEOUT_SECONDS", defaults.headersTimeoutSeconds, 1),
  requestTimeoutSeconds: seconds("ROTA_REQUEST_TIMEOUT_SECONDS", defaults.requestTimeoutSeconds),
  keepAliveTimeoutSeconds: seconds("ROTA_KEEP_ALIVE_TIMEOUT_SECONDS", defaults.keepAliveTimeoutSeconds, 1),
  mailDir: optional(Config.NonEmptyString("ROTA_MAIL_DIR")),
  smtpUrl: nonEmptyRedacted("SMTP_URL"),
  mailFrom: Config.withDefault(Config.NonEmptyString("ROTA_MAIL_FROM"), defaults.mailFrom),
  refreshReuseGraceSeconds: Config.withDefault(
    Config.schema(
      Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 60 }))),
      "ROTA_REFRESH_REUSE_GRACE_SECONDS"
    ),
    defaults.refreshReuseGraceSeconds
  ),
  webhookKey: nonEmptyRedacted("ROTA_WEBHOOK_KEY"),
  publicUrl: optional(
    Config.schema(
      Schema.String.pipe(
        Schema.check(
          Schema.isPattern(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: "an http(s) URL without query" })
        )
      ),
      "ROTA_PUBLIC_URL"
    )
  ),
  webhookAllowPrivate: Config.withDefault(
    Config.Boolean("ROTA_WEBHOOK_ALLOW_PRIVATE"),
    defaults.webhookAllowPrivate
  ),
  webhookTimeoutSeconds: seconds("ROTA_WEBHOOK_TIMEOUT_SECONDS", defaults.webhookTimeoutSeconds, 1),
  webhookRetryBaseMillis: count("ROTA_WEBHOOK_RETRY_BASE_MS", defaults.webhookRetryBaseMillis, 1, 86_400_000),
  webhookRetryMaxMillis: count("ROTA_WEBHOOK_RETRY_MAX_MS", defaults.webhookRetryMaxMillis, 1, 86_400_000),
  webhookMaxAttempts: count("ROTA_WEBHOOK_MAX_ATTEMPTS", defaults.webhookMaxAttempts, 1, 100),
  webhookDisableAfter: count("ROTA_WEBHOOK_DISABLE_AFTER", defaults.webhookDisableAfter, 0, 10_000),
  cache: optional(Config.Literals(["off", "memory", "redis"], "ROTA_CACHE")),
  cacheTtlSeconds: count("ROTA_CACHE_TTL_SECONDS", defaults.cacheTtlSeconds, 1, 86_400),
  cacheMaxEntries: count("ROTA_CACHE_MAX_ENTRIES", defaults.cacheMaxEntries, 1, 10_000_000),
  cacheKeyPrefix: Config.withDefault(Config.NonEmptyString("ROTA_CACHE_KEY_PREFIX"), defaults.cacheKeyPrefix)
}

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
