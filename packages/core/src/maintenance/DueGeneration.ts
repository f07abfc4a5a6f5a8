/**
 * The server's maintenance work: opening the `PREVENTIVE` intervention of every due date whose
 * lead time has come. Every due date is claimed under a unique key (plan, due date) in the same
 * transaction that opens its intervention, so each opens exactly once, whichever server runs the
 * job and however often it restarts.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect } from "effect"
import type { Intervention, InterventionFields } from "../interventions/Intervention.ts"
import { InterventionId } from "../interventions/Intervention.ts"
import type { Conflict, ValidationFailed } from "../kernel/Errors.ts"
import { nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { dueTopic, interventionOf, type MaintenancePlan } from "./MaintenancePlan.ts"
import type { Deps } from "./PlanDeps.ts"
import { ruleOf, timeZoneOf } from "./PlanSteps.ts"
import * as Recurrence from "./Recurrence.ts"

// Per run of the job: plans locked at once, and due dates opened per plan. A plan further
// behind catches up on the next runs.
const plansPerBatch = 25
const datesPerPlan = 400

// The ways to open one due date's intervention, best first: staffed and scheduled as the plan
// says, then unassigned, then unscheduled.
const attemptsOf = (plan: MaintenancePlan, dueAt: DateTime.Utc): ReadonlyArray<InterventionFields> => {
  const work = interventionOf(plan, dueAt)
  const base: InterventionFields = {
    title: work.title,
    description: work.description,
    kind: "PREVENTIVE",
    priority: work.priority,
    resourceId: work.resourceId,
    unitId: work.unitId,
    dueAt
  }
  const scheduled: InterventionFields =
    work.estimatedMinutes === null
      ? base
      : {
          ...base,
          scheduledStart: dueAt,
          scheduledEnd: DateTime.addDuration(dueAt, Duration.minutes(work.estimatedMinutes))
        }
  return [
    ...(work.assigneeId === null ? [] : [{ ...scheduled, assigneeIds: [work.assigneeId] }]),
    scheduled,
    ...(scheduled === base ? [] : [base])
  ]
}

// The intervention of one due date: if the technician's or the unit's time is taken (or the
// technician left), it is opened unassigned, then unscheduled, rather than not at all.
const openDue = (deps: Deps, plan: MaintenancePlan, dueAt: DateTime.Utc, id: InterventionId) => {
  const attempts = attemptsOf(plan, dueAt)
  const attempt = (index: number): Effect.Effect<Intervention, ValidationFailed | Conflict> =>
    deps.interventions.openAsSystem(plan.orgId, id, attempts[index]!).pipe(
      Effect.catchTags({
        Conflict: (error) => (index + 1 < attempts.length ? attempt(index + 1) : Effect.fail(error)),
        ValidationFailed: (error) => (index + 1 < attempts.length ? attempt(index + 1) : Effect.fail(error))
      })
    )
  return attempt(0)
}

// In the claim's transaction: a due date opened is announced once, and only if opened.
const announce = (plan: MaintenancePlan, intervention: Intervention, due: DateTime.Utc) =>
  Outbox.send({
    orgId: plan.orgId,
    topic: dueTopic,
    payload: {
      id: intervention.id,
      number: intervention.number,
      title: intervention.title,
      planId: plan.id,
      dueAt: DateTime.formatIso(due),
      assigneeId: plan.defaultAssigneeId
    }
  })

const generatePlan = (deps: Deps, plan: MaintenancePlan, now: DateTime.Utc) =>
  Effect.gen(function* () {
    const rule = ruleOf(plan, yield* timeZoneOf(deps, plan.orgId))
    const lead = Duration.days(plan.leadTimeDays)
    let due = plan.nextDueAt
    let opened = 0
    let seen = 0
    while (
      due !== null &&
      seen < datesPerPlan &&
      !DateTime.isGreaterThan(DateTime.subtractDuration(due, lead), now)
    ) {
      seen++
      const id = yield* nextId(InterventionId)
      if (yield* deps.plans.claimOccurrence(plan.orgId, plan.id, due, id)) {
        const intervention = yield* openDue(deps, plan, due, id)
        yield* announce(plan, intervention, due).pipe(Effect.provide(deps.outbox))
        opened++
      }
      due = Recurrence.nextAfter(rule, due)
    }
    yield* deps.plans.setNextDue(plan.orgId, plan.id, due)
    return opened
  }).pipe(Effect.provide(deps.ids))

/**
 * Opens the intervention of every due date whose lead time has come, across all orgs; answers
 * how many were opened.
 *
 * @since 0.1.0
 * @category steps
 */
export const generateDue = (deps: Deps): Effect.Effect<number> =>
  Effect.gen(function* () {
    const now = yield* DateTime.now
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        let opened = 0
        for (const plan of yield* deps.plans.lockDue(now, plansPerBatch)) {
          // One plan that cannot open its work (its equipment was deleted) does not hold up
          // the others: its writes are undone, and it is tried again on the next run.
          opened += yield* deps.transactor.savepoint(generatePlan(deps, plan, now)).pipe(
            Effect.catch((error) =>
              Effect.as(
                Effect.logWarning("maintenance plan could not open its intervention", {
                  planId: plan.id,
                  error: error._tag
                }),
                0
              )
            )
          )
        }
        return opened
      })
    )
  }).pipe(Effect.withSpan("MaintenancePlans.generateDue"))
