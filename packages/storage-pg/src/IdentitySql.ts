/**
 * SQL helpers shared by the identity adapters: version guards, `SET` prefixes, account id rows
 * and the organisation settings stored as JSON.
 *
 * @since 0.1.0
 */
import { Organization } from "@rota/core"
import { Predicate, Schema } from "effect"
import type { SqlClient, Statement } from "effect/sql"

/**
 * @since 0.1.0
 * @category sql
 */
export const versionGuard = (sql: SqlClient.SqlClient, expected: number | undefined): Statement.Fragment =>
  expected === undefined ? sql`TRUE` : sql`version = ${expected}`

// `SET` starts with the caller's columns, when there are any, before the version bump.
/**
 * @since 0.1.0
 * @category sql
 */
export const setPrefix = (
  sql: SqlClient.SqlClient,
  changes: Readonly<Record<string, unknown>>
): Statement.Fragment => (Object.keys(changes).length === 0 ? sql`` : sql`${sql.update(changes)}, `)

/**
 * @since 0.1.0
 * @category decoding
 */
export const decodeAccountIds = Schema.decodeUnknownSync(
  Schema.Array(Schema.Struct({ account_id: Schema.String }))
)

const isRecord = Predicate.isObject

const decodeSettings = Schema.decodeUnknownSync(Organization.Settings)

// Every knob (or nested knob) an org never set takes its default, so settings saved before a
// knob existed still decode.
/**
 * @since 0.1.0
 * @category decoding
 */
export const settingsFromJson = (stored: unknown): Organization.Settings => {
  const saved = isRecord(stored) ? stored : {}
  const merged: Record<string, unknown> = {}
  for (const [key, fallback] of Object.entries(Organization.defaultSettings)) {
    const value = saved[key]
    merged[key] =
      value === undefined || value === null
        ? fallback
        : isRecord(fallback) && isRecord(value)
          ? { ...fallback, ...value }
          : value
  }
  return decodeSettings(merged)
}
