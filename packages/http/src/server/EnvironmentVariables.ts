/**
 * Each setting's environment variable (see the configuration table in docs/configuration.md),
 * with how it is parsed and checked.
 *
 * @since 0.1.0
 */
import { Config, Duration, type LogLevel, Option, Redacted, Schema } from "effect"
import { defaults } from "./Settings.ts"

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
 * The database timeouts, each read from its own variable.
 *
 * @since 0.1.0
 * @category variables
 */
export const timeoutsFromEnv = {
  connect: millis("ROTA_DB_CONNECT_TIMEOUT_MS", defaults.databaseTimeouts.connect),
  acquire: millis("ROTA_DB_ACQUIRE_TIMEOUT_MS", defaults.databaseTimeouts.acquire),
  statement: millis("ROTA_DB_STATEMENT_TIMEOUT_MS", defaults.databaseTimeouts.statement),
  lock: millis("ROTA_DB_LOCK_TIMEOUT_MS", defaults.databaseTimeouts.lock),
  idleInTransaction: millis(
    "ROTA_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
    defaults.databaseTimeouts.idleInTransaction
  )
}

/**
 * Every other setting, read from its variable.
 *
 * @since 0.1.0
 * @category variables
 */
export const fromEnv = {
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
  // A negative limit used to pass as "off": only `0` turns a limit off.
  rateLimitAuth: count("ROTA_RATE_LIMIT_AUTH", defaults.rateLimitAuth, 0, 1_000_000),
  rateLimitApi: count("ROTA_RATE_LIMIT_API", defaults.rateLimitApi, 0, 1_000_000),
  rateLimitPublic: count("ROTA_RATE_LIMIT_PUBLIC", defaults.rateLimitPublic, 0, 1_000_000),
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
  cacheStoreTimeoutMillis: count("ROTA_CACHE_STORE_TIMEOUT_MS", defaults.cacheStoreTimeoutMillis, 10, 60_000),
  cacheMaxEntries: count("ROTA_CACHE_MAX_ENTRIES", defaults.cacheMaxEntries, 1, 10_000_000),
  cacheKeyPrefix: Config.withDefault(Config.NonEmptyString("ROTA_CACHE_KEY_PREFIX"), defaults.cacheKeyPrefix)
}
