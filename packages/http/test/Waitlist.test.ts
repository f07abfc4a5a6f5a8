import { assert, describe, layer } from "@effect/vitest"
import { Ids, Offers } from "@rota/core"
import { Storage } from "@rota/storage-pg"
import { Clock, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { at, book, bookingOf, idempotencyKey, resourceWithUnits } from "./fixtures/Bookings.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

interface Entry {
  readonly id: string
  readonly status: string
  readonly requesterId: string
  readonly offeredUnitId: string | null
  readonly bookingId: string | null
  readonly priorityScore: number
  readonly rank: number
  readonly scoreParts: {
    readonly role: number
    readonly waiting: number
    readonly lateReturns: number
    readonly openFines: number
    readonly activeBookings: number
  }
}

const as = (org: Org, headers: Record<string, string> = {}) => ({
  token: org.token,
  orgId: org.orgId,
  headers
})

const join = (org: Org, resourceId: string, startAt: string, endAt: string) =>
  call("POST", "/v1/waitlist", { ...as(org), body: { resourceId, startAt, endAt, purpose: "Waiting" } })

// The line with its offers; without `status` the listing shows WAITING entries only.
const line = (org: Org, resourceId: string, status = "WAITING,OFFERED") =>
  Effect.map(call("GET", `/v1/waitlist?resourceId=${resourceId}&status=${status}`, as(org)), (answer) => {
    assert.strictEqual(answer.status, 200, answer.text)
    return body<{ items: ReadonlyArray<Entry> }>(answer).items
  })

const post = (org: Org, path: string) => call("POST", path, as(org, { "idempotency-key": idempotencyKey() }))

// Runs the offer expiry as the scheduler would, on a clock `minutes` ahead of now.
const expireWithClockAhead = (minutes: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const ahead = Date.now() + minutes * 60_000
    const clock: Clock.Clock = {
      currentTimeMillisUnsafe: () => ahead,
      currentTimeMillis: Effect.sync(() => ahead),
      currentTimeNanosUnsafe: () => BigInt(ahead) * 1_000_000n,
      currentTimeNanos: Effect.sync(() => BigInt(ahead) * 1_000_000n),
      monotonicTimeNanosUnsafe: () => process.hrtime.bigint(),
      monotonicTimeNanos: Effect.sync(() => process.hrtime.bigint()),
      sleep: () => Effect.void
    }
    return yield* Effect.flatMap(Effect.service(Offers.Offers), (offers) => offers.expireDue).pipe(
      Effect.provide(
        Offers.layer.pipe(
          Layer.provideMerge(Storage.layer),
          Layer.provideMerge(Ids.Ids.layer),
          Layer.provide(Layer.succeed(SqlClient.SqlClient, sql))
        )
      ),
      Effect.provideService(Clock.Clock, clock)
    )
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "the waitlist",
      (it) => {
        it.effect("joining while a unit is free is 409 unit_available", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
            const answer = yield* join(owner, resourceId, at(0), at(1))
            assert.strictEqual(body<{ code: string }>(answer).code, "unit_available")
            assert.deepStrictEqual(body<{ unitIds: ReadonlyArray<string> }>(answer).unitIds, unitIds)
          })
        )

        it.effect(
          "a manager outranks a member; a cancellation offers the unit to the best entry, held; accept books it",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const manager = yield* addMember(owner, "manager")
              const member = yield* addMember(owner, "member")
              const outsider = yield* addMember(owner, "technician")
              const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
              const taken = bookingOf(
                yield* book(owner, { startAt: at(0), endAt: at(2), items: [{ unitId: unitIds[0]! }] })
              )
              // The member joins first, the manager later: role weight decides.
              const mine = yield* join(member, resourceId, at(0), at(2))
              assert.strictEqual(mine.status, 201, mine.text)
              const theirs = yield* join(manager, resourceId, at(0), at(2))
              const ranked = yield* line(owner, resourceId)
              assert.deepStrictEqual(
                ranked.map((entry) => entry.requesterId),
                [manager.accountId, member.accountId]
              )
              assert.deepStrictEqual(
                ranked.map((entry) => entry.rank),
                [1, 2]
              )
              assert.strictEqual(ranked[0]!.scoreParts.role, 200)
              assert.strictEqual(ranked[1]!.scoreParts.role, 100)
              assert.strictEqual(ranked[0]!.priorityScore, 200 + ranked[0]!.scoreParts.waiting)
              assert.strictEqual((yield* call("GET", "/v1/waitlist", as(member))).status, 403)
              const own = body<{ items: ReadonlyArray<Entry> }>(
                yield* call("GET", "/v1/waitlist/mine", as(member))
              ).items
              assert.deepStrictEqual(
                own.map((entry) => [entry.requesterId, entry.rank]),
                [[member.accountId, 2]]
              )

              assert.strictEqual((yield* post(owner, `/v1/bookings/${taken.id}/cancel`)).status, 200)
              const after = yield* line(owner, resourceId)
              const offered = after.find((entry) => entry.id === body<Entry>(theirs).id)!
              assert.strictEqual(offered.status, "OFFERED")
              assert.strictEqual(offered.offeredUnitId, unitIds[0])
              const waiting = body<{ items: ReadonlyArray<Entry> }>(
                yield* call("GET", `/v1/waitlist?resourceId=${resourceId}`, as(owner))
              ).items
              assert.deepStrictEqual(
                waiting.map((entry) => [entry.requesterId, entry.status, entry.rank]),
                [[member.accountId, "WAITING", 1]]
              )
              // Held: nobody else can book the unit meanwhile.
              const grab = yield* book(outsider, {
                startAt: at(0),
                endAt: at(1),
                items: [{ unitId: unitIds[0]! }]
              })
              assert.strictEqual(grab.status, 409)
              // Only the requester accepts.
              assert.strictEqual((yield* post(member, `/v1/waitlist/${offered.id}/accept`)).status, 404)
              const accepted = yield* post(manager, `/v1/waitlist/${offered.id}/accept`)
              assert.strictEqual(accepted.status, 200, accepted.text)
              const entry = body<Entry>(accepted)
              assert.strictEqual(entry.status, "ACCEPTED")
              const booking = bookingOf(yield* call("GET", `/v1/bookings/${entry.bookingId}`, as(manager)))
              assert.deepStrictEqual(
                [booking.status, booking.items[0]!.unitId, booking.requesterId],
                ["APPROVED", unitIds[0], manager.accountId]
              )
              const held = yield* call(
                "GET",
                `/v1/conflicts?unitId=${unitIds[0]}&from=${encodeURIComponent(at(-1))}&to=${encodeURIComponent(at(3))}`,
                as(owner)
              )
              assert.deepStrictEqual(
                body<{ items: ReadonlyArray<{ sourceType: string }> }>(held).items.map(
                  (item) => item.sourceType
                ),
                ["booking"]
              )
            })
        )

        it.effect(
          "/mine ranks each entry within its own status, as the line does; its pages carry the status",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const member = yield* addMember(owner, "member")
              const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
              yield* book(owner, { startAt: at(0), endAt: at(2), items: [{ unitId: unitIds[0]! }] })
              // The owner (300) joins ahead of the member (100), then leaves the line; the member
              // joins twice and cancels the second entry.
              const owners = body<Entry>(yield* join(owner, resourceId, at(0), at(2)))
              const waiting = body<Entry>(yield* join(member, resourceId, at(0), at(2)))
              const left = body<Entry>(yield* join(member, resourceId, at(0), at(1)))
              assert.strictEqual((yield* post(owner, `/v1/waitlist/${owners.id}/cancel`)).status, 200)
              assert.strictEqual((yield* post(member, `/v1/waitlist/${left.id}/cancel`)).status, 200)
              const mine = (query = "") =>
                Effect.map(call("GET", `/v1/waitlist/mine${query}`, as(member)), (answer) => {
                  assert.strictEqual(answer.status, 200, answer.text)
                  return body<{ items: ReadonlyArray<Entry>; nextCursor: string | null }>(answer)
                })
              // First in the waiting line: the owner's cancelled entry no longer counts.
              const own = yield* mine()
              assert.deepStrictEqual(
                own.items.map((entry) => [entry.id, entry.status, entry.rank]),
                [
                  [waiting.id, "WAITING", 1],
                  [left.id, "CANCELLED", 2]
                ]
              )
              const [inLine] = yield* line(owner, resourceId, "WAITING")
              assert.deepStrictEqual([inLine!.id, inLine!.rank], [waiting.id, 1])
              const cancelled = yield* line(owner, resourceId, "CANCELLED")
              assert.deepStrictEqual(
                cancelled.map((entry) => [entry.id, entry.rank]),
                [
                  [owners.id, 1],
                  [left.id, 2]
                ]
              )
              // Statuses named: ranked among them together, as the line's listing with them.
              const together = yield* mine("?status=WAITING,CANCELLED")
              assert.deepStrictEqual(
                together.items.map((entry) => [entry.id, entry.rank]),
                [
                  [waiting.id, 2],
                  [left.id, 3]
                ]
              )
              // A page at a time; a cursor of the rank alone (as issued before) is a 400.
              const first = yield* mine("?limit=1")
              assert.deepStrictEqual(
                first.items.map((entry) => entry.id),
                [waiting.id]
              )
              const second = yield* mine(`?limit=1&cursor=${first.nextCursor}`)
              assert.deepStrictEqual(
                second.items.map((entry) => entry.id),
                [left.id]
              )
              assert.strictEqual(second.nextCursor, null)
              const older = Buffer.from(JSON.stringify([1, resourceId])).toString("base64url")
              const refused = yield* call("GET", `/v1/waitlist/mine?limit=1&cursor=${older}`, as(member))
              assert.strictEqual(refused.status, 400, refused.text)
              assert.strictEqual(body<{ code: string }>(refused).code, "validation_failed")
            })
        )

        it.effect(
          "an expired offer (on a clock 11 minutes ahead) goes to the next entry; a decline too",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const first = yield* addMember(owner, "manager")
              const second = yield* addMember(owner, "technician")
              const third = yield* addMember(owner, "member")
              const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
              const taken = bookingOf(
                yield* book(owner, { startAt: at(0), endAt: at(1), items: [{ unitId: unitIds[0]! }] })
              )
              for (const person of [first, second, third]) {
                assert.strictEqual((yield* join(person, resourceId, at(0), at(1))).status, 201)
              }
              yield* post(owner, `/v1/bookings/${taken.id}/cancel`)
              const statusOf = (person: { readonly accountId: string }) =>
                Effect.map(
                  line(owner, resourceId, "WAITING,OFFERED,EXPIRED,DECLINED"),
                  (entries) => entries.find((e) => e.requesterId === person.accountId)!
                )
              assert.strictEqual((yield* statusOf(first)).status, "OFFERED")
              assert.strictEqual(yield* expireWithClockAhead(0), 0, "not yet expired")
              assert.isAtLeast(yield* expireWithClockAhead(11), 1)
              assert.strictEqual((yield* statusOf(first)).status, "EXPIRED")
              const next = yield* statusOf(second)
              assert.strictEqual(next.status, "OFFERED")
              const declined = yield* post(second, `/v1/waitlist/${next.id}/decline`)
              assert.strictEqual(body<Entry>(declined).status, "DECLINED")
              assert.strictEqual((yield* statusOf(third)).status, "OFFERED")
              // An admin may force the expiry; a member may not.
              const last = yield* statusOf(third)
              assert.strictEqual((yield* post(third, `/v1/waitlist/${last.id}/expire`)).status, 403)
              assert.strictEqual(
                body<Entry>(yield* post(owner, `/v1/waitlist/${last.id}/expire`)).status,
                "EXPIRED"
              )
              const again = yield* post(owner, `/v1/waitlist/${last.id}/expire`)
              assert.strictEqual(body<{ code: string }>(again).code, "invalid_transition")
            })
        )

        it.effect("staff offer another interval or refuse an entry", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const member = yield* addMember(owner, "member")
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
            yield* book(owner, { startAt: at(0), endAt: at(2), items: [{ unitId: unitIds[0]! }] })
            const waiting = body<Entry>(yield* join(member, resourceId, at(0), at(2)))
            const proposal = yield* call("POST", `/v1/waitlist/${waiting.id}/offer`, {
              ...as(owner),
              body: { startAt: at(3), endAt: at(5) }
            })
            assert.strictEqual(proposal.status, 200, proposal.text)
            const accepted = body<Entry>(yield* post(member, `/v1/waitlist/${waiting.id}/accept`))
            const booking = bookingOf(yield* call("GET", `/v1/bookings/${accepted.bookingId}`, as(member)))
            assert.deepStrictEqual(
              [booking.startAt, booking.endAt].map((t) => new Date(t).toISOString()),
              [at(3), at(5)]
            )
            const other = body<Entry>(yield* join(member, resourceId, at(0), at(1)))
            assert.strictEqual(
              body<Entry>(yield* post(owner, `/v1/waitlist/${other.id}/refuse`)).status,
              "REFUSED"
            )
            assert.strictEqual((yield* post(member, `/v1/waitlist/${other.id}/cancel`)).status, 409)
          })
        )

        it.effect("a unit or a resource back in service is offered to the line at once", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const member = yield* addMember(owner, "member")
            const patch = (path: string, version: number, status: string) =>
              call("PATCH", path, { ...as(owner, { "if-match": `"${version}"` }), body: { status } })
            const offeredAfter = (resourceId: string, back: () => ReturnType<typeof call>) =>
              Effect.gen(function* () {
                const waiting = yield* join(member, resourceId, at(0), at(2))
                assert.strictEqual(waiting.status, 201, waiting.text)
                assert.strictEqual((yield* back()).status, 200)
                const [entry] = yield* line(owner, resourceId, "WAITING,OFFERED")
                assert.strictEqual(entry?.id, body<Entry>(waiting).id)
                return entry!
              })

            const first = yield* resourceWithUnits(owner, 1)
            const unitId = first.unitIds[0]!
            assert.strictEqual((yield* patch(`/v1/units/${unitId}`, 1, "MAINTENANCE")).status, 200)
            const byUnit = yield* offeredAfter(first.resourceId, () =>
              patch(`/v1/units/${unitId}`, 2, "AVAILABLE")
            )
            assert.deepStrictEqual([byUnit.status, byUnit.offeredUnitId], ["OFFERED", unitId])

            const second = yield* resourceWithUnits(owner, 1)
            const resourcePath = `/v1/resources/${second.resourceId}`
            assert.strictEqual((yield* patch(resourcePath, 1, "MAINTENANCE")).status, 200)
            const byResource = yield* offeredAfter(second.resourceId, () =>
              patch(resourcePath, 2, "AVAILABLE")
            )
            assert.deepStrictEqual(
              [byResource.status, byResource.offeredUnitId],
              ["OFFERED", second.unitIds[0]]
            )
          })
        )

        it.effect(
          "20 concurrent cancellations and bookings around freed slots never give a slot to two",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const rival = yield* addMember(owner, "technician")
              const waiter = yield* addMember(owner, "manager")
              const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
              const unitId = unitIds[0]!
              const slots = Array.from({ length: 10 }, (_, index) => index * 2)
              const held = yield* Effect.forEach(slots, (slot) =>
                Effect.map(
                  book(owner, { startAt: at(slot), endAt: at(slot + 1), items: [{ unitId }] }),
                  bookingOf
                )
              )
              for (const slot of slots) yield* join(waiter, resourceId, at(slot), at(slot + 1))
              const requests = [
                ...held.map((booking) => post(owner, `/v1/bookings/${booking.id}/cancel`)),
                ...slots.map((slot) =>
                  book(rival, { startAt: at(slot), endAt: at(slot + 1), items: [{ unitId }] })
                )
              ]
              const answers = yield* Effect.all(requests, { concurrency: "unbounded" })
              assert.isTrue(
                answers.every((answer) => answer.status < 500),
                answers.map((a) => a.status).join(",")
              )
              const sql = yield* SqlClient.SqlClient
              const holders = yield* Effect.orDie(
                sql<{
                  slot_start: Date
                  holders: number
                }>`SELECT lower(during) AS slot_start, count(*)::int AS holders
              FROM allocations WHERE subject_id = ${unitId} AND active GROUP BY lower(during)`
              )
              // Each freed slot went to exactly one: the waiting entry (held) or the rival's booking.
              assert.strictEqual(holders.length, slots.length)
              assert.isTrue(holders.every((row) => row.holders === 1))
              const [pairs] = yield* Effect.orDie(
                sql<{ n: number }>`SELECT count(*)::int AS n FROM allocations a JOIN allocations b
              ON a.subject_id = b.subject_id AND a.id < b.id AND a.during && b.during WHERE a.active AND b.active`
              )
              assert.strictEqual(pairs?.n, 0)
            })
        )
      }
    )
  })
}
