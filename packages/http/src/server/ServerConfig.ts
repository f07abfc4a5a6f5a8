/**
 * The server's settings, read once from the environment at start-up (see the configuration
 * table in docs/configuration.md). Tests and embedding apps build one directly.
 *
 * @since 0.1.0
 */
import { Deadlines } from "@rota/storage-pg"
import { Config, Context, Duration, Effect, Layer, type LogLevel, Option, Redacted, Schema } from "effect"

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
  /** Where mail with secret links is written, one file each; unset: `mail` under `dataDir`. */
  readonly mailDir: string | undefined
  /** How long a rotated refresh token may come back for the same new pair. */
  readonly refreshReuseGraceSeconds: number
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
  refreshReuseGraceSeconds: 20
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
  databaseTimeouts: Config.all({
    connect: millis("ROTA_DB_CONNECT_TIMEOUT_MS", defaults.databaseTimeouts.connect),
    acquire: millis("ROTA_DB_ACQUIRE_TIMEOUT_MS", defaults.databaseTimeouts.acquire),
    statement: millis("ROTA_DB_STATEMENT_TIMEOUT_MS", defaults.databaseTimeouts.statement),
    lock: millis("ROTA_DB_LOCK_TIMEOUT_MS", defaults.databaseTimeouts.lock),
    idleInTransaction: millis(
      "ROTA_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
      defaults.databaseTimeouts.idleInTransaction
    )
  }),
  demoData: optional(Config.Boolean("ROTA_DEMO_DATA")),
  maxBodyBytes: Config.withDefault(Config.Int("ROTA_MAX_BODY_BYTES"), defaults.maxBodyBytes),
  maxUploadBytes: Config.withDefault(Config.Int("ROTA_MAX_UPLOAD_BYTES"), defaults.maxUploadBytes),
  metricsToken: nonEmptyRedacted("ROTA_METRICS_TOKEN"),
  corsOrigins: list("ROTA_CORS_ORIGINS"),
  logLevel: Config.withDefault(Config.LogLevel("LOG_LEVEL"), defaults.logLevel),
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
  refreshReuseGraceSeconds: Config.withDefault(
    Config.schema(
      Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 60 }))),
      "ROTA_REFRESH_REUSE_GRACE_SECONDS"
    ),
    defaults.refreshReuseGraceSeconds
  )
}

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
  static readonly layerFromEnv: Layer.Layer<ServerConfig, Config.ConfigError> = Layer.effect(
    ServerConfig,
    Effect.flatMap(
      Config.all(fromEnv),
      (settings): Effect.Effect<Settings> =>
        // Several production servers share one database, so they must share one signing key too.
        settings.production && (settings.databaseUrl === undefined || settings.jwtSecret === undefined)
          ? Effect.die(new Error("NODE_ENV=production requires DATABASE_URL and ROTA_JWT_SECRET"))
          : Effect.succeed(settings)
    )
  )
}
