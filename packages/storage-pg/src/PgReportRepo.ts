/**
 * Reports on PostgreSQL: the statements of `ReportSql`, their rows decoded into the port's
 * totals. Money and counts stay far below 2^53.
 *
 * @since 0.1.0
 */
import { Ids, ReportRepo, type ReportRows, type ReportWindow } from "@rota/core"
import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as ReportSql from "./ReportSql.ts"

const Count = Schema.Union([Schema.Number, Schema.NumberFromString])
const Seconds = Schema.NullOr(Count)

const UtilisationRow = Schema.Struct({
  resource_id: Schema.String,
  resource_name: Schema.String,
  unit_id: Schema.NullOr(Schema.String),
  unit_barcode: Schema.NullOr(Schema.String),
  units: Count,
  bookings: Count,
  booked_seconds: Count,
  blackout_seconds: Count
})

const Totals = {
  fines: Count,
  amount: Count,
  paid: Count,
  outstanding: Count
}
const ClientRow = Schema.Struct({
  account_id: Schema.String,
  username: Schema.String,
  full_name: Schema.String,
  overdue_bookings: Count,
  overdue_seconds: Count,
  currency: Schema.NullOr(Schema.String),
  ...Totals
})
const StatusRow = Schema.Struct({
  status: Schema.Literals(["OPEN", "PAID", "WAIVED"]),
  currency: Schema.String,
  ...Totals
})
const WorkloadRow = Schema.Struct({
  account_id: Schema.String,
  username: Schema.String,
  full_name: Schema.String,
  assigned: Count,
  open: Count,
  completed: Count
})
const LeadTimeRow = Schema.Struct({
  priority: Schema.Literals(["LOW", "NORMAL", "HIGH", "URGENT"]),
  kind: Schema.Literals(["CORRECTIVE", "PREVENTIVE"]),
  requested: Count,
  started: Count,
  start_mean: Seconds,
  start_p50: Seconds,
  start_p90: Seconds,
  completed: Count,
  completion_mean: Seconds,
  completion_p50: Seconds,
  completion_p90: Seconds
})

// PostgreSQL sends bigint sums as text, PGlite as bigint: both become numbers.
const numbersOf = (row: unknown) =>
  Object.fromEntries(
    Object.entries(row as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === "bigint" ? Number(value) : value
    ])
  )

const decode =
  <S extends Schema.Top & { readonly DecodingServices: never }>(schema: S) =>
  (rows: ReadonlyArray<unknown>) =>
    Schema.decodeUnknownSync(Schema.Array(schema))(rows.map(numbersOf))

const bounds = (window: ReportWindow.Window): ReportSql.Bounds => ({
  from: DateTime.toDateUtc(window.from),
  to: DateTime.toDateUtc(window.to)
})

const totalsOf = (row: { fines: number; amount: number; paid: number; outstanding: number }) => ({
  fines: row.fines,
  amount: row.amount,
  paid: row.paid,
  outstanding: row.outstanding
})

type Sql = SqlClient.SqlClient
type Port = ReportRepo.ReportRepo["Service"]

const utilisation =
  (sql: Sql): Port["utilisation"] =>
  (orgId, window, by) =>
    ReportSql.utilisation(sql, orgId, bounds(window), by).pipe(
      Effect.map(decode(UtilisationRow)),
      Effect.map((rows) =>
        rows.map((row) => ({
          resourceId: row.resource_id,
          resourceName: row.resource_name,
          unitId: row.unit_id,
          unitBarcode: row.unit_barcode,
          units: row.units,
          bookings: row.bookings,
          bookedSeconds: row.booked_seconds,
          blackoutSeconds: row.blackout_seconds
        }))
      ),
      Effect.orDie
    )

const finesByClient =
  (sql: Sql): Port["finesByClient"] =>
  (orgId, window, now) =>
    ReportSql.finesByClient(sql, orgId, bounds(window), DateTime.toDateUtc(now)).pipe(
      Effect.map(decode(ClientRow)),
      Effect.map((rows) =>
        rows.map((row) => ({
          accountId: Ids.AccountId.make(row.account_id),
          username: row.username,
          fullName: row.full_name,
          overdueBookings: row.overdue_bookings,
          overdueSeconds: row.overdue_seconds,
          currency: row.currency,
          ...totalsOf(row)
        }))
      ),
      Effect.orDie
    )

const finesByStatus =
  (sql: Sql): Port["finesByStatus"] =>
  (orgId, window) =>
    ReportSql.finesByStatus(sql, orgId, bounds(window)).pipe(
      Effect.map(decode(StatusRow)),
      Effect.map(
        (rows): ReadonlyArray<ReportRows.StatusFinesRow> =>
          rows.map((row) => ({ status: row.status, currency: row.currency, ...totalsOf(row) }))
      ),
      Effect.orDie
    )

const workload =
  (sql: Sql): Port["workload"] =>
  (orgId, window) =>
    ReportSql.workload(sql, orgId, bounds(window)).pipe(
      Effect.map(decode(WorkloadRow)),
      Effect.map((rows) =>
        rows.map((row) => ({
          accountId: Ids.AccountId.make(row.account_id),
          username: row.username,
          fullName: row.full_name,
          assigned: row.assigned,
          open: row.open,
          completed: row.completed
        }))
      ),
      Effect.orDie
    )

const leadTimes =
  (sql: Sql): Port["leadTimes"] =>
  (orgId, window) =>
    ReportSql.leadTimes(sql, orgId, bounds(window)).pipe(
      Effect.map(decode(LeadTimeRow)),
      Effect.map((rows) =>
        rows.map((row) => ({
          priority: row.priority,
          kind: row.kind,
          requested: row.requested,
          started: row.started,
          startMean: row.start_mean,
          startP50: row.start_p50,
          startP90: row.start_p90,
          completed: row.completed,
          completionMean: row.completion_mean,
          completionP50: row.completion_p50,
          completionP90: row.completion_p90
        }))
      ),
      Effect.orDie
    )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ReportRepo.ReportRepo, never, SqlClient.SqlClient> = Layer.effect(
  ReportRepo.ReportRepo,
  Effect.map(Effect.service(SqlClient.SqlClient), (sql) =>
    ReportRepo.ReportRepo.of({
      utilisation: utilisation(sql),
      finesByClient: finesByClient(sql),
      finesByStatus: finesByStatus(sql),
      workload: workload(sql),
      leadTimes: leadTimes(sql)
    })
  )
)
