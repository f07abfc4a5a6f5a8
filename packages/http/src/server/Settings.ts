/**
 * The server's settings and their defaults.
 *
 * @since 0.1.0
 */
import { Deadlines } from "@rota/storage-pg"
import type { LogLevel, Redacted } from "effect"
import type { LogFormat } from "./adapters/LogSink.ts"

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
  /**
   * Requests per minute on the public link routes (calendar feeds, intake), per client IP and per
   * link token, apart from the auth quota; 0 turns it off.
   */
  readonly rateLimitPublic: number
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
  /**
   * How long a call to a shared cache store (Redis) may take before the request is answered
   * without it: past this, the store is as good as down and requests must not queue behind it.
   */
  readonly cacheStoreTimeoutMillis: number
  /** Prefix of the cache's Redis keys, so deployments (and test runs) sharing a Redis stay apart. */
  readonly cacheKeyPrefix: string
}

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
  rateLimitPublic: 120,
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
  cacheStoreTimeoutMillis: 250,
  cacheKeyPrefix: "rota:cache:"
}
