import { assert, describe, layer } from "@effect/vitest"
import { Bookings, Ids, Offers } from "@rota/core"
import { Storage } from "@rota/storage-pg"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import {
  at,
  type BookingBody,
  book,
  bookingOf,
  bookRetryingBusy,
  idempotencyKey,
  overlappingPairs,
  resourceWithUnits
} from "./fixtures/Bookings.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createResource, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

const as = (org: Org, headers: Record<string, string> = {}) => ({
  token: org.token,
  orgId: org.orgId,
  headers
})

const post = (org: Org, path: string, headers: Record<string, string> = {}) =>
  call("POST", path, as(org, headers))

// Moves a booking (and its ledger time) `hours` into the past, as if time had passed.
const shiftIntoPast = (bookingId: string, hours: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const by = `${hours} hours`
    yield* Effect.orDie(
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`UPDATE bookings SET start_at = start_at - ${by}::interval, end_at = end_at - ${by}::interval
            WHERE id = ${bookingId}`
          yield* sql`UPDATE allocations SET during = tstzrange(lower(during) - ${by}::interval,
            upper(during) - ${by}::interval, '[)') WHERE source_type = 'booking' AND source_id = ${bookingId}`
        })
      )
    )
  })

// The overdue scan, as the scheduler runs it, over the test's database.
const runOverdueScan = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* Effect.flatMap(Effect.service(Bookings.Bookings), (bookings) => bookings.markOverdue).pipe(
    Effect.provide(
      Bookings.layer.pipe(
        Layer.provide(Offers.layer),
        Layer.provide(Storage.layer),
        Layer.provide(Ids.Ids.layer),
        Layer.provide(Layer.succeed(SqlClient.SqlClient, sql))
      )
    )
  )
})

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 180_000, excludeTestServices: true })(
      "bookings",
      (it) => {
        it.effect(
          "50 parallel bookings of one unit and slot, 20 times: one 201 and 49 409s each time",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const unitId = unitIds[0]!
              for (let round = 0; round < 20; round++) {
                const answers = yield* Effect.forEach(
                  Array.from({ length: 50 }),
                  () =>
                    bookRetryingBusy(owner, {
                      startAt: at(round * 2),
                      endAt: at(round * 2 + 1),
                      items: [{ unitId }]
                    }),
                  { concurrency: "unbounded" }
                )
                const created = answers.filter((answer) => answer.status === 201).length
                const conflicts = answers.filter(
                  (answer) => answer.status === 409 && body<{ code: string }>(answer).code === "conflict"
                ).length
                assert.deepStrictEqual([created, conflicts], [1, 49], `round ${round}`)
              }
              assert.strictEqual(yield* overlappingPairs, 0)
            }),
          // A thousand requests: a loaded machine needs more than the default 30 s.
          120_000
        )

        it.effect("back-to-back bookings succeed; end <= start and a past start are 400", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { unitIds } = yield* resourceWithUnits(owner, 1)
            const items = [{ unitId: unitIds[0]! }]
            assert.strictEqual((yield* book(owner, { startAt: at(0), endAt: at(1), items })).status, 201)
            assert.strictEqual((yield* book(owner, { startAt: at(1), endAt: at(2), items })).status, 201)
            const overlapping = yield* book(owner, { startAt: at(1.5), endAt: at(3), items })
            assert.strictEqual(overlapping.status, 409)
            const clash = body<{ conflicts: ReadonlyArray<{ subjectId: string; startAt: string }> }>(
              overlapping
            ).conflicts[0]
            assert.strictEqual(clash?.subjectId, unitIds[0])
            assert.strictEqual(new Date(clash!.startAt).toISOString(), at(1))
            assert.strictEqual((yield* book(owner, { startAt: at(5), endAt: at(5), items })).status, 400)
            assert.strictEqual((yield* book(owner, { startAt: at(6), endAt: at(5), items })).status, 400)
            const past = new Date(Date.now() - 3_600_000).toISOString()
            assert.strictEqual((yield* book(owner, { startAt: past, endAt: at(0), items })).status, 400)
            const noKey = yield* call("POST", "/v1/bookings", {
              ...as(owner),
              body: { purpose: "x", startAt: at(9), endAt: at(10), items }
            })
            assert.strictEqual(body<{ code: string }>(noKey).code, "idempotency_key_required")
          })
        )

        it.effect("a resource booking picks a free unit; with none free it is a 409 conflict", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 2)
            const items = [{ resourceId }]
            const first = bookingOf(yield* book(owner, { startAt: at(0), endAt: at(2), items }))
            const second = bookingOf(yield* book(owner, { startAt: at(1), endAt: at(3), items }))
            assert.deepStrictEqual(
              [first.items[0]!.unitId, second.items[0]!.unitId].sort(),
              [...unitIds].sort()
            )
            const third = yield* book(owner, { startAt: at(1), endAt: at(2), items })
            assert.strictEqual(third.status, 409)
            assert.strictEqual(body<{ conflicts: ReadonlyArray<unknown> }>(third).conflicts.length, 2)
            const later = yield* book(owner, { startAt: at(3), endAt: at(4), items })
            assert.strictEqual(later.status, 201)

            const availability = yield* call(
              "GET",
              `/v1/resources/${resourceId}/availability?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(4))}`,
              as(owner)
            )
            assert.strictEqual(availability.status, 200, availability.text)
            const report = body<{
              freeUnitIds: ReadonlyArray<string>
              units: ReadonlyArray<{
                unitId: string
                free: ReadonlyArray<{ startAt: string; endAt: string }>
              }>
            }>(availability)
            assert.deepStrictEqual(report.freeUnitIds, [])
            const ofFirst = report.units.find((unit) => unit.unitId === first.items[0]!.unitId)!
            // Taken for [0, 2): its first free time starts at 2, whoever got the later slot.
            assert.strictEqual(new Date(ofFirst.free[0]!.startAt).toISOString(), at(2))
          })
        )

        it.effect("a resource with more units than a page: the free one past the first 100 is found", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
            // 100 older units in maintenance, so the free one is the 101st in list order.
            const sql = yield* SqlClient.SqlClient
            yield* Effect.orDie(sql`
              INSERT INTO resource_units (org_id, id, resource_id, barcode, condition, status, created_at)
              SELECT ${owner.orgId}, gen_random_uuid(), ${resourceId}, 'OLD-' || n, 'GOOD', 'MAINTENANCE',
                now() - interval '1 day'
              FROM generate_series(1, 100) AS n`)
            const window = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(1))}`
            const report = body<{ freeUnitIds: ReadonlyArray<string>; units: ReadonlyArray<unknown> }>(
              yield* call("GET", `/v1/resources/${resourceId}/availability?${window}`, as(owner))
            )
            assert.deepStrictEqual([report.units.length, report.freeUnitIds], [101, unitIds])
            const waiting = yield* call("POST", "/v1/waitlist", {
              ...as(owner),
              body: { resourceId, startAt: at(0), endAt: at(1), purpose: "Survey" }
            })
            assert.strictEqual(body<{ code: string }>(waiting).code, "unit_available")
            const booked = bookingOf(
              yield* book(owner, { startAt: at(0), endAt: at(1), items: [{ resourceId }] })
            )
            assert.deepStrictEqual(
              booked.items.map((item) => item.unitId),
              unitIds
            )
          })
        )

        it.effect(
          "GET /v1/bookings?resourceId= lists a booking of two of the resource's units once, page by page; with unitId, that unit's",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const kit = yield* resourceWithUnits(owner, 2)
              const other = yield* resourceWithUnits(owner, 1)
              const [first, second] = kit.unitIds
              const made: Array<string> = []
              for (const [start, units] of [
                [0, [first, second]],
                [2, [first]],
                [4, other.unitIds],
                [6, [second, other.unitIds[0]]]
              ] as const) {
                const answer = yield* book(owner, {
                  startAt: at(start),
                  endAt: at(start + 1),
                  items: units.map((unitId) => ({ unitId }))
                })
                made.push(bookingOf(answer).id)
              }
              type Page = {
                readonly items: ReadonlyArray<{ id: string }>
                readonly nextCursor: string | null
              }
              const listed = (query: string, cursor: string | null) =>
                Effect.map(
                  call(
                    "GET",
                    `/v1/bookings?${query}&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`,
                    as(owner)
                  ),
                  (answer) => {
                    assert.strictEqual(answer.status, 200, answer.text)
                    return body<Page>(answer)
                  }
                )
              const pages = (query: string) =>
                Effect.gen(function* () {
                  const ids: Array<string> = []
                  let cursor: string | null = null
                  do {
                    const page: Page = yield* listed(query, cursor)
                    ids.push(...page.items.map((booking) => booking.id))
                    cursor = page.nextCursor
                  } while (cursor !== null)
                  return ids
                })
              const [both, firstOnly, elsewhere, across] = made
              assert.deepStrictEqual(yield* pages(`resourceId=${kit.resourceId}`), [both, firstOnly, across])
              assert.deepStrictEqual(yield* pages(`resourceId=${kit.resourceId}&sort=-startAt`), [
                across,
                firstOnly,
                both
              ])
              assert.deepStrictEqual(yield* pages(`resourceId=${other.resourceId}`), [elsewhere, across])
              assert.deepStrictEqual(yield* pages(`resourceId=${kit.resourceId}&unitId=${second}`), [
                both,
                across
              ])
              assert.deepStrictEqual(yield* pages(`resourceId=${other.resourceId}&unitId=${second}`), [
                across
              ])
            })
        )

        it.effect("deleted, disabled or maintenance units and resources are not bookable (409)", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const resource = yield* createResource(owner)
            const inMaintenance = yield* createUnit(owner, resource.id, { status: "MAINTENANCE" })
            const deleted = yield* createUnit(owner, resource.id)
            yield* call("DELETE", `/v1/units/${deleted.id}`, as(owner))
            const disabled = yield* createResource(owner, { status: "DISABLED" })
            const unitOfDisabled = yield* createUnit(owner, disabled.id)
            for (const items of [
              [{ unitId: inMaintenance.id }],
              [{ unitId: deleted.id }],
              [{ unitId: unitOfDisabled.id }],
              [{ resourceId: disabled.id }]
            ]) {
              const answer = yield* book(owner, { startAt: at(0), endAt: at(1), items })
              assert.strictEqual(body<{ code: string }>(answer).code, "not_bookable", JSON.stringify(items))
            }
            const stranger = yield* registerOwner()
            const foreign = yield* book(stranger, {
              startAt: at(0),
              endAt: at(1),
              items: [{ unitId: inMaintenance.id }]
            })
            assert.strictEqual(foreign.status, 404)
          })
        )

        it.effect(
          "the lifecycle: approve, check out, unit_not_returned, late return with a fine; every invalid step 409",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const member = yield* addMember(owner, "member")
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const items = [{ unitId: unitIds[0]! }]
              const first = bookingOf(yield* book(member, { startAt: at(0), endAt: at(1), items }))
              assert.strictEqual(first.status, "PENDING")
              const refused = yield* post(owner, `/v1/bookings/${first.id}/check-out`)
              assert.strictEqual(refused.status, 409)
              assert.deepStrictEqual([...body<{ allowed: ReadonlyArray<string> }>(refused).allowed].sort(), [
                "APPROVED",
                "CANCELLED",
                "REJECTED"
              ])
              assert.strictEqual((yield* post(member, `/v1/bookings/${first.id}/approve`)).status, 403)
              const approved = bookingOf(yield* post(owner, `/v1/bookings/${first.id}/approve`))
              assert.strictEqual(approved.status, "APPROVED")
              const second = bookingOf(yield* book(member, { startAt: at(1), endAt: at(2), items }))
              yield* post(owner, `/v1/bookings/${second.id}/approve`)
              assert.strictEqual(
                bookingOf(yield* post(owner, `/v1/bookings/${first.id}/check-out`)).status,
                "CHECKED_OUT"
              )
              const blocked = yield* post(owner, `/v1/bookings/${second.id}/check-out`)
              assert.strictEqual(body<{ code: string }>(blocked).code, "unit_not_returned")
              assert.strictEqual((yield* post(member, `/v1/bookings/${first.id}/cancel`)).status, 409)

              // Three hours later, past the end: the scan marks it overdue, the return is late.
              yield* shiftIntoPast(first.id, 27)
              assert.isAtLeast(yield* runOverdueScan, 1)
              // The next booking of the late unit hears of it.
              const sql = yield* SqlClient.SqlClient
              const notices = yield* Effect.orDie(
                sql<{ payload: { id: string; requesterId: string; lateBookingId: string } }>`SELECT payload
              FROM outbox_messages WHERE topic = 'booking.unit_not_returned'`
              )
              assert.isTrue(
                notices.some(
                  (row) =>
                    row.payload.id === second.id &&
                    row.payload.requesterId === member.accountId &&
                    row.payload.lateBookingId === first.id
                )
              )
              const overdue = bookingOf(yield* call("GET", `/v1/bookings/${first.id}`, as(member)))
              assert.strictEqual(overdue.status, "OVERDUE")
              const returned = bookingOf(yield* post(owner, `/v1/bookings/${first.id}/return`))
              assert.strictEqual(returned.status, "RETURNED")
              assert.isAtLeast(returned.lateMinutes, 120)
              for (const action of ["approve", "reject", "cancel", "check-out", "return"]) {
                const again = yield* post(owner, `/v1/bookings/${first.id}/${action}`)
                assert.strictEqual(body<{ code: string }>(again).code, "invalid_transition", action)
              }
              const fines = body<{ items: ReadonlyArray<{ id: string; amount: number; bookingId: string }> }>(
                yield* call("GET", "/v1/fines", as(member))
              ).items
              assert.strictEqual(fines.length, 1)
              assert.strictEqual(fines[0]!.bookingId, first.id)
              // 100 (the default rate) per started hour late.
              assert.strictEqual(fines[0]!.amount, Math.ceil(returned.lateMinutes / 60) * 100)
              assert.strictEqual(
                bookingOf(yield* post(owner, `/v1/bookings/${second.id}/check-out`)).status,
                "CHECKED_OUT"
              )

              const events = body<{ items: ReadonlyArray<{ action: string }> }>(
                yield* call("GET", `/v1/audit?entityId=${first.id}&limit=100`, as(owner))
              ).items.map((event) => event.action)
              assert.deepStrictEqual(events.reverse(), [
                "CREATE",
                "STATUS_CHANGE",
                "STATUS_CHANGE",
                "STATUS_CHANGE",
                "STATUS_CHANGE"
              ])
            })
        )

        it.effect("members see only their own bookings; PATCH re-checks the ledger", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const alice = yield* addMember(owner, "member")
            const bob = yield* addMember(owner, "technician")
            const { unitIds } = yield* resourceWithUnits(owner, 1)
            const items = [{ unitId: unitIds[0]! }]
            const hers = bookingOf(yield* book(alice, { startAt: at(0), endAt: at(1), items }))
            const his = bookingOf(yield* book(bob, { startAt: at(2), endAt: at(3), items }))
            assert.strictEqual(his.status, "APPROVED", "technicians are auto-approved by default")
            assert.strictEqual((yield* call("GET", `/v1/bookings/${his.id}`, as(alice))).status, 404)
            const listed = body<{ items: ReadonlyArray<BookingBody> }>(
              yield* call("GET", "/v1/bookings", as(alice))
            )
            assert.deepStrictEqual(
              listed.items.map((booking) => booking.id),
              [hers.id]
            )
            const all = body<{ items: ReadonlyArray<BookingBody> }>(
              yield* call("GET", "/v1/bookings", as(owner))
            )
            assert.strictEqual(all.items.length, 2)

            const noIfMatch = yield* call("PATCH", `/v1/bookings/${hers.id}`, {
              ...as(alice),
              body: { endAt: at(2.5) }
            })
            assert.strictEqual(noIfMatch.status, 428)
            const onto = yield* call("PATCH", `/v1/bookings/${hers.id}`, {
              ...as(alice, { "if-match": `"${hers.version}"` }),
              body: { endAt: at(2.5) }
            })
            assert.strictEqual(onto.status, 409)
            const moved = yield* call("PATCH", `/v1/bookings/${hers.id}`, {
              ...as(alice, { "if-match": `"${hers.version}"` }),
              body: { startAt: at(1), endAt: at(2) }
            })
            assert.strictEqual(moved.status, 200, moved.text)
            // The old slot is free again.
            assert.strictEqual((yield* book(owner, { startAt: at(0), endAt: at(1), items })).status, 201)
            const foreignEdit = yield* call("PATCH", `/v1/bookings/${his.id}`, {
              ...as(alice, { "if-match": `"${his.version}"` }),
              body: { purpose: "Mine now" }
            })
            assert.strictEqual(foreignEdit.status, 404)
            assert.strictEqual(yield* overlappingPairs, 0)
          })
        )

        it.effect("the org's auto-approve policy decides a member's first status", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const member = yield* addMember(owner, "member")
            const { unitIds } = yield* resourceWithUnits(owner, 1)
            const items = [{ unitId: unitIds[0]! }]
            const org = yield* call("GET", "/v1/org", as(owner))
            const settings = body<{ settings: Record<string, unknown>; version: number }>(org)
            const patched = yield* call("PATCH", "/v1/org", {
              ...as(owner, { "if-match": `"${settings.version}"` }),
              body: { settings: { ...settings.settings, autoApprove: { member: true, technician: true } } }
            })
            assert.strictEqual(patched.status, 200, patched.text)
            assert.strictEqual(
              bookingOf(yield* book(member, { startAt: at(0), endAt: at(1), items })).status,
              "APPROVED"
            )
          })
        )

        it.effect(
          "fines: payments need a key, reach PAID, refuse overpayment; waive; members see their own",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const member = yield* addMember(owner, "member")
              const other = yield* addMember(owner, "member")
              const created = yield* call("POST", "/v1/fines", {
                ...as(owner),
                body: { accountId: member.accountId, amount: 500, reason: "Lost cable" }
              })
              assert.strictEqual(created.status, 201, created.text)
              const fine = body<{ id: string; currency: string }>(created)
              assert.strictEqual(fine.currency, "EUR")
              assert.strictEqual((yield* call("GET", `/v1/fines/${fine.id}`, as(other))).status, 404)
              const pay = (amount: number, key = idempotencyKey()) =>
                call("POST", `/v1/fines/${fine.id}/payments`, {
                  ...as(member, { "idempotency-key": key }),
                  body: { amount }
                })
              const noKey = yield* call("POST", `/v1/fines/${fine.id}/payments`, {
                ...as(member),
                body: { amount: 1 }
              })
              assert.strictEqual(noKey.status, 400)
              const key = idempotencyKey()
              const partial = yield* pay(200, key)
              assert.strictEqual(body<{ paid: number; status: string }>(partial).paid, 200)
              const replay = yield* pay(200, key)
              assert.strictEqual(replay.headers.get("idempotency-replayed"), "true")
              assert.strictEqual(body<{ paid: number }>(replay).paid, 200)
              assert.strictEqual((yield* pay(400)).status, 400)
              const full = body<{ paid: number; status: string }>(yield* pay(300))
              assert.deepStrictEqual([full.paid, full.status], [500, "PAID"])
              assert.strictEqual(body<{ code: string }>(yield* pay(1)).code, "invalid_transition")

              const second = body<{ id: string }>(
                yield* call("POST", "/v1/fines", {
                  ...as(owner),
                  body: { accountId: member.accountId, amount: 100, reason: "Late" }
                })
              )
              assert.strictEqual((yield* post(member, `/v1/fines/${second.id}/waive`)).status, 403)
              const waived = yield* post(owner, `/v1/fines/${second.id}/waive`)
              assert.strictEqual(body<{ status: string }>(waived).status, "WAIVED")
              const notMember = yield* call("POST", "/v1/fines", {
                ...as(owner),
                body: { accountId: "018f0000-0000-7000-8000-0000000fffff", amount: 100, reason: "?" }
              })
              assert.strictEqual(notMember.status, 400)
            })
        )

        it.effect("GET /v1/conflicts lists what holds a unit's time", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { unitIds } = yield* resourceWithUnits(owner, 1)
            const booking = bookingOf(
              yield* book(owner, { startAt: at(0), endAt: at(1), items: [{ unitId: unitIds[0]! }] })
            )
            const answer = yield* call(
              "GET",
              `/v1/conflicts?unitId=${unitIds[0]}&from=${encodeURIComponent(at(-1))}&to=${encodeURIComponent(at(5))}`,
              as(owner)
            )
            assert.strictEqual(answer.status, 200, answer.text)
            const items = body<{ items: ReadonlyArray<{ sourceType: string; sourceId: string }> }>(
              answer
            ).items
            assert.deepStrictEqual(
              items.map((item) => [item.sourceType, item.sourceId]),
              [["booking", booking.id]]
            )
            assert.strictEqual((yield* call("GET", "/v1/conflicts", as(owner))).status, 400)
          })
        )

        it.effect("GET /v1/conflicts takes the contract's accountId, and personId as its old name", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const created = yield* call("POST", "/v1/interventions", {
              ...as(owner),
              body: {
                title: "Service the lift",
                assigneeIds: [tech.accountId],
                scheduledStart: at(1),
                scheduledEnd: at(2)
              }
            })
            assert.strictEqual(created.status, 201, created.text)
            const interventionId = body<{ id: string }>(created).id
            const window = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(5))}`
            const sources = (query: string) =>
              Effect.map(call("GET", `/v1/conflicts?${query}&${window}`, as(owner)), (answer) => {
                assert.strictEqual(answer.status, 200, answer.text)
                return body<{ items: ReadonlyArray<{ sourceType: string; sourceId: string }> }>(
                  answer
                ).items.map((item) => [item.sourceType, item.sourceId])
              })
            const expected = [["intervention", interventionId]]
            assert.deepStrictEqual(yield* sources(`accountId=${tech.accountId}`), expected)
            assert.deepStrictEqual(yield* sources(`personId=${tech.accountId}`), expected)
            assert.deepStrictEqual(
              yield* sources(`accountId=${tech.accountId}&personId=${tech.accountId}`),
              expected
            )
            // Two different people under the two names is not one subject.
            const both = yield* call(
              "GET",
              `/v1/conflicts?accountId=${tech.accountId}&personId=${owner.accountId}&${window}`,
              as(owner)
            )
            assert.strictEqual(both.status, 400, both.text)
          })
        )
      }
    )
  })
}
