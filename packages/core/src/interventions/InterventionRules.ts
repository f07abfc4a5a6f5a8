/**
 * The pure rules of interventions: the state machine as a table, the timeline event each move
 * appends, the display number, the schedule, and the time an intervention holds on the ledger.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { type FieldIssue, InvalidTransition, ValidationFailed } from "../kernel/Errors.ts"
import type { Interval } from "../ledger/Interval.ts"
import type { Claim } from "../ledger/Ledger.ts"
import type { Intervention, Status } from "./Intervention.ts"
import type { EventType } from "./TimelineEvent.ts"

/**
 * The state machine: from each status, the statuses it may move to. `COMPLETED` and
 * `CANCELLED` are terminal.
 *
 * ```
 * PENDING -> IN_PROGRESS -> COMPLETED
 *               |   ^
 *               v   |
 *           WAITING_PARTS
 * any non-terminal -> CANCELLED
 * ```
 *
 * @since 0.1.0
 * @category state machine
 */
export const transitions: Readonly<Record<Status, ReadonlyArray<Status>>> = {
  PENDING: ["IN_PROGRESS", "CANCELLED"],
  IN_PROGRESS: ["WAITING_PARTS", "COMPLETED", "CANCELLED"],
  WAITING_PARTS: ["IN_PROGRESS", "CANCELLED"],
  COMPLETED: [],
  CANCELLED: []
}

/**
 * Whether the status ends the intervention's life.
 *
 * @since 0.1.0
 * @category state machine
 */
export const isTerminal = (status: Status): boolean => transitions[status].length === 0

/**
 * Allows a move the table lists; anything else (staying put included) is `InvalidTransition`
 * naming the allowed next statuses.
 *
 * @since 0.1.0
 * @category state machine
 */
export const transition = (from: Status, to: Status): Effect.Effect<Status, InvalidTransition> =>
  transitions[from].includes(to)
    ? Effect.succeed(to)
    : Effect.fail(new InvalidTransition({ entity: "intervention", from, to, allowed: transitions[from] }))

/**
 * Parts are used by work still going on: a completed or cancelled intervention takes none, so
 * its cost and the stock stay what its end left them. The refusal names the status and the
 * timeline event refused (`part_used`), with no way onward.
 *
 * @since 0.1.0
 * @category state machine
 */
export const checkTakesParts = (intervention: Intervention): Effect.Effect<void, InvalidTransition> =>
  isTerminal(intervention.status)
    ? Effect.fail(
        new InvalidTransition({
          entity: "intervention",
          from: intervention.status,
          to: "part_used",
          allowed: []
        })
      )
    : Effect.void

/**
 * The timeline event that entering a status appends. Going back to work after waiting for parts
 * is `started` again.
 *
 * @since 0.1.0
 * @category state machine
 */
export const eventOfStatus: Readonly<Record<Exclude<Status, "PENDING">, EventType>> = {
  IN_PROGRESS: "started",
  WAITING_PARTS: "waiting_parts",
  COMPLETED: "completed",
  CANCELLED: "cancelled"
}

/**
 * The display form of a per-org number: `INT-000123` (more digits past a million).
 *
 * @since 0.1.0
 * @category numbering
 */
export const formatNumber = (sequence: number): string => `INT-${String(sequence).padStart(6, "0")}`

/**
 * The schedule of an intervention as an interval: both ends or neither, the end after the start.
 *
 * @since 0.1.0
 * @category schedule
 */
export const schedule = (fields: {
  readonly scheduledStart: DateTime.Utc | null
  readonly scheduledEnd: DateTime.Utc | null
}): Effect.Effect<Interval | undefined, ValidationFailed> => {
  const { scheduledStart: startAt, scheduledEnd: endAt } = fields
  if (startAt === null && endAt === null) return Effect.succeed(undefined)
  const issues: Array<FieldIssue> =
    startAt === null || endAt === null
      ? [
          {
            path: ["body", startAt === null ? "scheduledStart" : "scheduledEnd"],
            message: "A schedule needs both scheduledStart and scheduledEnd"
          }
        ]
      : DateTime.isGreaterThan(endAt, startAt)
        ? []
        : [{ path: ["body", "scheduledEnd"], message: "Expected scheduledEnd to be after scheduledStart" }]
  return issues.length === 0 && startAt !== null && endAt !== null
    ? Effect.succeed({ startAt, endAt })
    : Effect.fail(new ValidationFailed({ errors: issues }))
}

/**
 * The time an intervention holds on the ledger: one claim per assignee over its schedule, and
 * one for its unit (the equipment is out of use while it is worked on), while it is live,
 * scheduled and not finished. Completing or cancelling it frees its technicians and its unit.
 *
 * @since 0.1.0
 * @category ledger
 */
export const claimsOf = (intervention: Intervention): ReadonlyArray<Claim> => {
  const { scheduledStart, scheduledEnd } = intervention
  if (
    intervention.deletedAt !== null ||
    isTerminal(intervention.status) ||
    scheduledStart === null ||
    scheduledEnd === null
  )
    return []
  const interval = { startAt: scheduledStart, endAt: scheduledEnd }
  const source = { type: "intervention", id: intervention.id } as const
  const people: Array<Claim> = intervention.assigneeIds.map((id) => ({
    subject: { type: "person", id },
    interval,
    source
  }))
  return intervention.unitId === null
    ? people
    : [...people, { subject: { type: "unit", id: intervention.unitId }, interval, source }]
}

const claimKey = (claims: ReadonlyArray<Claim>): string =>
  claims
    .map(
      (claim) =>
        `${claim.subject.type}:${claim.subject.id}@${DateTime.toEpochMillis(claim.interval.startAt)}-${DateTime.toEpochMillis(claim.interval.endAt)}`
    )
    .sort()
    .join(",")

/**
 * Whether a change moves the intervention's time on the ledger (assignees, schedule, status or
 * deletion changed what it holds).
 *
 * @since 0.1.0
 * @category ledger
 */
export const holdsOtherTime = (before: Intervention, after: Intervention): boolean =>
  claimKey(claimsOf(before)) !== claimKey(claimsOf(after))

/**
 * The assignees after adding `add` and removing `remove` (removal wins), each once, in order.
 *
 * @since 0.1.0
 * @category assignees
 */
export const applyAssignees = <Id extends string>(
  current: ReadonlyArray<Id>,
  add: ReadonlyArray<Id>,
  remove: ReadonlyArray<Id>
): ReadonlyArray<Id> => {
  const removed = new Set(remove)
  return [...new Set([...current, ...add])].filter((id) => !removed.has(id))
}

/**
 * The sequence number behind a display number (`INT-000123` is 123).
 *
 * @since 0.1.0
 * @category numbering
 */
export const parseNumber = (display: string): number => Number(display.replace(/^INT-/, ""))
