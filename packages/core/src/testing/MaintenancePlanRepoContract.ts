/**
 * The contract of every `MaintenancePlanRepo` adapter: versioned plans of one org (changed
 * compare-and-set, soft-deleted, filtered by resource, unit and status, sorted by title), the
 * due plans a sweep takes (active, live, within their lead time; the next due date set without a
 * new version), a due date claimed once, and an org's active plans oldest first. A claimed due
 * date names an intervention, which a store may require to exist: the adapter's test gives
 * `intervention`, which opens one in the org.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type { InterventionId } from "../interventions/Intervention.ts"
import type { ResourceRepo } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { MaintenancePlan, MaintenancePlanId, type PlanStatus } from "../maintenance/MaintenancePlan.ts"
import { MaintenancePlanRepo } from "../maintenance/MaintenanceRepos.ts"
import { type ContractCase, type ContractSuite, expectEqual } from "./Contract.ts"
import { resource } from "./InventoryFixtures.ts"

/**
 * What the suite needs from the adapter's test: an intervention of the org.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fixtures<R> {
  readonly intervention: (orgId: OrgId) => Effect.Effect<InterventionId, unknown, R>
}

const day = (n: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, n, 9))

/** A stored plan of a resource, made on day `n`, due on `due` (a day) with `lead` days of lead time. */
const plan = (
  orgId: OrgId,
  resourceId: ResourceId,
  fields: {
    readonly title: string
    readonly n?: number
    readonly due?: number
    readonly lead?: number
    readonly status?: PlanStatus
  }
) =>
  Effect.gen(function* () {
    const stored = new MaintenancePlan({
      id: yield* nextId(MaintenancePlanId),
      orgId,
      title: fields.title,
      description: null,
      resourceId,
      unitId: null,
      recurrence: { type: "interval", every: 1, unit: "week" },
      startsOn: "2030-01-01",
      at: "09:00",
      leadTimeDays: fields.lead ?? 0,
      checklist: ["oil"],
      defaultAssigneeId: null,
      estimatedMinutes: 30,
      priority: "NORMAL",
      status: fields.status ?? "ACTIVE",
      nextDueAt: fields.due === undefined ? null : day(fields.due),
      createdBy: yield* nextId(AccountId),
      version: 1,
      createdAt: day(fields.n ?? 1),
      deletedAt: null
    })
    return yield* Effect.orDie((yield* MaintenancePlanRepo).insert(stored))
  })

const titles = (plans: ReadonlyArray<MaintenancePlan>) => plans.map((found) => found.title)

const records: ContractCase<MaintenancePlanRepo | ResourceRepo | Ids> = {
  name: "a plan is changed at its version, soft-deleted, found in its org only, and filtered",
  run: Effect.gen(function* () {
    const plans = yield* MaintenancePlanRepo
    const orgId = yield* nextId(OrgId)
    const [pump, boiler] = [yield* resource(orgId, []), yield* resource(orgId, [])]
    const stored = yield* plan(orgId, pump.id, { title: "b: grease", n: 1 })
    yield* plan(orgId, pump.id, { title: "a: filters", n: 2, status: "PAUSED" })
    yield* plan(orgId, boiler.id, { title: "c: flush", n: 3 })
    yield* expectEqual(yield* plans.find(orgId, stored.id), Option.some(stored), "found")
    yield* expectEqual(Option.isNone(yield* plans.find(yield* nextId(OrgId), stored.id)), true, "another org")
    const changed = yield* plans.update(orgId, stored.id, 1, { title: "b: grease well", leadTimeDays: 3 })
    yield* expectEqual(
      [changed.title, changed.leadTimeDays, changed.version],
      ["b: grease well", 3, 2],
      "updated"
    )
    const stale = yield* Effect.flip(plans.update(orgId, stored.id, 1, { title: "late" }))
    yield* expectEqual(stale._tag, "PreconditionFailed", "a stale update")
    const listed = (filters: Parameters<MaintenancePlanRepo["Service"]["list"]>[1]["filters"]) =>
      Effect.map(plans.list(orgId, { limit: 10, filters }), (page) => titles(page.items))
    yield* expectEqual(yield* listed({}), ["b: grease well", "a: filters", "c: flush"], "oldest first")
    yield* expectEqual(
      yield* listed({ resourceId: pump.id }),
      ["b: grease well", "a: filters"],
      "of the pump"
    )
    yield* expectEqual(yield* listed({ statuses: ["PAUSED"] }), ["a: filters"], "paused")
    const byTitle = yield* plans.list(orgId, {
      limit: 10,
      filters: {},
      sort: { field: "title", direction: "desc" }
    })
    yield* expectEqual(titles(byTitle.items), ["c: flush", "b: grease well", "a: filters"], "by title")
    yield* plans.softDelete(orgId, stored.id, 2, DateTime.makeUnsafe(Date.UTC(2030, 1, 1)))
    yield* expectEqual(yield* listed({ resourceId: pump.id }), ["a: filters"], "once deleted")
  })
}

const sweep: ContractCase<MaintenancePlanRepo | ResourceRepo | Ids> = {
  name: "due plans are the active, live ones within their lead time; the next due date keeps the version",
  run: Effect.gen(function* () {
    const plans = yield* MaintenancePlanRepo
    const orgId = yield* nextId(OrgId)
    const { id: resourceId } = yield* resource(orgId, [])
    const made = [
      yield* plan(orgId, resourceId, { title: "due on the 10th", due: 10 }),
      yield* plan(orgId, resourceId, { title: "due on the 12th, 3 days ahead", due: 12, lead: 3 }),
      yield* plan(orgId, resourceId, { title: "due on the 12th", due: 12 }),
      yield* plan(orgId, resourceId, { title: "paused", due: 5, status: "PAUSED" }),
      yield* plan(orgId, resourceId, { title: "never due" }),
      yield* plan(orgId, resourceId, { title: "deleted", due: 5 })
    ]
    yield* plans.softDelete(orgId, made[5]!.id, undefined, DateTime.makeUnsafe(Date.UTC(2030, 0, 2)))
    const due = (n: number) =>
      Effect.map(plans.lockDue(day(n), 1000), (found) =>
        titles(found.filter((one) => made.some((mine) => mine.id === one.id)))
      )
    yield* expectEqual(yield* due(8), [], "on the 8th")
    yield* expectEqual(
      yield* due(9),
      ["due on the 12th, 3 days ahead"],
      "on the 9th, 3 days ahead of the 12th"
    )
    yield* expectEqual(yield* due(10), ["due on the 10th", "due on the 12th, 3 days ahead"], "on the 10th")
    yield* plans.setNextDue(orgId, made[0]!.id, day(17))
    yield* plans.setNextDue(yield* nextId(OrgId), made[1]!.id, null)
    yield* expectEqual(yield* due(10), ["due on the 12th, 3 days ahead"], "once moved on")
    const moved = yield* plans.find(orgId, made[0]!.id)
    yield* expectEqual(
      Option.map(moved, (one) => [one.nextDueAt, one.version] as const),
      Option.some([day(17), 1] as const),
      "the next due date, same version"
    )
  })
}

const claims = <R>(fixtures: Fixtures<R>): ContractCase<MaintenancePlanRepo | ResourceRepo | Ids | R> => ({
  name: "a due date is claimed once; the org's active plans come oldest first",
  run: Effect.gen(function* () {
    const plans = yield* MaintenancePlanRepo
    const orgId = yield* nextId(OrgId)
    const { id: resourceId } = yield* resource(orgId, [])
    const first = yield* plan(orgId, resourceId, { title: "first", n: 1, due: 10 })
    yield* plan(orgId, resourceId, { title: "paused", n: 2, status: "PAUSED" })
    yield* plan(orgId, resourceId, { title: "third", n: 3 })
    yield* plan(orgId, resourceId, { title: "fourth", n: 4 })
    const claim = (dueAt: DateTime.Utc) =>
      Effect.flatMap(fixtures.intervention(orgId), (id) => plans.claimOccurrence(orgId, first.id, dueAt, id))
    yield* expectEqual(yield* claim(day(10)), true, "first claim")
    yield* expectEqual(yield* claim(day(10)), false, "the same due date again")
    yield* expectEqual(yield* claim(day(17)), true, "the next due date")
    yield* expectEqual(titles(yield* plans.listActive(orgId, 2)), ["first", "third"], "active, oldest first")
    yield* expectEqual(yield* plans.listActive(yield* nextId(OrgId), 10), [], "another org's")
  })
})

/**
 * @since 0.1.0
 * @category suites
 */
export const MaintenancePlanRepoContract = <R>(
  fixtures: Fixtures<R>
): ContractSuite<MaintenancePlanRepo | ResourceRepo | Ids | R> => ({
  name: "MaintenancePlanRepo",
  cases: [records, sweep, claims(fixtures)]
})
