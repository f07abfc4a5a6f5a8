/**
 * A unit's or a resource's bookings are read from their items (which carry their booking's start,
 * creation and status, migration 0040): random bookings of one to three of four units (two of
 * each of two resources, so a booking often holds two units of one resource), then random status
 * changes, reschedules and item replacements through the store, and every unit's and resource's
 * listing, in each sort, alone and with a status set, a requester or a window (a resource's with
 * a unit as well), paged a few rows at a time, must be what the same filter and order give in
 * memory over the bookings as written: each booking once.
 */
import { assert, describe, layer } from "@effect/vitest"
import { type Booking, BookingRepos, Ids, type InventoryRepos, type Records } from "@rota/core"
import { BookingFixtures } from "@rota/core/testing"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { bookableUnit } from "./fixtures/BookableUnit.ts"

const hour = 3_600_000
const base = Date.UTC(2031, 0, 1)
const at = (hours: number) => DateTime.makeUnsafe(base + hours * hour)
// Units 0 and 1 are of resource 0, units 2 and 3 of resource 1.
const resourceOf = (unit: number) => Math.floor(unit / 2)
const statuses: ReadonlyArray<Booking.BookingStatus> = [
  "PENDING",
  "APPROVED",
  "CANCELLED",
  "CHECKED_OUT",
  "RETURNED"
]

interface Written {
  readonly units: ReadonlyArray<number>
  readonly start: number
  readonly length: number
  readonly created: number
  readonly status: Booking.BookingStatus
  readonly requester: number
}

// Few distinct starts and creation times: ties on the sort key, broken by id, are common.
const written: fc.Arbitrary<Written> = fc.record({
  units: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 2 }),
  start: fc.nat(12),
  length: fc.integer({ min: 1, max: 3 }),
  created: fc.nat(4),
  status: fc.constantFrom(...statuses),
  requester: fc.nat(1)
})

type Change =
  | { readonly kind: "status"; readonly pick: number; readonly status: Booking.BookingStatus }
  | { readonly kind: "reschedule"; readonly pick: number; readonly start: number }
  | { readonly kind: "items"; readonly pick: number; readonly units: ReadonlyArray<number> }

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant("status" as const), pick: fc.nat(30), status: fc.constantFrom(...statuses) }),
  fc.record({ kind: fc.constant("reschedule" as const), pick: fc.nat(30), start: fc.nat(12) }),
  fc.record({
    kind: fc.constant("items" as const),
    pick: fc.nat(30),
    units: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 3 })
  })
)

type Query = Omit<Records.ListQuery<Booking.BookingFilters, Booking.BookingSort>, "limit" | "cursor">

interface Modelled {
  id: string
  units: ReadonlyArray<number>
  start: number
  end: number
  created: number
  status: Booking.BookingStatus
  requester: string
}

// The filter and order the listing documents, over the model: the bookings `listed` keeps (those
// of a unit, or of a resource), each once.
const expected = (
  model: ReadonlyArray<Modelled>,
  listed: (booking: Modelled) => boolean,
  query: Query
): Array<string> => {
  const { filters, sort } = query
  const key = sort?.field === "createdAt" ? (b: Modelled) => b.created : (b: Modelled) => b.start
  const sign = sort?.direction === "desc" ? -1 : 1
  const from = filters.from === undefined ? undefined : (DateTime.toEpochMillis(filters.from) - base) / hour
  const to = filters.to === undefined ? undefined : (DateTime.toEpochMillis(filters.to) - base) / hour
  return model
    .filter(
      (b) =>
        listed(b) &&
        (filters.statuses === undefined || filters.statuses.includes(b.status)) &&
        (filters.requesterId === undefined || filters.requesterId === b.requester) &&
        (from === undefined || b.end > from) &&
        (to === undefined || b.start < to)
    )
    .sort((a, b) => sign * (key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .map((b) => b.id)
}

const sorts: ReadonlyArray<Query["sort"]> = [
  undefined,
  { field: "startAt", direction: "desc" },
  { field: "createdAt", direction: "asc" },
  { field: "createdAt", direction: "desc" }
]

const queries = (requester: string): ReadonlyArray<Query> =>
  sorts.flatMap((sort) => [
    { filters: {}, sort },
    { filters: { statuses: ["APPROVED"] }, sort },
    { filters: { statuses: ["PENDING", "CHECKED_OUT", "RETURNED"] }, sort },
    { filters: { requesterId: requester as never }, sort },
    { filters: { from: at(4), to: at(9) }, sort },
    { filters: { statuses: ["APPROVED", "PENDING"], from: at(6) }, sort }
  ])

const run = (bookings: ReadonlyArray<Written>, changes: ReadonlyArray<Change>) =>
  Effect.gen(function* () {
    const repo = yield* BookingRepos.BookingRepo
    const sql = yield* SqlClient.SqlClient
    const orgId = yield* Ids.nextId(Ids.OrgId)
    const first = yield* bookableUnit(orgId)
    const third = yield* bookableUnit(orgId)
    const units = [
      first,
      yield* bookableUnit(orgId, first.resourceId),
      third,
      yield* bookableUnit(orgId, third.resourceId)
    ]
    const resources = [first.resourceId, third.resourceId]
    const requesters = [yield* Ids.nextId(Ids.AccountId), yield* Ids.nextId(Ids.AccountId)]
    const itemsOf = (picked: ReadonlyArray<number>) =>
      picked
        .map((n) => ({ unitId: units[n]!.unitId, resourceId: units[n]!.resourceId }))
        .sort((a, b) => (a.unitId < b.unitId ? -1 : 1))
    const model: Array<Modelled> = []
    for (const b of bookings) {
      const { id } = yield* repo.insert(
        yield* BookingFixtures.booking(orgId, requesters[b.requester]!, itemsOf(b.units), {
          status: b.status,
          start: at(b.start),
          end: at(b.start + b.length),
          createdAt: at(b.created - 100)
        })
      )
      const { start, length, created, status, units: picked } = b
      model.push({
        id,
        units: picked,
        start,
        end: start + length,
        created,
        status,
        requester: requesters[b.requester]!
      })
    }
    for (const c of changes) {
      const target = model[c.pick % model.length]!
      if (c.kind === "status") {
        yield* repo.update(orgId, target.id, { status: c.status })
        target.status = c.status
      } else if (c.kind === "reschedule") {
        const length = target.end - target.start
        yield* repo.update(orgId, target.id, { startAt: at(c.start), endAt: at(c.start + length) })
        target.start = c.start
        target.end = c.start + length
      } else {
        yield* repo.update(orgId, target.id, { items: itemsOf(c.units) })
        target.units = c.units
      }
    }
    const [drift] = yield* Effect.orDie(sql<{ count: number }>`SELECT count(*)::int AS count
      FROM booking_items JOIN bookings ON bookings.org_id = booking_items.org_id AND bookings.id = booking_items.booking_id
      WHERE booking_items.org_id = ${orgId} AND (booking_items.start_at <> bookings.start_at
        OR booking_items.created_at <> bookings.created_at OR booking_items.status <> bookings.status)`)
    assert.strictEqual(drift?.count, 0, "items carry their booking's keys")
    const listing = (filters: Booking.BookingFilters, query: Query) =>
      Effect.gen(function* () {
        const ids: Array<string> = []
        let cursor: string | undefined
        do {
          const page = yield* Effect.orDie(
            repo.list(orgId, { ...query, filters: { ...query.filters, ...filters }, limit: 3, cursor })
          )
          ids.push(...page.items.map((booking) => booking.id))
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        return ids
      })
    for (const [unit, { unitId }] of units.entries())
      for (const query of queries(requesters[0]!))
        assert.deepStrictEqual(
          yield* listing({ unitId }, query),
          expected(model, (b) => b.units.includes(unit), query),
          JSON.stringify({ unit, query })
        )
    for (const [resource, resourceId] of resources.entries()) {
      const ofResource = (b: Modelled) => b.units.some((unit) => resourceOf(unit) === resource)
      for (const query of queries(requesters[0]!))
        assert.deepStrictEqual(
          yield* listing({ resourceId }, query),
          expected(model, ofResource, query),
          JSON.stringify({ resource, query })
        )
      // With a unit as well (of this resource or of the other), the unit's items are read.
      for (const sort of sorts)
        for (const unit of [0, 2]) {
          const query: Query = { filters: { unitId: units[unit]!.unitId }, sort }
          assert.deepStrictEqual(
            yield* listing({ resourceId }, query),
            expected(model, (b) => b.units.includes(unit) && ofResource(b), query),
            JSON.stringify({ resource, unit, query })
          )
        }
    }
  })

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 300_000,
      excludeTestServices: true
    })("a unit's or a resource's bookings, read from their items", (it) => {
      it.effect(
        "every sort, with and without other filters, page by page, as filtered in memory after random writes",
        () =>
          Effect.gen(function* () {
            const context = yield* Effect.context<
              | BookingRepos.BookingRepo
              | InventoryRepos.ResourceRepo
              | InventoryRepos.UnitRepo
              | SqlClient.SqlClient
              | Ids.Ids
            >()
            yield* Effect.promise(() =>
              fc.assert(
                fc.asyncProperty(
                  fc.array(written, { minLength: 1, maxLength: 14 }),
                  fc.array(change, { maxLength: 10 }),
                  (bookings, changes) =>
                    Effect.runPromise(run(bookings, changes).pipe(Effect.provide(context)))
                ),
                { numRuns: 60 }
              )
            )
          }),
        { timeout: 300_000 }
      )

      it.effect("an item written without its booking's keys takes them from the booking", () =>
        Effect.gen(function* () {
          const repo = yield* BookingRepos.BookingRepo
          const sql = yield* SqlClient.SqlClient
          const orgId = yield* Ids.nextId(Ids.OrgId)
          const { unitId, resourceId } = yield* bookableUnit(orgId)
          const { id } = yield* repo.insert(
            yield* BookingFixtures.booking(orgId, yield* Ids.nextId(Ids.AccountId), [], {
              status: "APPROVED",
              start: at(5),
              end: at(6),
              createdAt: at(-3)
            })
          )
          // As `rota import` writes an item exported before the items carried the keys.
          yield* Effect.orDie(sql`INSERT INTO booking_items (org_id, booking_id, unit_id, resource_id)
            VALUES (${orgId}, ${id}, ${unitId}, ${resourceId})`)
          const page = yield* Effect.orDie(
            repo.list(orgId, { filters: { unitId, statuses: ["APPROVED"] }, limit: 5, cursor: undefined })
          )
          assert.deepStrictEqual(
            page.items.map((booking) => booking.id),
            [id]
          )
        })
      )
    })
  })
}
