/**
 * The lists that filter by whose records they are (`requesterId`, `accountId`): a caller who may
 * see only their own records gets them with no filter or their own id, and 403 for another
 * account's id, never their own records under someone else's name; a caller who may see
 * everyone's gets the account asked for.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { at, book, resourceWithUnits } from "./fixtures/Bookings.ts"
import { createAvailability, createMission, at as crewAt, invite } from "./fixtures/Crews.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

type Person = { readonly token: string; readonly orgId: string; readonly accountId: string }
type Page = { readonly items: ReadonlyArray<{ readonly id: string }> }

const as = (person: Person) => ({ token: person.token, orgId: person.orgId })

/** The ids a list answers, failing the test on anything but 200. */
const idsOf = (person: Person, path: string) =>
  Effect.map(call("GET", path, as(person)), (answer) => {
    assert.strictEqual(answer.status, 200, `${path}: ${answer.text}`)
    return body<Page>(answer)
      .items.map((item) => item.id)
      .sort()
  })

/** The list filtered by another account answers 403 with the forbidden problem. */
const refused = (person: Person, path: string) =>
  Effect.map(call("GET", path, as(person)), (answer) => {
    assert.strictEqual(answer.status, 403, `${path}: ${answer.text}`)
    assert.strictEqual(body<{ code: string }>(answer).code, "forbidden")
  })

/**
 * One list's rule: `alice` and `bob` each own `records` (ids, sorted); `alice` may see only her
 * own, `manager` everyone's.
 */
const checkList = (
  path: string,
  filter: string,
  people: { readonly alice: Person; readonly bob: Person; readonly manager: Person },
  records: { readonly alice: ReadonlyArray<string>; readonly bob: ReadonlyArray<string> }
) =>
  Effect.gen(function* () {
    const { alice, bob, manager } = people
    const by = (person: Person) => `${path}?${filter}=${person.accountId}`
    yield* refused(alice, by(bob))
    assert.deepStrictEqual(yield* idsOf(alice, by(alice)), records.alice)
    assert.deepStrictEqual(yield* idsOf(alice, path), records.alice)
    assert.deepStrictEqual(yield* idsOf(manager, by(bob)), records.bob)
    assert.deepStrictEqual(yield* idsOf(manager, by(alice)), records.alice)
  })

const sorted = (ids: ReadonlyArray<string>) => [...ids].sort()

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "account filters",
      (it) => {
        it.effect("GET /v1/bookings?requesterId=: another requester is 403 to a member", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const alice = yield* addMember(owner, "member")
            const bob = yield* addMember(owner, "member")
            const manager = yield* addMember(owner, "manager")
            const { unitIds } = yield* resourceWithUnits(owner, 2)
            const bookingOf = (person: Person, unitId: string) =>
              Effect.map(book(person, { startAt: at(0), endAt: at(1), items: [{ unitId }] }), (answer) => {
                assert.strictEqual(answer.status, 201, answer.text)
                return body<{ id: string }>(answer).id
              })
            const aliceBooking = yield* bookingOf(alice, unitIds[0]!)
            const bobBooking = yield* bookingOf(bob, unitIds[1]!)
            yield* checkList(
              "/v1/bookings",
              "requesterId",
              { alice, bob, manager },
              {
                alice: [aliceBooking],
                bob: [bobBooking]
              }
            )
          })
        )

        it.effect("GET /v1/fines?accountId=: another account is 403 to a member", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const alice = yield* addMember(owner, "member")
            const bob = yield* addMember(owner, "member")
            const manager = yield* addMember(owner, "manager")
            const fine = (person: Person) =>
              Effect.map(
                call("POST", "/v1/fines", {
                  ...as(manager),
                  body: { accountId: person.accountId, amount: 300, reason: "Late return" }
                }),
                (answer) => {
                  assert.strictEqual(answer.status, 201, answer.text)
                  return body<{ id: string }>(answer).id
                }
              )
            const aliceFines = sorted([yield* fine(alice), yield* fine(alice)])
            const bobFine = yield* fine(bob)
            yield* checkList(
              "/v1/fines",
              "accountId",
              { alice, bob, manager },
              { alice: aliceFines, bob: [bobFine] }
            )
          })
        )

        it.effect("GET /v1/availability?accountId=: another account is 403 to a technician", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const alice = yield* addMember(owner, "technician")
            const bob = yield* addMember(owner, "technician")
            const manager = yield* addMember(owner, "manager")
            const window = (person: Person, start: number) =>
              Effect.map(
                createAvailability(person, {
                  kind: "UNAVAILABLE",
                  startAt: crewAt(start),
                  endAt: crewAt(start + 8)
                }),
                (record) => record.id
              )
            const aliceWindow = yield* window(alice, 0)
            const bobWindow = yield* window(bob, 24)
            yield* checkList(
              "/v1/availability",
              "accountId",
              { alice, bob, manager },
              { alice: [aliceWindow], bob: [bobWindow] }
            )
          })
        )

        it.effect("GET /v1/assignments?accountId=: another account is 403 to a technician", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const alice = yield* addMember(owner, "technician")
            const bob = yield* addMember(owner, "technician")
            const manager = yield* addMember(owner, "manager")
            const mission = yield* createMission(manager)
            const aliceAssignment = yield* invite(manager, mission.id, alice.accountId)
            const bobAssignment = yield* invite(manager, mission.id, bob.accountId)
            yield* checkList(
              "/v1/assignments",
              "accountId",
              { alice, bob, manager },
              { alice: [aliceAssignment.id], bob: [bobAssignment.id] }
            )
          })
        )
      }
    )
  })
}
