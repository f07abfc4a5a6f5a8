/**
 * The `WaitlistRepo` on the {@link MemoryDatabase}. Rankings are always scored live, with the
 * core's `Priority` rule, from the bookings and fines the memory booking adapters keep and the
 * memberships the memory identity adapters keep: there are no stored standings to refresh, so a
 * refresh does nothing and no org is ever due one. `WaitlistRepoContract` holds this adapter and
 * the PostgreSQL one to the same answers. Row locks need no model: memory transactions run one
 * at a time.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import type { Fine } from "../bookings/Fine.ts"
import { isUuid, type OrgId } from "../kernel/Ids.ts"
import * as Priority from "../waitlist/Priority.ts"
import { RankedEntry, ranksByOwnStatus, statusOrder, WaitlistEntry } from "../waitlist/WaitlistEntry.ts"
import { type EntryChanges, type RankQuery, WaitlistRepo } from "../waitlist/WaitlistRepo.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"
import { type MembershipRow, membershipKey, memberships } from "./MemoryIdentityTables.ts"

const entries = rows<WaitlistEntry>("waitlist_entries")
// The tables `MemoryBookingRepos` writes.
const bookings = rows<Booking>("bookings")
const fines = rows<Fine>("fines")

const keyOf = (orgId: string, id: string) => `${orgId}/${id}`
const millis = (at: DateTime.Utc) => DateTime.toEpochMillis(at)

const activeStatuses: ReadonlyArray<Booking["status"]> = ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE"]
const lateWindow = Priority.lateReturnWindowDays * 86_400_000

interface Tables {
  readonly bookings: ReadonlyArray<Booking>
  readonly fines: ReadonlyArray<Fine>
  readonly memberships: ReadonlyMap<string, MembershipRow>
}

// An entry's standing at `nowMillis`, counted as the PostgreSQL ranking counts it.
const standingOf = (tables: Tables, entry: WaitlistEntry, nowMillis: number): Priority.Standing => {
  const own = tables.bookings.filter((b) => b.orgId === entry.orgId && b.requesterId === entry.requesterId)
  const member = tables.memberships.get(membershipKey(entry.orgId, entry.requesterId))
  return {
    id: entry.id,
    role: member === undefined || member.deletedAt !== null ? null : member.role,
    createdAtMillis: millis(entry.createdAt),
    lateReturns:
      own.filter(
        (b) => b.lateMinutes > 0 && b.returnedAt !== null && millis(b.returnedAt) >= nowMillis - lateWindow
      ).length + own.filter((b) => b.status === "OVERDUE").length,
    openFines: tables.fines.filter(
      (f) => f.orgId === entry.orgId && f.accountId === entry.requesterId && f.status === "OPEN"
    ).length,
    activeBookings: own.filter((b) => activeStatuses.includes(b.status) && millis(b.endAt) > nowMillis).length
  }
}

// Resource, then status group (when ranks run within each status), then rank.
const byPosition = (byStatus: boolean) => (a: RankedEntry, b: RankedEntry) =>
  a.entry.resourceId < b.entry.resourceId
    ? -1
    : a.entry.resourceId > b.entry.resourceId
      ? 1
      : (byStatus ? statusOrder.indexOf(a.entry.status) - statusOrder.indexOf(b.entry.status) : 0) ||
        a.rank - b.rank

// Whether `row` comes after the position of the previous page.
const isAfter = (row: RankedEntry, after: RankQuery["after"], byStatus: boolean) => {
  if (after === undefined || row.entry.resourceId > after.resourceId) return true
  if (row.entry.resourceId < after.resourceId) return false
  const group = byStatus
    ? statusOrder.indexOf(row.entry.status) - statusOrder.indexOf(after.status ?? "WAITING")
    : 0
  return group > 0 || (group === 0 && row.rank > after.rank)
}

// Every line (a resource's entries of the query's statuses, or of one status) the query's
// population covers, ranked, then the page shown.
const rankedPage = (tables: Tables, all: ReadonlyArray<WaitlistEntry>, orgId: OrgId, query: RankQuery) => {
  const { filters } = query
  const byStatus = ranksByOwnStatus(filters)
  const lineOf = (entry: WaitlistEntry) =>
    byStatus ? `${entry.resourceId}/${entry.status}` : entry.resourceId
  const ofOrg = all.filter(
    (entry) => entry.orgId === orgId && (byStatus || filters.statuses!.includes(entry.status))
  )
  const lines = new Set(
    ofOrg
      .filter((entry) => filters.requesterId === undefined || entry.requesterId === filters.requesterId)
      .map(lineOf)
  )
  const population = ofOrg.filter(
    (entry) =>
      (filters.resourceId === undefined || entry.resourceId === filters.resourceId) &&
      lines.has(lineOf(entry))
  )
  const nowMillis = DateTime.toEpochMillis(query.now)
  const ranked: Array<RankedEntry> = []
  for (const key of new Set(population.map(lineOf))) {
    const line = population.filter((entry) => lineOf(entry) === key)
    const byId = new Map<string, WaitlistEntry>(line.map((entry) => [entry.id, entry]))
    const order = Priority.rank(
      line.map((entry) => standingOf(tables, entry, nowMillis)),
      query.weights,
      nowMillis
    )
    for (const [index, { standing, score, parts }] of order.entries())
      ranked.push(
        new RankedEntry({
          entry: byId.get(standing.id)!,
          rank: index + 1,
          priorityScore: score,
          scoreParts: parts
        })
      )
  }
  return ranked
    .filter(
      (row) =>
        (filters.requesterId === undefined || row.entry.requesterId === filters.requesterId) &&
        isAfter(row, query.after, byStatus)
    )
    .sort(byPosition(byStatus))
    .slice(0, query.limit)
}

// Offers of any org past their expiry, soonest first.
const expiredOffers = (all: ReadonlyMap<string, WaitlistEntry>, now: DateTime.Utc, limit: number) =>
  [...all.values()]
    .filter(
      (entry) =>
        entry.status === "OFFERED" &&
        entry.offerExpiresAt !== null &&
        millis(entry.offerExpiresAt) <= DateTime.toEpochMillis(now)
    )
    .sort((a, b) => millis(a.offerExpiresAt!) - millis(b.offerExpiresAt!))
    .slice(0, limit)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WaitlistRepo, never, MemoryDatabase> = Layer.effect(
  WaitlistRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const tables = Effect.all({
      bookings: Effect.map(database.read(bookings), (all) => [...all.values()]),
      fines: Effect.map(database.read(fines), (all) => [...all.values()]),
      memberships: database.read(memberships)
    })
    const readOne = (orgId: OrgId, id: string) =>
      Effect.map(database.read(entries), (all) =>
        isUuid(id) ? Option.fromNullishOr(all.get(keyOf(orgId, id))) : Option.none<WaitlistEntry>()
      )

    const insert = Effect.fn("WaitlistRepo.insert")(function* (entry: WaitlistEntry) {
      return yield* database.modify(
        entries,
        (all) => [entry, put(all, keyOf(entry.orgId, entry.id), entry)] as const
      )
    })
    const find = Effect.fn("WaitlistRepo.find")(function* (orgId: OrgId, id: string) {
      return yield* readOne(orgId, id)
    })
    const lockWaiting = Effect.fn("WaitlistRepo.lockWaiting")(function* (orgId: OrgId, id: string) {
      return Option.filter(yield* readOne(orgId, id), (entry) => entry.status === "WAITING")
    })
    const update = Effect.fn("WaitlistRepo.update")(function* (
      orgId: OrgId,
      id: string,
      changes: EntryChanges
    ) {
      const changed = yield* database.modify(entries, (all) => {
        const before = all.get(keyOf(orgId, id))
        if (before === undefined) return [undefined, all] as const
        const after = new WaitlistEntry({ ...before, ...changes, version: before.version + 1 })
        return [after, put(all, keyOf(orgId, id), after)] as const
      })
      // The caller holds the row's lock: a missing row is a bug, as on PostgreSQL.
      return changed ?? (yield* Effect.die(new Error(`no waitlist entry ${id} to update`)))
    })
    const ranked = Effect.fn("WaitlistRepo.ranked")(function* (orgId: OrgId, query: RankQuery) {
      const all = yield* database.read(entries)
      return rankedPage(yield* tables, [...all.values()], orgId, query)
    })
    const scoreOf = Effect.fn("WaitlistRepo.scoreOf")(function* (
      orgId: OrgId,
      id: string,
      weights: Priority.Weights,
      now: DateTime.Utc
    ) {
      const found = yield* readOne(orgId, id)
      const counted = yield* tables
      const millis = DateTime.toEpochMillis(now)
      return Option.map(found, (entry) => Priority.parts(standingOf(counted, entry, millis), weights, millis))
    })
    // Nothing is stored beside the entries, so there is nothing to bring up to date.
    const refreshRanking = Effect.fn("WaitlistRepo.refreshRanking")(
      (_orgId: OrgId, _weights: Priority.Weights, _now: DateTime.Utc) => Effect.void
    )
    const rankingsDue = Effect.fn("WaitlistRepo.rankingsDue")((_now: DateTime.Utc, _limit: number) =>
      Effect.succeed<ReadonlyArray<OrgId>>([])
    )
    const lockExpiredOffers = Effect.fn("WaitlistRepo.lockExpiredOffers")(function* (
      now: DateTime.Utc,
      limit: number
    ) {
      return expiredOffers(yield* database.read(entries), now, limit)
    })

    return WaitlistRepo.of({
      insert,
      find,
      lockWaiting,
      update,
      ranked,
      scoreOf,
      refreshRanking,
      rankingsDue,
      lockExpiredOffers
    })
  })
)
