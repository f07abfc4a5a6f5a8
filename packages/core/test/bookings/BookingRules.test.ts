import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import * as Availability from "../../src/bookings/Availability.ts"
import { Booking, BookingId } from "../../src/bookings/Booking.ts"
import * as Rules from "../../src/bookings/BookingRules.ts"
import { FineId } from "../../src/bookings/Fine.ts"
import { defaultSettings } from "../../src/identity/Organization.ts"
import { Resource, ResourceId } from "../../src/inventory/Resource.ts"
import { ResourceUnit, UnitId } from "../../src/inventory/ResourceUnit.ts"
import { AccountId, OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import { Allocation, AllocationId } from "../../src/ledger/Ledger.ts"

const uuid = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, "0")}`
const orgId = OrgId.make(uuid(1))
const alice = AccountId.make(uuid(2))
const bob = AccountId.make(uuid(3))
const resourceId = ResourceId.make(uuid(4))
const unitA = UnitId.make(uuid(5))
const unitB = UnitId.make(uuid(6))
const hour = (h: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 1, h))
const actor = (accountId: AccountId, role: Actor["role"]) => new Actor({ accountId, orgId, role })

const pending = Rules.newBooking({
  id: BookingId.make(uuid(7)),
  actor: actor(alice, "member"),
  input: { startAt: hour(10), endAt: hour(12), purpose: "Survey", items: [{ unitId: unitA }] },
  items: [{ unitId: unitA, resourceId }],
  approved: false,
  at: hour(8)
})

const resource = (status: Resource["status"]) =>
  new Resource({
    id: resourceId,
    orgId,
    siteId: null,
    type: "drone",
    name: "Drone",
    description: null,
    serialNumber: null,
    status,
    tags: [],
    version: 1,
    createdAt: hour(0),
    deletedAt: null
  })

const unit = (id: UnitId, status: ResourceUnit["status"]) =>
  new ResourceUnit({
    id,
    orgId,
    resourceId,
    barcode: `B-${id.slice(-1)}`,
    condition: "GOOD",
    status,
    notes: null,
    version: 1,
    createdAt: hour(0),
    deletedAt: null
  })

const held = (unitId: UnitId, from: number, to: number) =>
  new Allocation({
    id: AllocationId.make(uuid(100 + from)),
    orgId,
    subject: { type: "unit", id: unitId },
    interval: { startAt: hour(from), endAt: hour(to) },
    source: Rules.sourceOf(uuid(200 + from)),
    active: true
  })

describe("booking rules", () => {
  it("an interval must end after it starts and start in the future", () => {
    const refused = (interval: { startAt: DateTime.Utc; endAt: DateTime.Utc }) =>
      Rules.intervalProblem(interval, hour(9))?.errors[0]?.path
    assert.deepStrictEqual(refused({ startAt: hour(12), endAt: hour(12) }), ["body", "endAt"])
    assert.deepStrictEqual(refused({ startAt: hour(9), endAt: hour(12) }), ["body", "startAt"])
    assert.isUndefined(refused({ startAt: hour(10), endAt: hour(12) }))
    assert.deepStrictEqual(Rules.windowProblem({ startAt: hour(3), endAt: hour(2) })?.errors[0]?.path, [
      "query",
      "to"
    ])
    assert.isUndefined(Rules.windowProblem({ startAt: hour(2), endAt: hour(3) }))
  })

  it("approvers' bookings are approved at once; members' and technicians' as the org says", () => {
    const settings = defaultSettings
    assert.isTrue(Rules.autoApproves(settings, "manager"))
    assert.isTrue(Rules.autoApproves(settings, "owner"))
    assert.isTrue(Rules.autoApproves(settings, "technician"))
    assert.isFalse(Rules.autoApproves(settings, "member"))
    const strict = { ...settings, autoApprove: { member: true, technician: false } }
    assert.isTrue(Rules.autoApproves(strict, "member"))
    assert.isFalse(Rules.autoApproves(strict, "technician"))
  })

  it("a member sees their own bookings only; managers see all", () => {
    assert.isTrue(Rules.canSee(pending, actor(alice, "member")))
    assert.isFalse(Rules.canSee(pending, actor(bob, "member")))
    assert.isTrue(Rules.canSee(pending, actor(bob, "manager")))
  })

  it("a new booking is PENDING, or APPROVED by its requester at once", () => {
    assert.strictEqual(pending.status, "PENDING")
    assert.isNull(pending.approvedBy)
    const approved = Rules.newBooking({
      id: BookingId.make(uuid(8)),
      actor: actor(bob, "manager"),
      input: { startAt: hour(10), endAt: hour(12), purpose: "Survey", items: [] },
      items: [],
      approved: true,
      at: hour(8)
    })
    assert.deepStrictEqual([approved.status, approved.approvedBy, approved.version], ["APPROVED", bob, 1])
    assert.isTrue(approved.approvedAt !== null && DateTime.Equivalence(approved.approvedAt, hour(8)))
  })

  it("items: a unit named twice is refused, and items are stored by unit id", () => {
    const a = { unitId: unitA, resourceId }
    const b = { unitId: unitB, resourceId }
    assert.isTrue(Rules.namesUnitTwice([a, b, a]))
    assert.isFalse(Rules.namesUnitTwice([a, b]))
    assert.deepStrictEqual(Rules.sortedItems([b, a]), [a, b])
    assert.deepStrictEqual(Rules.claimsFor("x", [a], { startAt: hour(1), endAt: hour(2) }), [
      {
        subject: { type: "unit", id: unitA },
        interval: { startAt: hour(1), endAt: hour(2) },
        source: { type: "booking", id: "x" }
      }
    ])
  })

  it("an edit moves the booking only when it changes a bound", () => {
    assert.isFalse(Rules.editedInterval(pending, { purpose: "Other" }).moved)
    assert.isFalse(Rules.editedInterval(pending, { startAt: hour(10) }).moved)
    const moved = Rules.editedInterval(pending, { endAt: hour(13) })
    assert.isTrue(moved.moved)
    assert.isTrue(DateTime.Equivalence(moved.interval.startAt, hour(10)))
  })

  it("a return past the grace period is late and fined per started hour", () => {
    const onTime = Rules.returnedAt(pending, DateTime.add(hour(12), { minutes: 15 }), defaultSettings)
    assert.strictEqual(onTime.lateMinutes, 0)
    const late = Rules.returnedAt(pending, DateTime.add(hour(12), { minutes: 61 }), defaultSettings)
    assert.strictEqual(late.lateMinutes, 61)
    const returned = new Booking({ ...pending, status: "RETURNED", lateMinutes: late.lateMinutes })
    const fine = Rules.lateFine(returned, defaultSettings, FineId.make(uuid(9)), hour(14))
    assert.deepStrictEqual(
      [fine?.amount, fine?.currency, fine?.accountId, fine?.bookingId, fine?.status],
      [200, "EUR", alice, pending.id, "OPEN"]
    )
    assert.isUndefined(
      Rules.lateFine(
        new Booking({ ...returned, lateMinutes: 0 }),
        defaultSettings,
        FineId.make(uuid(9)),
        hour(14)
      )
    )
  })

  it("free units are those no allocation holds", () => {
    const units = [unit(unitA, "AVAILABLE"), unit(unitB, "AVAILABLE")]
    assert.deepStrictEqual(
      Rules.freeOf(units, [held(unitA, 10, 11)]).map((u) => u.id),
      [unitB]
    )
  })

  it("availability: per unit, what holds it and when it is free; fully free bookable units", () => {
    const window = { startAt: hour(8), endAt: hour(18) }
    const answer = Availability.availabilityOf(
      resource("AVAILABLE"),
      [unit(unitA, "AVAILABLE"), unit(unitB, "MAINTENANCE")],
      [held(unitA, 10, 12)],
      window
    )
    assert.deepStrictEqual(answer.freeUnitIds, [])
    const [a, b] = answer.units
    assert.deepStrictEqual([a?.bookable, a?.busy.length, a?.free.length], [true, 1, 2])
    assert.deepStrictEqual([b?.bookable, b?.busy.length, b?.free.length], [false, 0, 0])
    const idle = Availability.availabilityOf(resource("AVAILABLE"), [unit(unitA, "AVAILABLE")], [], window)
    assert.deepStrictEqual(idle.freeUnitIds, [unitA])
    const disabled = Availability.availabilityOf(resource("DISABLED"), [unit(unitA, "AVAILABLE")], [], window)
    assert.deepStrictEqual(disabled.freeUnitIds, [])
  })
})
