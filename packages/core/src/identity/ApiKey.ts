/**
 * API keys: credentials for machine clients, each bound to one org and a set of permissions
 * (its scopes). The secret is shown once; only its hash is kept. These rules are pure: the key's
 * format, and whether a key may still act.
 *
 * @since 0.1.0
 */
import { DateTime, Option, Schema } from "effect"
import { AccountId, ApiKeyId, OrgId } from "../kernel/Ids.ts"
import { Permission } from "../kernel/Permissions.ts"

/**
 * What a person calls a key, so they know which one to revoke: 1..100 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const KeyName = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 100), Schema.isPattern(/\S/, { message: "must not be blank" }))
)

/**
 * The permissions a key holds: at least one, each at most once.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Scopes = Schema.Array(Permission).pipe(
  Schema.check(
    Schema.isMinLength(1),
    Schema.makeFilter(
      (scopes: ReadonlyArray<string>) => new Set(scopes).size === scopes.length || "must not repeat a scope"
    )
  )
)

/**
 * A key as its org sees it: never its secret, nor the secret's hash.
 *
 * @since 0.1.0
 * @category models
 */
export class ApiKey extends Schema.Class<ApiKey>("@rota/core/ApiKey")({
  id: ApiKeyId,
  orgId: OrgId,
  name: KeyName,
  scopes: Scopes,
  /** The start of the key (`rota_live_` and its id), to tell keys apart in logs and lists. */
  prefix: Schema.String,
  createdBy: AccountId,
  createdAt: Schema.DateTimeUtc,
  /** `null`: the key never expires. */
  expiresAt: Schema.NullOr(Schema.DateTimeUtc),
  /** When the key last authenticated a request, to the minute. */
  lastUsedAt: Schema.NullOr(Schema.DateTimeUtc),
  revokedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * Every key starts with this, so secret scanners and people recognise one.
 *
 * @since 0.1.0
 * @category constants
 */
export const keyPrefix = "rota_live_"

/**
 * The visible start of a key: the prefix and the key's id without dashes.
 *
 * @since 0.1.0
 * @category format
 */
export const prefixOf = (id: ApiKeyId): string => `${keyPrefix}${id.replaceAll("-", "")}`

/**
 * The key handed to the client: its prefix (which names the row), `_`, then the secret.
 *
 * @since 0.1.0
 * @category format
 */
export const format = (id: ApiKeyId, secret: string): string => `${prefixOf(id)}_${secret}`

const shape = /^rota_live_([0-9a-f]{32})_([A-Za-z0-9_-]{20,200})$/

/**
 * Whether a bearer credential is an API key rather than an access token.
 *
 * @since 0.1.0
 * @category format
 */
export const looksLikeKey = (credential: string): boolean => credential.startsWith(keyPrefix)

/**
 * The key's id and secret, if `credential` has the shape of a key.
 *
 * @since 0.1.0
 * @category format
 */
export const parse = (
  credential: string
): Option.Option<{ readonly id: ApiKeyId; readonly secret: string }> => {
  const match = shape.exec(credential)
  if (match === null) return Option.none()
  const hex = match[1]!
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  return Option.some({ id: ApiKeyId.make(id), secret: match[2]! })
}

/**
 * Whether the key may act at `now`: not revoked, not expired.
 *
 * @since 0.1.0
 * @category rules
 */
export const isLive = (key: ApiKey, now: DateTime.Utc): boolean =>
  key.revokedAt === null && (key.expiresAt === null || DateTime.isGreaterThan(key.expiresAt, now))

/**
 * How stale `lastUsedAt` may get before a request writes it again: it is a hint for people
 * deciding what to revoke, not a log, so most requests write nothing.
 *
 * @since 0.1.0
 * @category constants
 */
export const lastUsedResolutionMillis = 60_000

/**
 * Whether a request at `now` should record itself as the key's last use.
 *
 * @since 0.1.0
 * @category rules
 */
export const shouldTouch = (key: ApiKey, now: DateTime.Utc): boolean =>
  key.lastUsedAt === null ||
  DateTime.toEpochMillis(now) - DateTime.toEpochMillis(key.lastUsedAt) >= lastUsedResolutionMillis
