/**
 * One organisation's data as JSON lines, for `rota export` / `rota import`: a header line, then
 * one `{"table","row"}` line per record, tables in an order that satisfies their foreign keys.
 * Rows are read a page at a time by primary key and written back through
 * `jsonb_populate_record`, so every column type round-trips without a per-table mapping.
 *
 * What travels: the org, its members' accounts (with their argon2id password hashes, never a
 * clear password), its records, its sealed audit trail, and its webhook endpoints (their secrets
 * stay sealed under the exporting server's key). What does not: sessions, refresh tokens and
 * reset links (people sign in again), idempotency records, the outbox (already delivered, or it
 * would be delivered twice), job runs and derived queues.
 *
 * @since 0.1.0
 */
import { Data, Effect, Option, Schema, Stream } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import * as SqlErrors from "./SqlErrors.ts"

/**
 * The format's name and version, written in the header line.
 *
 * @since 0.1.0
 * @category format
 */
export const format = { name: "rota-org-export", version: 1 } as const

/**
 * The exported tables in insertion order, each with how its rows are chosen for the org `$org`.
 *
 * @since 0.1.0
 * @category format
 */
export const tables: ReadonlyArray<{ readonly name: string; readonly scope: "id" | "member" | "org" }> = [
  { name: "organizations", scope: "id" },
  { name: "accounts", scope: "member" },
  ...[
    "memberships",
    "invitations",
    "sites",
    "tags",
    "resources",
    "resource_tags",
    "resource_units",
    "parts",
    "allocations",
    "bookings",
    "booking_items",
    "fines",
    "fine_payments",
    "intervention_counters",
    "interventions",
    "intervention_assignees",
    "intervention_events",
    "intervention_parts",
    "documents",
    "document_blobs",
    "projects",
    "missions",
    "assignments",
    "availability_windows",
    "rate_profiles",
    "waitlist_entries",
    "waitlist_standings",
    "waitlist_scoring",
    "notifications",
    "notification_preferences",
    "notification_defaults",
    "notification_reminders",
    "webhook_endpoints",
    "webhook_deliveries",
    "maintenance_plans",
    "maintenance_occurrences",
    "audit_events",
    "audit_seals"
  ].map((name) => ({ name, scope: "org" as const }))
]

/**
 * The first line of an export.
 *
 * @since 0.1.0
 * @category format
 */
export const Header = Schema.Struct({
  format: Schema.Literal(format.name),
  version: Schema.Literal(format.version),
  orgId: Schema.String,
  schema: Schema.Number,
  exportedAt: Schema.String
})

/**
 * One record line.
 *
 * @since 0.1.0
 * @category format
 */
export const Record = Schema.Struct({
  table: Schema.Literals(tables.map((table) => table.name)),
  row: Schema.Record(Schema.String, Schema.Json)
})

/**
 * An import refused, changing nothing: the file is not an export this version reads, was made
 * on another schema, or names a record the database already holds.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportRefused extends Data.TaggedError("ImportRefused")<{ readonly reason: string }> {
  override get message() {
    return `import refused, nothing changed: ${this.reason}`
  }
}

const pageSize = 500

const primaryKey = (sql: SqlClient.SqlClient, table: string) =>
  Effect.map(
    sql<{ name: string }>`
      SELECT a.attname AS name FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = ${table}::regclass AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`.withoutTransform,
    (rows) => rows.map((row) => row.name)
  )

const scopeOf = (sql: SqlClient.SqlClient, scope: "id" | "member" | "org", orgId: string) =>
  scope === "id"
    ? sql`t.id = ${orgId}`
    : scope === "member"
      ? sql`t.id IN (SELECT account_id FROM memberships WHERE org_id = ${orgId})`
      : sql`t.org_id = ${orgId}`

type Listed = { readonly table: string; readonly row: globalThis.Record<string, Schema.Json> }

/** One table's rows of the org, a page at a time, after the last row's primary key. */
const tableRows = (sql: SqlClient.SqlClient, table: (typeof tables)[number], orgId: string) =>
  Stream.unwrap(
    Effect.map(primaryKey(sql, table.name), (key) => {
      const columns = sql.literal(key.map((column) => `t."${column}"`).join(", "))
      const lastColumns = sql.literal(key.map((column) => `l."${column}"`).join(", "))
      return Stream.paginate<{ readonly after: unknown } | null, Listed, SqlError.SqlError>(null, (last) =>
        Effect.map(
          sql<{ row: globalThis.Record<string, Schema.Json> }>`
            SELECT to_jsonb(t) AS row FROM ${sql(table.name)} t
            WHERE ${scopeOf(sql, table.scope, orgId)}
            ${
              last !== null
                ? sql`AND (${columns}) > (SELECT ${lastColumns}
                    FROM jsonb_populate_record(NULL::${sql(table.name)}, ${JSON.stringify(last.after)}::jsonb) l)`
                : sql``
            }
            ORDER BY ${columns} LIMIT ${pageSize}`.withoutTransform,
          (rows) =>
            [
              rows.map((row) => ({ table: table.name, row: row.row })),
              rows.length === pageSize ? Option.some({ after: rows[rows.length - 1]!.row }) : Option.none()
            ] as const
        )
      )
    })
  )

const latestMigration = (sql: SqlClient.SqlClient) =>
  Effect.map(
    sql<{ id: number | null }>`SELECT max(migration_id) AS id FROM rota_migrations`.withoutTransform,
    (rows) => Number(rows[0]?.id ?? 0)
  )

/**
 * How many records an export of the org holds, table by table (for a progress bar).
 *
 * @since 0.1.0
 * @category export
 */
export const count = (orgId: string): Effect.Effect<number, SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    let total = 0
    for (const table of tables) {
      const rows = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql(table.name)} t
        WHERE ${scopeOf(sql, table.scope, orgId)}`.withoutTransform
      total += Number(rows[0]?.n ?? 0)
    }
    return total
  })

/**
 * The org's export as lines (without line breaks): the header, then every record. Run it in
 * one transaction (repeatable read) for a consistent copy.
 *
 * @since 0.1.0
 * @category export
 */
export const exportOrg = (orgId: string): Stream.Stream<string, SqlError.SqlError, SqlClient.SqlClient> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const header = {
        format: format.name,
        version: format.version,
        orgId,
        schema: yield* latestMigration(sql),
        exportedAt: new Date().toISOString()
      }
      return Stream.concat(
        Stream.make(JSON.stringify(header)),
        Stream.map(
          Stream.flatMap(Stream.fromIterable(tables), (table) => tableRows(sql, table, orgId), {
            concurrency: 1
          }),
          (record) => JSON.stringify(record)
        )
      )
    })
  )

const decodeHeader = Schema.decodeUnknownOption(Schema.fromJsonString(Header))
const decodeRecord = Schema.decodeUnknownOption(Schema.fromJsonString(Record))

const refuse = (reason: string) => Effect.fail(new ImportRefused({ reason }))

/**
 * Recreates an exported org from its lines, ids kept, in one transaction: a line it cannot read,
 * a record of another org, or a record whose key the database already holds refuses the whole
 * import. Answers how many records went into each table.
 *
 * @since 0.1.0
 * @category import
 */
export const importOrg = <E>(
  lines: Stream.Stream<string, E>
): Effect.Effect<ReadonlyMap<string, number>, ImportRefused | E | SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const schema = yield* latestMigration(sql)
    const counts = new Map<string, number>()
    let orgId: string | undefined
    let lineNumber = 0
    const insert = (line: string) =>
      Effect.gen(function* () {
        lineNumber++
        if (line.trim() === "") return
        if (orgId === undefined) {
          const header = decodeHeader(line)
          if (Option.isNone(header))
            return yield* refuse(`line 1 is not a ${format.name} v${format.version} header`)
          if (header.value.schema !== schema)
            return yield* refuse(
              `the file was exported at schema ${header.value.schema}, this database is at ${schema}`
            )
          orgId = header.value.orgId
          return
        }
        const record = decodeRecord(line)
        if (Option.isNone(record)) return yield* refuse(`line ${lineNumber} is not a record`)
        const { table, row } = record.value
        const owner = table === "organizations" ? row.id : table === "accounts" ? orgId : row.org_id
        if (owner !== orgId)
          return yield* refuse(`line ${lineNumber} (${table}) belongs to another organisation`)
        yield* sql`INSERT INTO ${sql(table)}
          SELECT * FROM jsonb_populate_record(NULL::${sql(table)}, ${JSON.stringify(row)}::jsonb)`.pipe(
          Effect.catchTag(
            "SqlError",
            (error): Effect.Effect<never, SqlError.SqlError | ImportRefused> =>
              SqlErrors.sqlState(error) === "23505"
                ? refuse(`line ${lineNumber}: that ${table} record already exists`)
                : Effect.fail(error)
          )
        )
        counts.set(table, (counts.get(table) ?? 0) + 1)
      })
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* Stream.runForEach(lines, insert)
        if (orgId === undefined) return yield* refuse("the input is empty")
        // Inserting events queued them for sealing; the imported seals already cover them.
        yield* sql`DELETE FROM audit_pending p WHERE p.org_id = ${orgId} AND EXISTS (
          SELECT 1 FROM audit_seals s WHERE s.org_id = p.org_id AND s.event_id = p.event_id)`
        return counts as ReadonlyMap<string, number>
      })
    )
  })
