/**
 * The waitlist ranking is computed by the core's pure function and by the store, whose one SQL
 * query either scores every entry live or reads a line through stored standings. On random
 * waitlists, with random histories, weights, refreshes before the read and writes after them,
 * every answer must agree with the pure ranking on the order, the scores and their parts.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids, Priority, Role, WaitlistEntry, WaitlistRepo } from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { waitlistRows } from "./fixtures/WaitlistRows.ts"

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
      status: fc.constantFrom("WAITING", "WAITING", "WAITING", "OFFERED", "CANCELLED")
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
    const { orgId, resourceId, person, booking, fine, entry } = yield* waitlistRows(now)
    // What the pure rule is given: late returns in the window plus bookings overdue now, and
    // active bookings ending after now (an overdue one has ended).
    const counts = scenario.requesters.map((requester) => ({
      lateReturns:
        requester.lateReturnedAgo.filter((ago) => now - ago * hour >= now - 90 * day).length +
        requester.overdue,
      activeBookings: requester.activeEndsIn.filter((endsIn) => endsIn > 0).length
    }))
    const accounts: Array<string> = []
    for (const requester of scenario.requesters) {
      const accountId = yield* person(requester.role)
      accounts.push(accountId)
      for (const ago of requester.lateReturnedAgo)
        yield* booking(accountId, "RETURNED", now - ago * hour - hour, {
          minutes: 45,
          returnedAt: now - ago * hour
        })
      for (let n = 0; n < requester.overdue; n++) yield* booking(accountId, "OVERDUE", now - 2 * hour)
      for (const endsIn of requester.activeEndsIn) yield* booking(accountId, "APPROVED", now + endsIn * hour)
      for (let n = 0; n < requester.openFines; n++) yield* fine(accountId, "OPEN")
      for (let n = 0; n < requester.paidFines; n++) yield* fine(accountId, "PAID")
    }
    const entries: Array<{ id: string; who: number; createdAt: number; status: string }> = []
    for (const { who: index, ageMinutes, status } of scenario.entries) {
      const who = index % scenario.requesters.length
      const id = yield* entry(accounts[who]!, ageMinutes * 60_000, status)
      entries.push({ id, who, createdAt: now - ageMinutes * 60_000, status })
    }
    const refreshes = [...scenario.refreshes].sort((a, b) => b.hoursBefore - a.hoursBefore)
    for (const refresh of refreshes)
      yield* sql.withTransaction(
        repo.refreshRanking(
          orgId,
          refresh.otherWeights
            ? { ...scenario.weights, member: scenario.weights.member + 1 }
            : scenario.weights,
          DateTime.makeUnsafe(now - refresh.hoursBefore * hour)
        )
      )
    for (const change of scenario.later) {
      const who = change.who % scenario.requesters.length
      yield* booking(accounts[who]!, "APPROVED", now + change.activeEndsIn * hour)
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

    // With no status named, each status of the line is ranked on its own, the waiting line first.
    const byStatus = WaitlistEntry.statusOrder.flatMap((status) =>
      expectedOf(standings.filter((standing) => standing.status === status))
    )
    const everyone = yield* repo.ranked(orgId, {
      filters: { resourceId },
      weights: scenario.weights,
      now: DateTime.makeUnsafe(now),
      limit: 100
    })
    assert.deepStrictEqual(rankedOf(everyone), byStatus)

    // One requester's entries with their ranks in the line, as `/mine` lists them: the rank each
    // has in its status's line; with two statuses named, in theirs together. Then page by page.
    const mine = scenario.page.after % scenario.requesters.length
    const requesterId = Ids.AccountId.make(accounts[mine]!)
    const isTheirs = (row: ReadonlyArray<unknown>) =>
      entries.find((entry) => entry.id === row[0])!.who === mine
    const query = { weights: scenario.weights, now: DateTime.makeUnsafe(now), limit: 100 }
    const theirs = yield* repo.ranked(orgId, { ...query, filters: { requesterId } })
    assert.deepStrictEqual(rankedOf(theirs), byStatus.filter(isTheirs))
    const open = ["WAITING", "OFFERED"] as const
    const theirOpen = yield* repo.ranked(orgId, { ...query, filters: { requesterId, statuses: open } })
    assert.deepStrictEqual(
      rankedOf(theirOpen),
      expectedOf(standings.filter((standing) => open.some((status) => status === standing.status))).filter(
        isTheirs
      )
    )
    const walked: Array<WaitlistEntry.RankedEntry> = []
    for (let after: WaitlistRepo.RankQuery["after"], pages = 0; pages <= theirs.length; pages++) {
      const page = yield* repo.ranked(orgId, { ...query, filters: { requesterId }, limit: 2, after })
      walked.push(...page)
      const last = page.at(-1)
      if (last === undefined) break
      after = { resourceId: last.entry.resourceId, status: last.entry.status, rank: last.rank }
    }
    assert.deepStrictEqual(rankedOf(walked), rankedOf(theirs))

    // One entry's score alone, as a join stores it.
    const one = standings[scenario.page.after % standings.length]!
    const alone = yield* repo.scoreOf(orgId, one.id, scenario.weights, DateTime.makeUnsafe(now))
    assert.deepStrictEqual(Option.getOrUndefined(alone), Priority.parts(one, scenario.weights, now))

    // A page of the WAITING line, read through the stored standings.
    const { after, limit } = scenario.page
    const page = yield* repo.ranked(orgId, {
      filters: { resourceId, statuses: ["WAITING"] },
      weights: scenario.weights,
      now: DateTime.makeUnsafe(now),
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
