import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Bookings from "../../src/bookings/Bookings.ts"
import type { ResourceId } from "../../src/inventory/Resource.ts"
import type { UnitId } from "../../src/inventory/ResourceUnit.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { FreedTime } from "../../src/ledger/FreedTime.ts"
import { account, join, org } from "../../src/testing/IdentityFixtures.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import * as Offers from "../../src/waitlist/Offers.ts"
import * as Waitlist from "../../src/waitlist/Waitlist.ts"
import { WaitlistRepo } from "../../src/waitlist/WaitlistRepo.ts"
import { as, auditOf, stranger, topicsOf, unit } from "../support/UseCases.ts"

// The offering engine on the memory adapters, as the ledger's `FreedTime` port: time a booking
// frees goes to the best waiting entry that fits, in the transaction that freed it.
const memory = Waitlist.layer.pipe(
  Layer.provideMerge(Bookings.layer),
  Layer.provideMerge(Offers.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

/** A stored org whose stored members have the roles given, and a resource with one unit. */
const lendingDesk = (roles: ReadonlyArray<Role>) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* org("Lending desk")
    const people: Array<Actor> = []
    for (const role of roles) {
      const person = yield* account({ name: role })
      yield* join(orgId, person.id, role)
      people.push(new Actor({ orgId, accountId: person.id, role }))
    }
    const camera = yield* resource(orgId, [])
    return { people, resourceId: camera.id, unitId: (yield* unit(orgId, camera.id)).id }
  })

/** Days `from` to `to` from now. */
const days = (from: number, to: number) =>
  Effect.map(DateTime.now, (now) => ({
    startAt: DateTime.add(now, { days: from }),
    endAt: DateTime.add(now, { days: to })
  }))

const booking = (unitId: UnitId, from: number, to: number) =>
  Effect.map(days(from, to), (interval) => ({ ...interval, purpose: "Shoot", items: [{ unitId }] }))

const entry = (resourceId: ResourceId, from: number, to: number) =>
  Effect.map(days(from, to), (interval) => ({ ...interval, resourceId, purpose: "Shoot" }))

layer(memory, { excludeTestServices: true })("Offers on memory storage: offering freed time", (it) => {
  it.effect(
    "a cancelled booking's unit is offered to the best waiting entry and held for it, in the cancelling transaction",
    () =>
      Effect.gen(function* () {
        const waitlist = yield* Waitlist.Waitlist
        const bookings = yield* Bookings.Bookings
        const { people, resourceId, unitId } = yield* lendingDesk(["member", "member", "owner"])
        const [booker, member, owner] = people as [Actor, Actor, Actor]
        const booked = yield* as(booker, bookings.create(yield* booking(unitId, 2, 3)))
        const waiting = yield* as(member, waitlist.join(yield* entry(resourceId, 2, 3)))
        const first = yield* as(owner, waitlist.join(yield* entry(resourceId, 2, 3)))
        const before = yield* DateTime.now
        yield* as(booker, bookings.cancel(booked.id, booked.version))
        const offered = yield* as(owner, waitlist.get(first.id))
        assert.deepStrictEqual([offered.status, offered.offeredUnitId], ["OFFERED", unitId])
        const ttl = DateTime.toEpochMillis(offered.offerExpiresAt!) - DateTime.toEpochMillis(before)
        assert.isTrue(ttl >= 10 * 60_000 && ttl < 11 * 60_000, "held for the org's ten minutes")
        assert.strictEqual((yield* as(member, waitlist.get(waiting.id))).status, "WAITING")
        // The hold keeps the unit: nobody else can book it meanwhile.
        const taken = yield* Effect.flip(as(booker, bookings.create(yield* booking(unitId, 2, 3))))
        assert.strictEqual(taken._tag, "Conflict")
        const offerEvent = (yield* auditOf(owner.orgId)).find(
          (event) => event.entityId === first.id && event.action === "STATUS_CHANGE"
        )
        assert.strictEqual(offerEvent?.actorId, null, "the system made the offer, not the canceller")
        // Both in the cancelling transaction; their order within it is no rule.
        assert.deepStrictEqual([...(yield* topicsOf(owner.orgId)).slice(-2)].sort(), [
          "booking.cancelled",
          "waitlist.offered"
        ])
      })
  )

  it.effect("a declined offer passes the unit to the next in line, who accepts it as a booking", () =>
    Effect.gen(function* () {
      const waitlist = yield* Waitlist.Waitlist
      const bookings = yield* Bookings.Bookings
      const { people, resourceId, unitId } = yield* lendingDesk(["member", "member", "owner"])
      const [booker, member, owner] = people as [Actor, Actor, Actor]
      const booked = yield* as(booker, bookings.create(yield* booking(unitId, 2, 3)))
      const second = yield* as(member, waitlist.join(yield* entry(resourceId, 2, 3)))
      const first = yield* as(owner, waitlist.join(yield* entry(resourceId, 2, 3)))
      yield* as(booker, bookings.cancel(booked.id, booked.version))
      const offered = yield* as(owner, waitlist.get(first.id))
      const declined = yield* as(owner, waitlist.decline(first.id, offered.version))
      assert.strictEqual(declined.status, "DECLINED")
      const passed = yield* as(member, waitlist.get(second.id))
      assert.deepStrictEqual([passed.status, passed.offeredUnitId], ["OFFERED", unitId])
      const accepted = yield* as(member, waitlist.accept(second.id, passed.version))
      const made = yield* as(member, bookings.get(accepted.bookingId!))
      assert.deepStrictEqual(
        [accepted.status, made.requesterId, made.items.map((item) => item.unitId)],
        ["ACCEPTED", member.accountId, [unitId]]
      )
    })
  )
})

layer(memory, { excludeTestServices: true })("Offers on memory storage: passing over and expiring", (it) => {
  it.effect("an entry the freed unit is not free for is passed over for the next that fits", () =>
    Effect.gen(function* () {
      const waitlist = yield* Waitlist.Waitlist
      const bookings = yield* Bookings.Bookings
      const { people, resourceId, unitId } = yield* lendingDesk(["member", "member", "member", "owner"])
      const [booker, later, member, owner] = people as [Actor, Actor, Actor, Actor]
      const soon = yield* as(booker, bookings.create(yield* booking(unitId, 2, 3)))
      yield* as(later, bookings.create(yield* booking(unitId, 5, 6)))
      const blocked = yield* as(owner, waitlist.join(yield* entry(resourceId, 5, 6)))
      const fits = yield* as(member, waitlist.join(yield* entry(resourceId, 2, 3)))
      yield* as(booker, bookings.cancel(soon.id, soon.version))
      assert.deepStrictEqual(
        [
          (yield* as(owner, waitlist.get(blocked.id))).status,
          (yield* as(member, waitlist.get(fits.id))).status
        ],
        ["WAITING", "OFFERED"]
      )
    })
  )

  it.effect("an offer past its time expires and the unit goes to the next in line", () =>
    Effect.gen(function* () {
      const waitlist = yield* Waitlist.Waitlist
      const bookings = yield* Bookings.Bookings
      const offers = yield* Offers.Offers
      const { people, resourceId, unitId } = yield* lendingDesk(["member", "member", "owner"])
      const [booker, member, owner] = people as [Actor, Actor, Actor]
      const booked = yield* as(booker, bookings.create(yield* booking(unitId, 2, 3)))
      const second = yield* as(member, waitlist.join(yield* entry(resourceId, 2, 3)))
      const first = yield* as(owner, waitlist.join(yield* entry(resourceId, 2, 3)))
      yield* as(booker, bookings.cancel(booked.id, booked.version))
      // Ten minutes pass.
      const past = DateTime.subtract(yield* DateTime.now, { minutes: 1 })
      yield* (yield* WaitlistRepo).update(owner.orgId, first.id, { offerExpiresAt: past })
      assert.strictEqual(yield* offers.expireDue, 1)
      assert.strictEqual((yield* as(owner, waitlist.get(first.id))).status, "EXPIRED")
      assert.strictEqual((yield* as(member, waitlist.get(second.id))).status, "OFFERED")
      assert.strictEqual(yield* offers.expireDue, 0, "the new offer has its own ten minutes")
    })
  )

  it.effect(
    "a unit that cannot be booked, or freed in another org's name, is offered to nobody; a person's time has no waitlist",
    () =>
      Effect.gen(function* () {
        const waitlist = yield* Waitlist.Waitlist
        const offers = yield* Offers.Offers
        const freedTime = yield* FreedTime
        const bookings = yield* Bookings.Bookings
        const { people, resourceId, unitId } = yield* lendingDesk(["member"])
        const [member] = people as [Actor]
        const resting = yield* unit(member.orgId, resourceId, "MAINTENANCE")
        yield* as(member, bookings.create(yield* booking(unitId, 2, 3)))
        const waiting = yield* as(member, waitlist.join(yield* entry(resourceId, 2, 3)))
        assert.strictEqual(yield* offers.offerFreed(member.orgId, [resting.id]), 0)
        assert.strictEqual(
          yield* freedTime.freed(member.orgId, [{ type: "person", id: member.accountId }]),
          0
        )
        // A spare unit of this org, freed in another org's name, is not that org's to offer.
        const spare = yield* unit(member.orgId, resourceId)
        assert.strictEqual(yield* offers.offerFreed((yield* stranger).orgId, [spare.id]), 0)
        assert.strictEqual((yield* as(member, waitlist.get(waiting.id))).status, "WAITING")
        assert.strictEqual(yield* offers.offerFreed(member.orgId, [spare.id]), 1)
        assert.strictEqual((yield* as(member, waitlist.get(waiting.id))).status, "OFFERED")
      })
  )
})
