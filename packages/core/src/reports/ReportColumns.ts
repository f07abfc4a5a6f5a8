/**
 * The CSV columns of each report, in order: the JSON rows' fields, flat.
 *
 * @since 0.1.0
 */
import type { Cell } from "./ReportCsv.ts"
import type {
  ClientFinesRow,
  LeadTimeRow,
  StatusFinesRow,
  UtilisationRow,
  WorkloadRow
} from "./ReportRows.ts"

type Columns<Row> = ReadonlyArray<readonly [string, (row: Row) => Cell]>

const fields = <Row>(...names: ReadonlyArray<keyof Row & string>): Columns<Row> =>
  names.map((name) => [name, (row: Row) => row[name] as Cell] as const)

/** @since 0.1.0 @category columns */
export const utilisation: Columns<UtilisationRow> = fields(
  "resourceId",
  "resourceName",
  "unitId",
  "unitBarcode",
  "units",
  "bookings",
  "bookedHours",
  "blackoutHours",
  "availableHours",
  "ratio"
)

/** @since 0.1.0 @category columns */
export const finesByClient: Columns<ClientFinesRow> = fields(
  "accountId",
  "username",
  "fullName",
  "overdueBookings",
  "overdueHours",
  "currency",
  "fines",
  "amount",
  "paid",
  "outstanding"
)

/** @since 0.1.0 @category columns */
export const finesByStatus: Columns<StatusFinesRow> = fields(
  "status",
  "currency",
  "fines",
  "amount",
  "paid",
  "outstanding"
)

/** @since 0.1.0 @category columns */
export const workload: Columns<WorkloadRow> = fields(
  "accountId",
  "username",
  "fullName",
  "assigned",
  "open",
  "completed"
)

/** @since 0.1.0 @category columns */
export const leadTimes: Columns<LeadTimeRow> = fields(
  "priority",
  "kind",
  "requested",
  "started",
  "startMeanHours",
  "startP50Hours",
  "startP90Hours",
  "completed",
  "completionMeanHours",
  "completionP50Hours",
  "completionP90Hours"
)
