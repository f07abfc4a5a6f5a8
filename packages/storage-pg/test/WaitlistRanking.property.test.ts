/**
 * The waitlist ranking is computed by the core's pure function and by the store, whose one SQL
 * query either scores every entry live or reads a line through stored standings. On random
 * waitlists, with random histories, weights, refreshes before the read and writes after them,
 * every answer must agree with the pure ranking on the order, the scores and their parts.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids, Priority, Resource, Role, type WaitlistEntry, WaitlistRepo } from "@rota/core"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const hour = 3_600_000
const day = 24 * hour

// Times are offsets from the instant ranked, in hours, chosen around the edges that matter:
// bookings ending just before or after it, late returns entering or leaving the 90-day window,
// entries reaching the waiting cap between a refresh and the read.
const requester = fc.record({
  role: fc.option(fc.constantFrom(...Role.Role.literals), { nil: null }),
  lateReturnedAgo: fc.array(fc.integer({ min: 0, max: 24 * 95 }), { maxLength: 3 }),
  overdue: fc.nat(1),
  activeEndsIn: fc.array(fc.integer({ min: -6, max: 6 }), { maxLength: 3 }),
  openFines: fc.nat(2),
  paidFines: fc.nat(1)
})

// Small weights too: requesters a point or two apart tie with entries an hour or two apart.
const weight = fc.oneof({ arbitrary: fc.nat(2), weight: 3 }, { arbitrary: fc.nat(300), weight: 1 })
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
  entries: fc.array(
    fc.record({
      who: fc.nat(4),
      // Often within the same few hours, so scores tie and the tie-breaks decide; now and then
      // created after the instant ranked (another server's clock a little ahead).
      ageMinutes: fc.oneof(fc.nat(300 * 60), fc.nat(240), fc.integer({ min: -90, max: -1 })),
      status: fc.constantFrom("WAITING", "WAITING", "WAITING", "OFFERED")
    }),
    { minLength: 1, maxLength: 10 }
  ),
  weights,
  // Stored standings refreshed 0, 1 or 2 times, hours before the read, sometimes with other
  // weights; then more history written after the last refresh.
  refreshes: fc.oneof(
    { arbitrary: fc.constant([{ hoursBefore: 0, otherWeights: false }]), weight: 2 },
    {
      arbitrary: fc.array(
        fc.record({ hoursBefore: fc.integer({ min: 0, max: 8 }), otherWeights: fc.boolean() }),
        { maxLength: 2 }
      ),
      weight: 3
    }
  ),
  later: fc.array(fc.record({ who: fc.nat(4), activeEndsIn: fc.integer({ min: -6, max: 6 }) }), {
    maxLength: 2
  }),
  // Mostly pages that end inside the line, where the edge of the page decides.
  page: fc.record({ after: fc.nat(3), limit: fc.integer({ min: 1, max: 4 }) })
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
    const booking = (
      accountId: string,
      status: string,
      endAt: number,
      lateMinutes: number,
      returnedAt: number | null
    ) =>
      Effect.flatMap(
        Ids.nextId(Ids.OrgId),
        (id) =>
          sql`INSERT INTO bookings (org_id, id, requester_id, status, start_at, end_at, purpose, created_at,
            late_minutes, returned_at)
          VALUES (${orgId}, ${id}, ${accountId}, ${status}, ${new Date(endAt - hour)}, ${new Date(endAt)}, 'p',
            ${new Date(now)}, ${lateMinutes}, ${returnedAt === null ? null : new Date(returnedAt)})`
      )
    // What the pure rule is given: late returns in the window plus bookings overdue now, and
    // active bookings ending after now (an overdue one has ended).
    const counts = scenario.requesters.map((person) => ({
      lateReturns:
        person.lateReturnedAgo.filter((ago) => now - ago * hour >= now - 90 * day).length + person.overdue,
      activeBookings: person.activeEndsIn.filter((endsIn) => endsIn > 0).length
    }))
    for (const person of scenario.requesters) {
      const accountId = yield* Ids.nextId(Ids.AccountId)
      accounts.push(accountId)
      yield* sql`INSERT INTO accounts (id, email, username, full_name, created_at)
        VALUES (${accountId}, ${`${accountId}@example.test`}, ${accountId}, 'Person', ${new Date(now)})`
      if (person.role !== null)
        yield* sql`INSERT INTO memberships (org_id, account_id, role, created_at)
          VALUES (${orgId}, ${accountId}, ${person.role}, ${new Date(now)})`
      for (const ago of person.lateReturnedAgo)
        yield* booking(accountId, "RETURNED", now - ago * hour - hour, 45, now - ago * hour)
      for (let n = 0; n < person.overdue; n++) yield* booking(accountId, "OVERDUE", now - 2 * hour, 0, null)
      for (const endsIn of person.activeEndsIn)
        yield* booking(accountId, "APPROVED", now + endsIn * hour, 0, null)
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
    const entries: Array<{ id: string; who: number; createdAt: number; status: string }> = []
    for (const entry of scenario.entries) {
      const who = entry.who % scenario.requesters.length
      const id = yield* Ids.nextId(Ids.OrgId)
      const createdAt = now - entry.ageMinutes * 60_000
      yield* sql`INSERT INTO waitlist_entries (org_id, id, requester_id, resource_id, start_at, end_at, purpose,
          status, created_at)
        VALUES (${orgId}, ${id}, ${accounts[who]!}, ${resourceId}, ${new Date(now + day)}, ${new Date(now + day + hour)},
          'p', ${entry.status}, ${new Date(createdAt)})`
      entries.push({ id, who, createdAt, status: entry.status })
    }
    const refreshes = [...scenario.refreshes].sort((a, b) => b.hoursBefore - a.hoursBefore)
    for (const refresh of refreshes)
      yield* sql.withTransaction(
        repo.refreshRanking(
          orgId,
          refresh.otherWeights
            ? { ...scenario.weights, member: scenario.weights.member + 1 }
            : scenario.weights,
          new Date(now - refresh.hoursBefore * hour)
        )
      )
    for (const change of scenario.later) {
      const who = change.who % scenario.requesters.length
      yield* booking(accounts[who]!, "APPROVED", now + change.activeEndsIn * hour, 0, null)
      if (change.activeEndsIn > 0) counts[who]!.activeBookings++
    }
    const standings = entries.map((entry) => ({
      id: entry.id,
      status: entry.status,
      role: scenario.requesters[entry.who]!.role,
      createdAtMillis: entry.createdAt,
      openFines: scenario.requesters[entry.who]!.openFines,
      ...counts[entry.who]!
    }))
    const rankedOf = (rows: ReadonlyArray<WaitlistEntry.RankedEntry>) =>
      rows.map((ranked) => [ranked.entry.id, ranked.rank, ranked.priorityScore, { ...ranked.scoreParts }])
    const expectedOf = (line: ReadonlyArray<Priority.Standing>) =>
      Priority.rank(line, scenario.weights, now).map((ranked, index) => [
        ranked.standing.id,
        index + 1,
        ranked.score,
        ranked.parts
      ])

    // Every entry of the resource, scored live.
    const everyone = yield* repo.ranked(orgId, {
      filters: { resourceId },
      weights: scenario.weights,
      now: new Date(now),
      limit: 100
    })
    assert.deepStrictEqual(rankedOf(everyone), expectedOf(standings))

    // A page of the WAITING line, read through the stored standings.
    const { after, limit } = scenario.page
    const page = yield* repo.ranked(orgId, {
      filters: { resourceId, statuses: ["WAITING"] },
      weights: scenario.weights,
      now: new Date(now),
      limit,
      after: after === 0 ? undefined : { resourceId, rank: after }
    })
    assert.deepStrictEqual(
      rankedOf(page),
      expectedOf(standings.filter((standing) => standing.status === "WAITING")).slice(after, after + limit)
    )
  }).pipe(Effect.orDie)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
      timeout: 600_000,
      excludeTestServices: true
    })("the waitlist ranking", (it) => {
      it.effect(
        "the SQL rankings (live, and through stored standings) equal the pure ranking on 500 random waitlists",
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
