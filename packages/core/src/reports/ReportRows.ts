/**
 * The rows of each report, Schema-first: what the JSON answer carries and what the CSV columns
 * are made of. Durations are hours (two decimals), ratios four decimals, money in minor units
 * with its currency.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId } from "../kernel/Ids.ts"
import { Amount, Currency } from "../kernel/Money.ts"

const Hours = Schema.Number
const Count = Schema.Int

/**
 * Utilisation of one unit (`unitId` set) or of a resource's units together (`unitId` null).
 *
 * @since 0.1.0
 * @category models
 */
export const UtilisationRow = Schema.Struct({
  resourceId: Schema.String,
  resourceName: Schema.String,
  unitId: Schema.NullOr(Schema.String),
  unitBarcode: Schema.NullOr(Schema.String),
  units: Count,
  bookings: Count,
  bookedHours: Hours,
  blackoutHours: Hours,
  availableHours: Hours,
  ratio: Schema.NullOr(Schema.Number)
})
/** @since 0.1.0 @category models */
export type UtilisationRow = typeof UtilisationRow.Type

/**
 * A client's overdue bookings now and fines set in the window, in one currency (`null` when the
 * client has overdue bookings and no fines). The overdue columns are per client and repeat on
 * each of the client's currencies.
 *
 * @since 0.1.0
 * @category models
 */
export const ClientFinesRow = Schema.Struct({
  accountId: AccountId,
  username: Schema.String,
  fullName: Schema.String,
  overdueBookings: Count,
  overdueHours: Hours,
  currency: Schema.NullOr(Currency),
  fines: Count,
  amount: Amount,
  paid: Amount,
  outstanding: Amount
})
/** @since 0.1.0 @category models */
export type ClientFinesRow = typeof ClientFinesRow.Type

/**
 * The fines set in the window in one status and currency. Outstanding is what remains to pay of
 * open fines; a waived fine owes nothing.
 *
 * @since 0.1.0
 * @category models
 */
export const StatusFinesRow = Schema.Struct({
  status: Schema.Literals(["OPEN", "PAID", "WAIVED"]),
  currency: Currency,
  fines: Count,
  amount: Amount,
  paid: Amount,
  outstanding: Amount
})
/** @since 0.1.0 @category models */
export type StatusFinesRow = typeof StatusFinesRow.Type

/**
 * One technician's interventions: those opened in the window and assigned to them, how many of
 * those are still open, and how many they completed in the window.
 *
 * @since 0.1.0
 * @category models
 */
export const WorkloadRow = Schema.Struct({
  accountId: AccountId,
  username: Schema.String,
  fullName: Schema.String,
  assigned: Count,
  open: Count,
  completed: Count
})
/** @since 0.1.0 @category models */
export type WorkloadRow = typeof WorkloadRow.Type

/**
 * Lead times of the interventions requested in the window, of one priority and kind: hours from
 * request to start (first `started` event) and to completion.
 *
 * @since 0.1.0
 * @category models
 */
export const LeadTimeRow = Schema.Struct({
  priority: Schema.Literals(["LOW", "NORMAL", "HIGH", "URGENT"]),
  kind: Schema.Literals(["CORRECTIVE", "PREVENTIVE"]),
  requested: Count,
  started: Count,
  startMeanHours: Schema.NullOr(Hours),
  startP50Hours: Schema.NullOr(Hours),
  startP90Hours: Schema.NullOr(Hours),
  completed: Count,
  completionMeanHours: Schema.NullOr(Hours),
  completionP50Hours: Schema.NullOr(Hours),
  completionP90Hours: Schema.NullOr(Hours)
})
/** @since 0.1.0 @category models */
export type LeadTimeRow = typeof LeadTimeRow.Type

/**
 * A report's answer: its window (as resolved: defaults filled in), how it is grouped, its rows.
 *
 * @since 0.1.0
 * @category models
 */
export const Report = <Row extends Schema.Top, By extends Schema.Top>(by: By, row: Row) =>
  Schema.Struct({
    from: Schema.DateTimeUtc,
    to: Schema.DateTimeUtc,
    by,
    items: Schema.Array(row)
  })

/**
 * @since 0.1.0
 * @category schemas
 */
export const UtilisationBy = Schema.Literals(["resource", "unit"])
/** @since 0.1.0 @category models */
export type UtilisationBy = typeof UtilisationBy.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const FinesBy = Schema.Literals(["client", "status"])
/** @since 0.1.0 @category models */
export type FinesBy = typeof FinesBy.Type

/** @since 0.1.0 @category schemas */
export const Utilisation = Report(UtilisationBy, UtilisationRow)
/** @since 0.1.0 @category models */
export type Utilisation = typeof Utilisation.Type

/**
 * By client or by status: `by` says which rows `items` holds.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OverdueFines = Schema.Union([
  Report(Schema.Literal("client"), ClientFinesRow),
  Report(Schema.Literal("status"), StatusFinesRow)
])
/** @since 0.1.0 @category models */
export type OverdueFines = typeof OverdueFines.Type

/** @since 0.1.0 @category schemas */
export const Workload = Report(Schema.Literal("technician"), WorkloadRow)
/** @since 0.1.0 @category models */
export type Workload = typeof Workload.Type

/** @since 0.1.0 @category schemas */
export const LeadTimes = Report(Schema.Literal("priority_kind"), LeadTimeRow)
/** @since 0.1.0 @category models */
export type LeadTimes = typeof LeadTimes.Type
