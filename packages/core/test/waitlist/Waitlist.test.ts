import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Bookings from "../../src/bookings/Bookings.ts"
import type { ResourceId } from "../../src/inventory/Resource.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { account, join, org } from "../../src/testing/IdentityFixtures.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { fine } from "../../src/testing/WaitlistFixtures.ts"
import * as Offers from "../../src/waitlist/Offers.ts"
import * as Waitlist from "../../src/waitlist/Waitlist.ts"
import { as } from "../support/UseCases.ts"

// The waitlist use case on the memory adapters, wired as `Rota.layer` wires it: the ranking
// rules in milliseconds, no database.
const memory = Waitlist.layer.pipe(
  Layer.provideMerge(Bookings.layer),
  Layer.provideMerge(Offers.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

// A stored org whose members have the roles given, and a resource with no units (so a
// request for it always waits).
const setting = (roles: ReadonlyArray<Role>) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* org("Waitlist")
    const members: Array<Actor> = []
    for (const role of roles) {
      const person = yield* account({ name: role })
      yield* join(orgId, person.id, role)
      members.push(new Actor({ orgId, accountId: person.id, role }))
    }
    return { orgId, members, resourceId: (yield* resource(orgId, [])).id }
  })

// A request for a day, two days ahead.
const request = (resourceId: ResourceId) =>
  Effect.map(DateTime.now, (now) => ({
    resourceId,
    startAt: DateTime.add(now, { days: 2 }),
    endAt: DateTime.add(now, { days: 3 }),
    purpose: "Shoot"
  }))

layer(memory, { excludeTestServices: true })("Waitlist on memory storage", (it) => {
  it.effect(
    "the line is ranked by priority: an owner joining later goes ahead of a member, a fine sets one back",
    () =>
      Effect.gen(function* () {
        const waitlist = yield* Waitlist.Waitlist
        const { orgId, members, resourceId } = yield* setting(["member", "owner", "technician"])
        const [member, owner, technician] = members as [Actor, Actor, Actor]
        const first = yield* as(member, waitlist.join(yield* request(resourceId)))
        const second = yield* as(owner, waitlist.join(yield* request(resourceId)))
        const third = yield* as(technician, waitlist.join(yield* request(resourceId)))
        assert.deepStrictEqual(
          [first.priorityScore, second.priorityScore, third.priorityScore, first.status],
          [100, 300, 150, "WAITING"]
        )
        const line = yield* as(owner, waitlist.list({ resourceId }, { limit: 10 }))
        assert.deepStrictEqual(
          line.items.map((ranked) => [ranked.entry.id, ranked.rank]),
          [
            [second.id, 1],
            [third.id, 2],
            [first.id, 3]
          ]
        )
        // Three open fines: 150 - 3 x 25 = 75, below the member's 100.
        for (let n = 0; n < 3; n++) yield* fine(orgId, technician.accountId, "OPEN")
        const mine = yield* as(technician, waitlist.mine({ statuses: ["WAITING"] }, { limit: 10 }))
        assert.deepStrictEqual(
          mine.items.map((ranked) => [ranked.entry.id, ranked.rank, ranked.scoreParts.openFines]),
          [[third.id, 3, -75]]
        )
        const page = yield* as(owner, waitlist.list({ resourceId }, { limit: 2 }))
        const next = yield* as(owner, waitlist.list({ resourceId }, { limit: 2, cursor: page.nextCursor! }))
        assert.deepStrictEqual(
          [...page.items, ...next.items].map((ranked) => ranked.entry.id),
          [second.id, first.id, third.id]
        )
      })
  )

  it.effect("a cancelled entry leaves the line; cancelling twice is an invalid transition", () =>
    Effect.gen(function* () {
      const waitlist = yield* Waitlist.Waitlist
      const { members, resourceId } = yield* setting(["member", "manager"])
      const [member, manager] = members as [Actor, Actor]
      const entry = yield* as(member, waitlist.join(yield* request(resourceId)))
      const cancelled = yield* as(member, waitlist.cancel(entry.id, entry.version))
      assert.deepStrictEqual([cancelled.status, cancelled.version > entry.version], ["CANCELLED", true])
      const line = yield* as(manager, waitlist.list({ resourceId }, { limit: 10 }))
      assert.deepStrictEqual(line.items, [])
      const again = yield* Effect.flip(as(member, waitlist.cancel(entry.id, cancelled.version)))
      assert.strictEqual(again._tag, "InvalidTransition")
    })
  )

  it.effect("a request must lie ahead; another member's entry, or another org's, is not found", () =>
    Effect.gen(function* () {
      const waitlist = yield* Waitlist.Waitlist
      const { members, resourceId } = yield* setting(["member", "member"])
      const [member, other] = members as [Actor, Actor]
      const now = yield* DateTime.now
      const past = yield* Effect.flip(
        as(
          member,
          waitlist.join({ ...(yield* request(resourceId)), startAt: DateTime.subtract(now, { hours: 1 }) })
        )
      )
      assert.strictEqual(past._tag, "ValidationFailed")
      const entry = yield* as(member, waitlist.join(yield* request(resourceId)))
      assert.strictEqual((yield* Effect.flip(as(other, waitlist.get(entry.id))))._tag, "NotFound")
      const elsewhere = yield* setting(["owner"])
      const stranger = elsewhere.members[0]!
      assert.strictEqual((yield* Effect.flip(as(stranger, waitlist.get(entry.id))))._tag, "NotFound")
      assert.deepStrictEqual(
        (yield* as(member, waitlist.get(entry.id))).id,
        entry.id,
        "the requester sees it"
      )
    })
  )
})
