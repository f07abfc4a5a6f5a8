import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { at, book, bookingOf, idempotencyKey, resourceWithUnits } from "./fixtures/Bookings.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createResource, createSite, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

interface BlackoutBody {
  readonly id: string
  readonly version: number
  readonly scope: string
  readonly unitIds: ReadonlyArray<string>
  readonly startAt: string
  readonly endAt: string
}
interface ConflictBody {
  readonly code: string
  readonly conflicts: ReadonlyArray<{
    readonly subjectId: string
    readonly startAt: string
    readonly endAt: string
  }>
}

const expectStatus = (answer: Answer, status: number) =>
  assert.strictEqual(answer.status, status, answer.text)

const close = (org: Org, payload: { scope: string; scopeId: string; startAt: string; endAt: string }) =>
  call("POST", "/v1/blackouts", {
    token: org.token,
    orgId: org.orgId,
    headers: { "idempotency-key": idempotencyKey() },
    body: { reason: "Annual inspection", ...payload }
  })

const iso = (text: string) => new Date(text).toISOString()

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 180_000, excludeTestServices: true })(
      "blackouts",
      (it) => {
        it.effect("a resource blackout closes every unit: bookings over it are 409 naming its interval", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 2)
            const created = yield* close(owner, {
              scope: "resource",
              scopeId: resourceId,
              startAt: at(10),
              endAt: at(20)
            })
            expectStatus(created, 201)
            const blackout = body<BlackoutBody>(created)
            assert.deepStrictEqual([...blackout.unitIds].sort(), [...unitIds].sort())
            for (const unitId of unitIds) {
              const refused = yield* book(owner, { startAt: at(15), endAt: at(16), items: [{ unitId }] })
              expectStatus(refused, 409)
              const clash = body<ConflictBody>(refused).conflicts[0]!
              assert.deepStrictEqual(
                [clash.subjectId, iso(clash.startAt), iso(clash.endAt)],
                [unitId, at(10), at(20)]
              )
            }
            // By resource, no unit is free either; right after it, both are.
            expectStatus(yield* book(owner, { startAt: at(12), endAt: at(13), items: [{ resourceId }] }), 409)
            expectStatus(
              yield* book(owner, { startAt: at(20), endAt: at(21), items: [{ unitId: unitIds[0]! }] }),
              201
            )
            // Availability and the planning view see it.
            const availability = yield* call(
              "GET",
              `/v1/resources/${resourceId}/availability?from=${encodeURIComponent(at(9))}&to=${encodeURIComponent(at(22))}`,
              owner
            )
            expectStatus(availability, 200)
            assert.deepStrictEqual(body<{ freeUnitIds: ReadonlyArray<string> }>(availability).freeUnitIds, [])
            const planning = yield* call(
              "GET",
              `/v1/schedule?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(48))}`,
              owner
            )
            expectStatus(planning, 200)
            const rows = body<{
              units: ReadonlyArray<{ unitId: string; entries: ReadonlyArray<{ type: string; id: string }> }>
            }>(planning).units
            for (const unitId of unitIds) {
              const entries = rows.find((row) => row.unitId === unitId)?.entries ?? []
              assert.isTrue(
                entries.some((entry) => entry.type === "blackout" && entry.id === blackout.id),
                unitId
              )
            }
          })
        )

        it.effect(
          "a blackout over existing bookings is refused with the list; deleting one reopens the time",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const unitId = unitIds[0]!
              const booking = bookingOf(
                yield* book(owner, { startAt: at(2), endAt: at(3), items: [{ unitId }] })
              )
              const refused = yield* close(owner, {
                scope: "unit",
                scopeId: unitId,
                startAt: at(0),
                endAt: at(24)
              })
              expectStatus(refused, 409)
              const clash = body<ConflictBody>(refused).conflicts[0]!
              assert.deepStrictEqual([iso(clash.startAt), iso(clash.endAt)], [booking.startAt, booking.endAt])
              const none = yield* call("GET", `/v1/blackouts?scopeId=${unitId}`, owner)
              assert.strictEqual(body<{ items: ReadonlyArray<unknown> }>(none).items.length, 0)
              // After the booking, it is accepted; deleting it frees the time again.
              const created = body<BlackoutBody>(
                yield* close(owner, { scope: "unit", scopeId: unitId, startAt: at(3), endAt: at(24) })
              )
              expectStatus(yield* book(owner, { startAt: at(4), endAt: at(5), items: [{ unitId }] }), 409)
              expectStatus(
                yield* call("DELETE", `/v1/blackouts/${created.id}`, {
                  ...owner,
                  headers: { "if-match": '"7"' }
                }),
                412
              )
              expectStatus(
                yield* call("DELETE", `/v1/blackouts/${created.id}`, {
                  ...owner,
                  headers: { "if-match": `"${created.version}"` }
                }),
                204
              )
              expectStatus(yield* call("GET", `/v1/blackouts/${created.id}`, owner), 404)
              expectStatus(yield* book(owner, { startAt: at(4), endAt: at(5), items: [{ unitId }] }), 201)
            })
        )

        it.effect(
          "a site blackout holds the units of the site's resources; members read, only managers write",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const site = yield* createSite(owner)
              const here = yield* createResource(owner, { siteId: site.id })
              const unitHere = yield* createUnit(owner, here.id)
              const elsewhere = yield* createResource(owner)
              const unitElsewhere = yield* createUnit(owner, elsewhere.id)
              const member = yield* addMember(owner, "member")
              const manager = yield* addMember(owner, "manager")
              expectStatus(
                yield* close(member, { scope: "site", scopeId: site.id, startAt: at(0), endAt: at(8) }),
                403
              )
              const created = yield* close(manager, {
                scope: "site",
                scopeId: site.id,
                startAt: at(0),
                endAt: at(8)
              })
              expectStatus(created, 201)
              assert.deepStrictEqual(body<BlackoutBody>(created).unitIds, [unitHere.id])
              expectStatus(
                yield* book(member, { startAt: at(1), endAt: at(2), items: [{ unitId: unitHere.id }] }),
                409
              )
              expectStatus(
                yield* book(member, { startAt: at(1), endAt: at(2), items: [{ unitId: unitElsewhere.id }] }),
                201
              )
              const listed = yield* call(
                "GET",
                `/v1/blackouts?unitId=${unitHere.id}&from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(1))}`,
                member
              )
              expectStatus(listed, 200)
              assert.deepStrictEqual(
                body<{ items: ReadonlyArray<{ id: string }> }>(listed).items.map((item) => item.id),
                [body<BlackoutBody>(created).id]
              )
              expectStatus(
                yield* call("DELETE", `/v1/blackouts/${body<BlackoutBody>(created).id}`, member),
                403
              )
              // Another org neither sees nor removes it; its own unknown scope is 404.
              const stranger = yield* registerOwner("stranger")
              expectStatus(
                yield* call("GET", `/v1/blackouts/${body<BlackoutBody>(created).id}`, stranger),
                404
              )
              expectStatus(
                yield* call("DELETE", `/v1/blackouts/${body<BlackoutBody>(created).id}`, stranger),
                404
              )
              expectStatus(
                yield* close(stranger, { scope: "site", scopeId: site.id, startAt: at(0), endAt: at(8) }),
                404
              )
              expectStatus(
                yield* close(owner, { scope: "site", scopeId: site.id, startAt: at(8), endAt: at(8) }),
                400
              )
            })
        )

        it.effect("a booking series over a blackout reports those occurrences as conflicts", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { unitIds } = yield* resourceWithUnits(owner, 1)
            const unitId = unitIds[0]!
            const day = 24 * 3_600_000
            const start = Math.ceil((Date.now() + 2 * day) / day) * day + 9 * 3_600_000
            const instant = (days: number, hours = 0) =>
              new Date(start + days * day + hours * 3_600_000).toISOString()
            expectStatus(
              yield* close(owner, {
                scope: "unit",
                scopeId: unitId,
                startAt: instant(1, -1),
                endAt: instant(2, 2)
              }),
              201
            )
            const answer = yield* call("POST", "/v1/booking-series", {
              token: owner.token,
              orgId: owner.orgId,
              headers: { "idempotency-key": idempotencyKey() },
              body: {
                purpose: "Daily stand-up room",
                startAt: instant(0),
                endAt: instant(0, 1),
                items: [{ unitId }],
                rule: "FREQ=DAILY;COUNT=4"
              }
            })
            expectStatus(answer, 201)
            assert.deepStrictEqual(
              body<{ occurrences: ReadonlyArray<{ outcome: string }> }>(answer).occurrences.map(
                (o) => o.outcome
              ),
              ["created", "conflict", "conflict", "created"]
            )
          })
        )
      }
    )
  })
}
