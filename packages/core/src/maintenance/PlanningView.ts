/**
 * What the planning view answers: by technician and by unit, the claims on the ledger and the
 * plans' coming due dates. Schemas only, so the API definition (and the SDK bundling it) does not
 * pull the use case in.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { UnitId } from "../inventory/ResourceUnit.ts"
import { AccountId, Uuid } from "../kernel/Ids.ts"
import { MaintenancePlanId } from "./MaintenancePlan.ts"

/**
 * The longest window the view answers, in days.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxWindowDays = 92

/**
 * One entry of a row: a claim on the ledger (`booking`, `intervention`, `leave`, `assignment`,
 * `waitlist_offer`, `blackout`) or a plan's coming due date (`maintenance_due`, whose end is
 * `null` when the plan has no estimated duration). `id` is the booking's, intervention's,
 * window's, assignment's, offer's, blackout's or plan's.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Entry = Schema.Struct({
  type: Schema.Literals([
    "booking",
    "waitlist_offer",
    "assignment",
    "intervention",
    "leave",
    "maintenance_due",
    "blackout"
  ]),
  id: Uuid,
  startAt: Schema.DateTimeUtc,
  endAt: Schema.NullOr(Schema.DateTimeUtc)
})
/** @since 0.1.0 @category models */
export type Entry = typeof Entry.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const PlanningView = Schema.Struct({
  from: Schema.DateTimeUtc,
  to: Schema.DateTimeUtc,
  technicians: Schema.Array(Schema.Struct({ accountId: AccountId, entries: Schema.Array(Entry) })),
  units: Schema.Array(Schema.Struct({ unitId: UnitId, entries: Schema.Array(Entry) })),
  /** Every active plan's due dates in the window, with or without a unit or an assignee. */
  maintenance: Schema.Array(
    Schema.Struct({
      planId: MaintenancePlanId,
      title: Schema.String,
      unitId: Schema.NullOr(UnitId),
      defaultAssigneeId: Schema.NullOr(AccountId),
      dueAt: Schema.Array(Schema.DateTimeUtc)
    })
  ),
  /** True when the window held more claims than the view answers: ask for a shorter one. */
  truncated: Schema.Boolean
})
/** @since 0.1.0 @category models */
export type PlanningView = typeof PlanningView.Type
