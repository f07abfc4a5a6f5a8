/**
 * The `InterventionRepo` on the {@link MemoryDatabase}: interventions on {@link MemoryRecords}
 * with the filters and sorts of the PostgreSQL adapter, the per-org number counter (a table, so
 * a rolled-back transaction gives its number back) and the leaderboard. `InterventionReposContract`
 * holds both adapters to the same behaviour.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import {
  Intervention,
  type InterventionFilters,
  type InterventionSort,
  type Priority
} from "../interventions/Intervention.ts"
import { InterventionRepo } from "../interventions/InterventionRepos.ts"
import { parseNumber } from "../interventions/InterventionRules.ts"
import type { LeaderboardEntry } from "../interventions/Leaderboard.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { Interval } from "../ledger/Interval.ts"
import { MemoryDatabase, put, table } from "./MemoryDatabase.ts"
import { accounts } from "./MemoryIdentityTables.ts"
import * as MemoryRecords from "./MemoryRecords.ts"

const { contains, millis } = MemoryRecords

// The filters as the store sees them: usernames resolved to account ids (null: nobody has it).
interface Resolved extends InterventionFilters {
  readonly technicianNamed?: AccountId | null | undefined
  readonly clientNamed?: AccountId | null | undefined
}

const inList = <A>(values: ReadonlyArray<A> | undefined, value: A) =>
  values === undefined || values.length === 0 || values.includes(value)

const named = (wanted: AccountId | null | undefined, id: AccountId | null) =>
  wanted === undefined || (wanted !== null && wanted === id)

// The schedule overlaps [from, to); without one, the creation falls in it.
const scheduled = (record: Intervention, filters: InterventionFilters) =>
  (filters.from === undefined ||
    (record.scheduledEnd === null
      ? millis(record.createdAt) >= millis(filters.from)
      : millis(record.scheduledEnd) > millis(filters.from))) &&
  (filters.to === undefined ||
    (record.scheduledStart === null
      ? millis(record.createdAt) < millis(filters.to)
      : millis(record.scheduledStart) < millis(filters.to)))

const matches = (record: Intervention, filters: Resolved) =>
  inList(filters.statuses, record.status) &&
  inList(filters.kinds, record.kind) &&
  inList(filters.priorities, record.priority) &&
  (filters.technicianId === undefined || record.assigneeIds.includes(filters.technicianId)) &&
  (filters.technicianNamed === undefined ||
    (filters.technicianNamed !== null && record.assigneeIds.includes(filters.technicianNamed))) &&
  (filters.clientId === undefined || record.clientId === filters.clientId) &&
  named(filters.clientNamed, record.clientId) &&
  (filters.resourceId === undefined || record.resourceId === filters.resourceId) &&
  (filters.visibleTo === undefined || record.clientId === filters.visibleTo) &&
  contains(filters.q, record.number, record.title, record.description, record.subject) &&
  scheduled(record, filters)

const priorityRank: Readonly<Record<Priority, number>> = { LOW: 1, NORMAL: 2, HIGH: 3, URGENT: 4 }

// An intervention without a due date sorts as due at the end of time.
const noDueDate = Date.UTC(9999, 11, 31)

// Assignees are linked rows, read back in id order.
const byId = (ids: ReadonlyArray<AccountId>) => [...ids].sort()

const interventionRecords: MemoryRecords.Options<Intervention, Resolved, InterventionSort> = {
  table: "interventions",
  entity: "intervention",
  make: (fields) => new Intervention(fields),
  filters: matches,
  sorts: {
    createdAt: (record) => millis(record.createdAt),
    dueAt: (record) => (record.dueAt === null ? noDueDate : millis(record.dueAt)),
    priority: (record) => priorityRank[record.priority],
    number: (record) => parseNumber(record.number)
  },
  defaultSort: { field: "createdAt", direction: "desc" },
  view: Effect.succeed((record) => new Intervention({ ...record, assigneeIds: byId(record.assigneeIds) }))
}

const interventions = MemoryRecords.tableOf<Intervention>("interventions")
const counters = table<ReadonlyMap<string, number>>("intervention_counters", new Map())

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<InterventionRepo, never, MemoryDatabase> = Layer.effect(
  InterventionRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make(interventionRecords)

    // A username names an account whatever its case, as the store compares them.
    const accountNamed = (username: string | undefined) =>
      username === undefined
        ? Effect.succeed(undefined)
        : Effect.map(database.read(accounts), (all) => {
            const wanted = username.toLowerCase()
            return (
              [...all.values()].find((row) => row.account.username.toLowerCase() === wanted)?.account.id ??
              null
            )
          })

    const list = Effect.fn("InterventionRepo.list")(function* (
      orgId: OrgId,
      query: ListQuery<InterventionFilters, InterventionSort>
    ) {
      const technicianNamed = yield* accountNamed(query.filters.technicianUsername)
      const clientNamed = yield* accountNamed(query.filters.clientUsername)
      return yield* records.list(orgId, {
        ...query,
        filters: { ...query.filters, technicianNamed, clientNamed }
      })
    })

    const nextNumber = Effect.fn("InterventionRepo.nextNumber")(function* (orgId: OrgId) {
      return yield* database.modify(counters, (all) => {
        const next = (all.get(orgId) ?? 0) + 1
        return [next, put(all, orgId, next)] as const
      })
    })

    // Each assignee of a completed intervention gets the credit, or, with nobody assigned,
    // whoever completed it; ties share a rank, then go by username.
    const leaderboard = Effect.fn("InterventionRepo.leaderboard")(function* (
      orgId: OrgId,
      period: Interval,
      limit: number
    ) {
      const all = yield* database.read(interventions)
      const people = yield* database.read(accounts)
      const totals = new Map<AccountId, number>()
      for (const record of all.values()) {
        if (record.orgId !== orgId || record.status !== "COMPLETED" || record.deletedAt !== null) continue
        if (record.completedAt === null) continue
        const when = millis(record.completedAt)
        if (when < millis(period.startAt) || when >= millis(period.endAt)) continue
        const credited = record.assigneeIds.length > 0 ? record.assigneeIds : [record.completedBy]
        for (const id of credited) if (id !== null) totals.set(id, (totals.get(id) ?? 0) + 1)
      }
      const entries = [...totals].flatMap(([accountId, completed]) => {
        const account = people.get(accountId)?.account
        return account === undefined
          ? []
          : [{ accountId, username: account.username, fullName: account.fullName, completed }]
      })
      entries.sort(
        (a, b) =>
          b.completed - a.completed ||
          (a.username.toLowerCase() < b.username.toLowerCase()
            ? -1
            : a.username.toLowerCase() > b.username.toLowerCase()
              ? 1
              : 0)
      )
      return entries
        .map(
          (entry): LeaderboardEntry => ({
            rank: 1 + entries.filter((other) => other.completed > entry.completed).length,
            ...entry
          })
        )
        .slice(0, limit)
    })

    return InterventionRepo.of({ ...records, list, nextNumber, leaderboard })
  })
)
