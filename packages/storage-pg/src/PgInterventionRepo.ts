/**
 * Interventions on PostgreSQL: a `PgRecords` store, with their assignees as linked rows, the
 * per-org number counter and the leaderboard.
 *
 * @since 0.1.0
 */
import { Ids, Intervention, InterventionRepos, InterventionRules, Leaderboard } from "@rota/core"
import { Array as Arr, DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import * as Keyset from "./Keyset.ts"
import * as PgRecords from "./PgRecords.ts"
import * as TextSearch from "./TextSearch.ts"

const utc = (instant: DateTime.Utc) => DateTime.toDateUtc(instant)

// The columns the listing adds to the table's own: the assignees, the display number `q` can
// find, and sort keys that have no NULLs (an intervention without a due date sorts last).
const interventionSource = (sql: SqlClient.SqlClient) => sql`SELECT interventions.*,
    COALESCE((
      SELECT array_agg(account_id::text ORDER BY account_id) FROM intervention_assignees
      WHERE intervention_assignees.org_id = interventions.org_id
        AND intervention_assignees.intervention_id = interventions.id
    ), '{}'::text[]) AS assignee_ids,
    'INT-' || CASE WHEN number < 1000000 THEN lpad(number::text, 6, '0') ELSE number::text END AS number_text,
    COALESCE(due_at, '9999-12-31T00:00:00Z'::timestamptz) AS due_key,
    CASE priority WHEN 'LOW' THEN 1 WHEN 'NORMAL' THEN 2 WHEN 'HIGH' THEN 3 ELSE 4 END AS priority_rank
  FROM interventions`

const interventionOf = (row: PgRecords.Row) => {
  const {
    number,
    numberText: _display,
    dueKey: _sortKey,
    priorityRank: _rank,
    partsCostAmount,
    partsCostCurrency,
    ...fields
  } = PgRecords.toFields(row)
  return PgRecords.construct(Intervention.Intervention, {
    ...fields,
    number: InterventionRules.formatNumber(Number(number)),
    // bigint columns arrive as strings; costs stay far below 2^53.
    partsCost:
      partsCostAmount === null
        ? null
        : { amount: Number(partsCostAmount), currency: String(partsCostCurrency) }
  })
}

const interventionColumns = (fields: Readonly<Record<string, unknown>>) => {
  const { number, partsCost, ...rest } = fields as {
    readonly number?: string
    readonly partsCost?: { readonly amount: number; readonly currency: string } | null
  }
  const columns = PgRecords.toColumns(rest, ["assigneeIds"])
  if (number !== undefined) columns.number = InterventionRules.parseNumber(number)
  if (partsCost !== undefined) {
    columns.parts_cost_amount = partsCost?.amount ?? null
    columns.parts_cost_currency = partsCost?.currency ?? null
  }
  return columns
}

const interventionFilters = (sql: SqlClient.SqlClient, filters: Intervention.InterventionFilters) => {
  const assigned = (condition: Statement.Fragment) => sql`EXISTS (SELECT 1 FROM intervention_assignees
    JOIN accounts ON accounts.id = intervention_assignees.account_id
    WHERE intervention_assignees.org_id = record.org_id
      AND intervention_assignees.intervention_id = record.id AND ${condition})`
  const byUsername = (username: string) => sql`lower(accounts.username) = ${username.toLowerCase()}`
  // The statuses are the listing's split (one index range each), not a condition.
  return [
    Keyset.inList(sql, "kind", filters.kinds),
    Keyset.inList(sql, "priority", filters.priorities),
    filters.technicianId === undefined
      ? undefined
      : assigned(sql`intervention_assignees.account_id = ${filters.technicianId}`),
    filters.technicianUsername === undefined ? undefined : assigned(byUsername(filters.technicianUsername)),
    filters.clientId === undefined ? undefined : sql`client_id = ${filters.clientId}`,
    filters.clientUsername === undefined
      ? undefined
      : sql`client_id IN (SELECT id FROM accounts WHERE ${byUsername(filters.clientUsername)})`,
    filters.resourceId === undefined ? undefined : sql`resource_id = ${filters.resourceId}`,
    filters.visibleTo === undefined ? undefined : sql`client_id = ${filters.visibleTo}`,
    TextSearch.contains(sql, ["number_text", "title", "description", "subject"], filters.q),
    // The schedule overlaps [from, to); without one, the creation falls in it.
    filters.from === undefined
      ? undefined
      : sql`(scheduled_end > ${utc(filters.from)} OR (scheduled_end IS NULL AND created_at >= ${utc(filters.from)}))`,
    filters.to === undefined
      ? undefined
      : sql`(scheduled_start < ${utc(filters.to)} OR (scheduled_start IS NULL AND created_at < ${utc(filters.to)}))`
  ]
}

const LeaderboardRows = Schema.Array(
  Schema.Struct({
    rank: Schema.Number,
    account_id: Schema.String,
    username: Schema.String,
    full_name: Schema.String,
    completed: Schema.Number
  })
)

type InterventionRepo = InterventionRepos.InterventionRepo["Service"]

// The counter row stays locked until the creating transaction ends: creations in one org take
// their numbers one after the other, and a rollback gives its number back.
const nextNumber =
  (sql: SqlClient.SqlClient): InterventionRepo["nextNumber"] =>
  (orgId) =>
    sql<{
      last_number: number
    }>`INSERT INTO intervention_counters (org_id, last_number) VALUES (${orgId}, 1)
          ON CONFLICT (org_id) DO UPDATE SET last_number = intervention_counters.last_number + 1
          RETURNING last_number`.pipe(
      Effect.map((rows) => Number(rows[0]!.last_number)),
      Effect.orDie
    )

// Each assignee of a completed intervention gets the credit, or, with nobody assigned, whoever
// completed it; RANK() lets ties share a place.
const leaderboard =
  (sql: SqlClient.SqlClient): InterventionRepo["leaderboard"] =>
  (orgId, period, limit) =>
    sql`WITH credits AS (
            SELECT COALESCE(intervention_assignees.account_id, interventions.completed_by) AS account_id
            FROM interventions LEFT JOIN intervention_assignees
              ON intervention_assignees.org_id = interventions.org_id
              AND intervention_assignees.intervention_id = interventions.id
            WHERE interventions.org_id = ${orgId} AND interventions.status = 'COMPLETED'
              AND interventions.deleted_at IS NULL
              AND interventions.completed_at >= ${utc(period.startAt)}
              AND interventions.completed_at < ${utc(period.endAt)}
          ), totals AS (
            SELECT account_id, count(*) AS completed FROM credits
            WHERE account_id IS NOT NULL GROUP BY account_id
          )
          SELECT (RANK() OVER (ORDER BY totals.completed DESC))::int AS rank, totals.account_id,
            accounts.username, accounts.full_name, totals.completed::int AS completed
          FROM totals JOIN accounts ON accounts.id = totals.account_id
          ORDER BY rank, lower(accounts.username)
          LIMIT ${limit}`.pipe(
      Effect.map((rows) =>
        Schema.decodeUnknownSync(LeaderboardRows)(rows).map((row) =>
          Leaderboard.LeaderboardEntry.make({
            rank: row.rank,
            accountId: Ids.AccountId.make(row.account_id),
            username: row.username,
            fullName: row.full_name,
            completed: row.completed
          })
        )
      ),
      Effect.orDie
    )

/**
 * @since 0.1.0
 * @category layers
 */
export const interventionRepo: Layer.Layer<InterventionRepos.InterventionRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    InterventionRepos.InterventionRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const records = yield* PgRecords.make<
        Intervention.Intervention,
        Intervention.InterventionFilters,
        Intervention.InterventionSort
      >({
        table: "interventions",
        entity: "intervention",
        source: interventionSource,
        decode: interventionOf,
        encode: interventionColumns,
        filters: interventionFilters,
        split: (filters) => ({ column: "status", values: filters.statuses }),
        sorts: {
          createdAt: { name: "created_at", kind: "timestamp" },
          dueAt: { name: "due_key", kind: "timestamp" },
          priority: { name: "priority_rank", kind: "number" },
          number: { name: "number", kind: "number" }
        },
        defaultSort: { field: "createdAt", direction: "desc" },
        unique: {},
        // The use case has checked every assignee is a technician of the org.
        writeLinks: (sql, key, fields, fresh) => {
          const assigneeIds = fields.assigneeIds as ReadonlyArray<string> | undefined
          if (assigneeIds === undefined || (fresh && assigneeIds.length === 0)) return undefined
          return Effect.gen(function* () {
            if (!fresh)
              yield* sql`DELETE FROM intervention_assignees
                WHERE org_id = ${key.orgId} AND intervention_id = ${key.id}`
            const rows: Array<Record<string, unknown>> = assigneeIds.map((accountId) => ({
              org_id: key.orgId,
              intervention_id: key.id,
              account_id: accountId
            }))
            if (Arr.isReadonlyArrayNonEmpty(rows))
              yield* sql`INSERT INTO intervention_assignees ${sql.insert(rows)}`
          })
        }
      })

      return InterventionRepos.InterventionRepo.of({
        ...records,
        nextNumber: nextNumber(sql),
        leaderboard: leaderboard(sql)
      })
    })
  )
