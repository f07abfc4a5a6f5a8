/**
 * The waitlist ranking is computed twice: by the core's pure function and by the store's one
 * SQL query. On random waitlists, with random histories and weights, the two must agree on the
 * order, the scores and their parts.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids, Priority, Resource, Role, WaitlistRepo } from "@rota/core"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const hour = 3_600_000
const day = 24 * hour

const requester = fc.record({
  role: fc.option(fc.constantFrom(...Role.Role.literals), { nil: null }),
  lateRecent: fc.nat(2),
  lateOld: fc.nat(1),
  overdue: fc.nat(1),
  activeFuture: fc.nat(2),
  activePast: fc.nat(1),
  openFines: fc.nat(2),
  paidFines: fc.nat(1)
})

const weight = fc.nat(300)
const weights = fc.record({
  owner: weight,
  admin: weight,
  manager: weight,
  technician: weight,
  member: weight,
  lateReturn: weight,
  openFine: weight,
  activeBooking: weight,
  maxWaitingHours: fc.nat(200)
})

const waitlist = fc.record({
  requesters: fc.array(requester, { minLength: 1, maxLength: 5 }),
  entries: fc.array(fc.record({ who: fc.nat(4), ageMinutes: fc.nat(300 * 60) }), {
    minLength: 1,
    maxLength: 8
  }),
  weights
})

type Case = typeof waitlist extends fc.Arbitrary<infer T> ? T : never

const run = (scenario: Case) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const repo = yield* WaitlistRepo.WaitlistRepo
    const now = Date.now()
    const orgId = yield* Ids.nextId(Ids.OrgId)
    const resourceId = yield* Ids.nextId(Resource.ResourceId)
    yield* sql`INSERT INTO resources (org_id, id, type, name, status, created_at)
      VALUES (${orgId}, ${resourceId}, 'kit', 'Kit', 'AVAILABLE', ${new Date(now)})`
    const accounts: Array<string> = []
    for (const person of scenario.requesters) {
      const accountId = yield* Ids.nextId(Ids.AccountId)
      accounts.push(accountId)
      yield* sql`INSERT INTO accounts (id, email, username, full_name, created_at)
        VALUES (${accountId}, ${`${accountId}@example.test`}, ${accountId}, 'Person', ${new Date(now)})`
      if (person.role !== null)
        yield* sql`INSERT INTO memberships (org_id, account_id, role, created_at)
          VALUES (${orgId}, ${accountId}, ${person.role}, ${new Date(now)})`
      const booking = (status: string, endAt: number, lateMinutes: number, returnedAt: number | null) =>
        Effect.flatMap(
          Ids.nextId(Ids.OrgId),
          (id) =>
            sql`INSERT INTO bookings (org_id, id, requester_id, status, start_at, end_at, purpose, created_at,
              late_minutes, returned_at)
            VALUES (${orgId}, ${id}, ${accountId}, ${status}, ${new Date(endAt - hour)}, ${new Date(endAt)}, 'p',
              ${new Date(now)}, ${lateMinutes}, ${returnedAt === null ? null : new Date(returnedAt)})`
        )
      for (let n = 0; n < person.lateRecent; n++)
        yield* booking("RETURNED", now - 10 * day, 45, now - 10 * day + hour)
      for (let n = 0; n < person.lateOld; n++)
        yield* booking("RETURNED", now - 120 * day, 45, now - 120 * day + hour)
      for (let n = 0; n < person.overdue; n++) yield* booking("OVERDUE", now - 2 * hour, 0, null)
      for (let n = 0; n < person.activeFuture; n++) yield* booking("APPROVED", now + 5 * hour, 0, null)
      for (let n = 0; n < person.activePast; n++) yield* booking("APPROVED", now - 5 * hour, 0, null)
      const fine = (status: string) =>
        Effect.flatMap(
          Ids.nextId(Ids.OrgId),
          (id) =>
            sql`INSERT INTO fines (org_id, id, account_id, amount, currency, paid, reason, status, created_at)
            VALUES (${orgId}, ${id}, ${accountId}, 100, 'EUR', ${status === "PAID" ? 100 : 0}, 'r', ${status},
              ${new Date(now)})`
        )
      for (let n = 0; n < person.openFines; n++) yield* fine("OPEN")
      for (let n = 0; n < person.paidFines; n++) yield* fine("PAID")
    }
    const standings: Array<Priority.Standing> = []
    for (const entry of scenario.entries) {
      const who = entry.who % scenario.requesters.length
      const person = scenario.requesters[who]!
      const id = yield* Ids.nextId(Ids.OrgId)
      const createdAt = now - entry.ageMinutes * 60_000
      yield* sql`INSERT INTO waitlist_entries (org_id, id, requester_id, resource_id, start_at, end_at, purpose,
          status, created_at)
        VALUES (${orgId}, ${id}, ${accounts[who]!}, ${resourceId}, ${new Date(now + day)}, ${new Date(now + day + hour)},
          'p', 'WAITING', ${new Date(createdAt)})`
      standings.push({
        id,
        role: person.role,
        createdAtMillis: createdAt,
        // Late returns in the window, plus bookings overdue now.
        lateReturns: person.lateRecent + person.overdue,
        openFines: person.openFines,
        // Active bookings ending in the future; an overdue one has ended.
        activeBookings: person.activeFuture
      })
    }
    const expected = Priority.rank(standings, scenario.weights, now)
    const actual = yield* repo.ranked(orgId, {
      filters: { resourceId, statuses: ["WAITING"] },
      weights: scenario.weights,
      now: new Date(now),
      limit: 100
    })
    assert.deepStrictEqual(
      actual.map((ranked) => [ranked.entry.id, ranked.rank, ranked.priorityScore, { ...ranked.scoreParts }]),
      expected.map((ranked, index) => [ranked.standing.id, index + 1, ranked.score, ranked.parts])
    )
  }).pipe(Effect.orDie)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
      timeout: 600_000,
      excludeTestServices: true
    })("the waitlist ranking", (it) => {
      it.effect(
        "the SQL ranking equals the pure ranking on 500 random waitlists",
        () =>
          Effect.gen(function* () {
            const context = yield* Effect.context<SqlClient.SqlClient | WaitlistRepo.WaitlistRepo | Ids.Ids>()
            yield* Effect.promise(() =>
              fc.assert(
                fc.asyncProperty(waitlist, (scenario) =>
                  Effect.runPromise(run(scenario).pipe(Effect.provide(context)))
                ),
                { numRuns: 500 }
              )
            )
          }),
        { timeout: 600_000 }
      )
    })
  })
}
