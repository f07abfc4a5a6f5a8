/**
 * The part of the `ReportRepo` contract about interventions: each technician's workload, and the
 * lead times from request to start and to completion by priority and kind.
 * `ReportRepoContract` runs these cases.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import type { AccountRepo, MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import type { InterventionId } from "../interventions/Intervention.ts"
import { InterventionRepo, TimelineRepo } from "../interventions/InterventionRepos.ts"
import { TimelineEvent, TimelineEventId } from "../interventions/TimelineEvent.ts"
import { type AccountId, type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import { ReportRepo } from "../reports/ReportRepo.ts"
import { type ContractCase, expectEqual } from "./Contract.ts"
import { at, intervention, workshop } from "./InterventionFixtures.ts"

/**
 * The ports these cases write through.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports = InterventionRepo | TimelineRepo | OrgRepo | AccountRepo | MembershipRepo | Ids

const H = 3600

/** An event of the intervention's timeline at hour `n`. */
const event = (orgId: OrgId, interventionId: InterventionId, type: "started" | "created", n: number) =>
  Effect.gen(function* () {
    yield* (yield* TimelineRepo).append(
      new TimelineEvent({
        id: yield* nextId(TimelineEventId),
        orgId,
        interventionId,
        type,
        actorId: null,
        at: at(n),
        data: {}
      })
    )
  })

const removed = (orgId: OrgId, id: InterventionId) =>
  Effect.flatMap(Effect.service(InterventionRepo), (repo) =>
    Effect.orDie(repo.softDelete(orgId, id, undefined, DateTime.makeUnsafe(Date.UTC(2031, 5, 1))))
  )

const workload = Effect.gen(function* () {
  const reports = yield* ReportRepo
  const { orgId, people } = yield* workshop(["ann", "Ben", "cid"])
  const [ann, ben, cid] = [people[0]!.id, people[1]!.id, people[2]!.id]
  const done = (n: number, by: AccountId | null) => ({
    status: "COMPLETED" as const,
    completedAt: at(n),
    completedBy: by
  })
  yield* intervention(orgId, 1, { created: 1, assigneeIds: [ann, ben] })
  yield* intervention(orgId, 2, { created: 2, assigneeIds: [ann], status: "IN_PROGRESS" })
  yield* intervention(orgId, 3, { created: 3, assigneeIds: [ann], ...done(5, ann) })
  // Requested before the window, completed in it: completed, not assigned.
  yield* intervention(orgId, 4, { created: -10, assigneeIds: [ben], ...done(6, ben) })
  // Nobody assigned: credited to whoever completed it, or to nobody.
  yield* intervention(orgId, 5, { created: 4, ...done(7, cid) })
  yield* intervention(orgId, 6, { created: 2, ...done(8, null) })
  yield* intervention(orgId, 7, { created: 5, assigneeIds: [ben], status: "CANCELLED" })
  yield* intervention(orgId, 8, { created: 30, assigneeIds: [cid], status: "WAITING_PARTS" })
  // Requested in the window but completed after it: assigned, no longer open, not completed.
  yield* intervention(orgId, 9, { created: 9, assigneeIds: [cid], ...done(26, cid) })
  const deleted = yield* intervention(orgId, 10, { created: 6, assigneeIds: [cid], ...done(8, cid) })
  yield* removed(orgId, deleted.id)
  const other = yield* workshop(["eve"])
  yield* intervention(other.orgId, 1, { created: 3, assigneeIds: [other.people[0]!.id], ...done(4, null) })
  const row = (index: number, assigned: number, open: number, completed: number) => ({
    accountId: people[index]!.id,
    username: people[index]!.username,
    fullName: `Full ${people[index]!.username}`,
    assigned,
    open,
    completed
  })
  yield* expectEqual(
    yield* reports.workload(orgId, { from: at(0), to: at(24) }),
    [row(0, 3, 2, 1), row(1, 2, 1, 1), row(2, 1, 0, 1)],
    "per technician, by username"
  )
  yield* expectEqual(
    yield* reports.workload(orgId, { from: at(24), to: at(48) }),
    [row(2, 1, 1, 1)],
    "the next day"
  )
})

const leadTimes = Effect.gen(function* () {
  const reports = yield* ReportRepo
  const { orgId } = yield* workshop([])
  const urgent = { priority: "URGENT" as const, kind: "CORRECTIVE" as const }
  // Started 1, 2 and 4 hours after the request (the first start counts), completed after 10 and 3.
  const first = yield* intervention(orgId, 1, {
    ...urgent,
    created: 0,
    status: "COMPLETED",
    completedAt: at(10)
  })
  yield* event(orgId, first.id, "started", 1)
  yield* event(orgId, first.id, "started", 3)
  const second = yield* intervention(orgId, 2, {
    ...urgent,
    created: 1,
    status: "COMPLETED",
    completedAt: at(4)
  })
  yield* event(orgId, second.id, "started", 3)
  const third = yield* intervention(orgId, 3, { ...urgent, created: 2, status: "IN_PROGRESS" })
  yield* event(orgId, third.id, "created", 2)
  yield* event(orgId, third.id, "started", 6)
  // Completed without a recorded start; requested and never started.
  yield* intervention(orgId, 4, { created: 5, status: "COMPLETED", completedAt: at(7) })
  yield* intervention(orgId, 5, { created: 6, kind: "PREVENTIVE" })
  // Cancelled after a completion time was set: not completed.
  yield* intervention(orgId, 6, { created: 6, kind: "PREVENTIVE", status: "CANCELLED", completedAt: at(9) })
  // Deleted, or requested after the window: left out.
  const deleted = yield* intervention(orgId, 7, { created: 3, priority: "LOW" })
  yield* event(orgId, deleted.id, "started", 4)
  yield* removed(orgId, deleted.id)
  yield* intervention(orgId, 8, { created: 49, priority: "HIGH" })
  const other = yield* workshop([])
  const theirs = yield* intervention(other.orgId, 1, { ...urgent, created: 1 })
  yield* event(other.orgId, theirs.id, "started", 30)
  const none = { startMean: null, startP50: null, startP90: null }
  yield* expectEqual(
    yield* reports.leadTimes(orgId, { from: at(0), to: at(48) }),
    [
      {
        ...urgent,
        requested: 3,
        started: 3,
        startMean: 8400,
        startP50: 2 * H,
        startP90: 12960,
        completed: 2,
        completionMean: 23400,
        completionP50: 23400,
        completionP90: 33480
      },
      {
        priority: "NORMAL",
        kind: "CORRECTIVE",
        requested: 1,
        started: 0,
        ...none,
        completed: 1,
        completionMean: 2 * H,
        completionP50: 2 * H,
        completionP90: 2 * H
      },
      {
        priority: "NORMAL",
        kind: "PREVENTIVE",
        requested: 2,
        started: 0,
        ...none,
        completed: 0,
        completionMean: null,
        completionP50: null,
        completionP90: null
      }
    ],
    "by priority then kind, most pressing first"
  )
  yield* expectEqual(yield* reports.leadTimes(orgId, { from: at(100), to: at(200) }), [], "an empty window")
})

/**
 * @since 0.1.0
 * @category cases
 */
export const ReportWorkCases: ReadonlyArray<ContractCase<ReportRepo | Ports>> = [
  {
    name: "workload per technician: assigned and still open of the window's requests, completed in it",
    run: workload
  },
  {
    name: "lead times by priority and kind: mean, median and 90th percentile, null where none was measured",
    run: leadTimes
  }
]
