import { assert, it } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Availabilities from "../../src/crews/Availabilities.ts"
import type { AvailabilityKind } from "../../src/crews/Availability.ts"
import { AccountId, Ids, nextId, OrgId, Uuid } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import { Ledger } from "../../src/ledger/Ledger.ts"
import { at, crew } from "../../src/testing/CrewFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as, auditedOf, newTopicsOf } from "../support/UseCases.ts"

// The availability use case on the memory adapters: its rules on the ledger in milliseconds.
const memory = Availabilities.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

const span = (kind: AvailabilityKind, start: number, end: number) => ({
  kind,
  startAt: at(start),
  endAt: at(end)
})

// An org with a manager and two technicians, Ann and Bob.
const team = Effect.gen(function* () {
  const { orgId, people } = yield* crew(2)
  const manager = new Actor({ orgId, accountId: yield* nextId(AccountId), role: "manager" })
  const [ann, bob] = people.map((accountId) => new Actor({ orgId, accountId, role: "technician" })) as [
    Actor,
    Actor
  ]
  return { orgId, manager, ann, bob }
})

const hourOf = (instant: DateTime.Utc) =>
  (DateTime.toEpochMillis(instant) - DateTime.toEpochMillis(at(0))) / 3_600_000

// The hours of the person's time held on the ledger, with what holds them.
const held = (person: Actor) =>
  Effect.gen(function* () {
    const ledger = yield* Ledger
    const claims = yield* ledger.activeFor(person.orgId, [{ type: "person", id: person.accountId }], {
      startAt: at(-100),
      endAt: at(100)
    })
    return claims.map((claim) => [
      claim.source.type,
      hourOf(claim.interval.startAt),
      hourOf(claim.interval.endAt)
    ])
  })

// Each test on a fresh memory database, at the live clock.
const test = <A, E>(name: string, body: () => Effect.Effect<A, E, Layer.Success<typeof memory>>) =>
  it.live(name, () => Effect.provide(body(), memory))

test("a window waits for a manager, and approved leave holds its person's time; it is decided once", () =>
  Effect.gen(function* () {
    const windows = yield* Availabilities.Availabilities
    const { orgId, manager, ann } = yield* team
    const leave = yield* as(ann, windows.submit(span("UNAVAILABLE", 10, 14)))
    assert.deepStrictEqual([leave.status, leave.accountId, leave.version], ["PENDING", ann.accountId, 1])
    assert.deepStrictEqual(yield* held(ann), [], "pending leave holds nothing")
    const own = yield* Effect.flip(as(ann, windows.decide(leave.id, 1, "APPROVED")))
    assert.strictEqual(own._tag, "Forbidden")
    const approved = yield* as(manager, windows.decide(leave.id, 1, "APPROVED"))
    assert.deepStrictEqual([approved.status, approved.version], ["APPROVED", 2])
    assert.deepStrictEqual(yield* held(ann), [["leave", 10, 14]])
    const again = yield* Effect.flip(as(manager, windows.decide(leave.id, 2, "REJECTED")))
    assert.strictEqual(again._tag, "InvalidTransition")
    assert.deepStrictEqual(yield* auditedOf(orgId), ["availability.CREATE", "availability.STATUS_CHANGE"])
    assert.deepStrictEqual(yield* newTopicsOf(orgId), ["availability.created", "availability.status_changed"])
  }))

test("approving leave over work already scheduled is a Conflict naming that work; availability claims nothing", () =>
  Effect.gen(function* () {
    const windows = yield* Availabilities.Availabilities
    const ledger = yield* Ledger
    const { manager, ann } = yield* team
    const work = { type: "intervention" as const, id: yield* nextId(Uuid) }
    yield* ledger.claim(ann.orgId, [
      {
        subject: { type: "person", id: ann.accountId },
        interval: { startAt: at(12), endAt: at(16) },
        source: work
      }
    ])
    const leave = yield* as(ann, windows.submit(span("UNAVAILABLE", 10, 14)))
    const refused = yield* Effect.flip(as(manager, windows.decide(leave.id, 1, "APPROVED")))
    assert.strictEqual(refused._tag, "Conflict")
    assert.deepStrictEqual(
      refused._tag === "Conflict" ? refused.conflicts.map((clash) => hourOf(clash.startAt)) : [],
      [12]
    )
    assert.strictEqual((yield* as(ann, windows.get(leave.id))).status, "PENDING")
    const free = yield* as(ann, windows.submit(span("AVAILABLE", 12, 16)))
    assert.strictEqual((yield* as(manager, windows.decide(free.id, 1, "APPROVED"))).status, "APPROVED")
    assert.deepStrictEqual(yield* held(ann), [["intervention", 12, 16]])
    // Rejected leave holds nothing either.
    assert.strictEqual((yield* as(manager, windows.decide(leave.id, 1, "REJECTED"))).status, "REJECTED")
    assert.deepStrictEqual(yield* held(ann), [["intervention", 12, 16]])
  }))

test("moving or re-kinding an approved window makes it pending again and gives its time back; a note does not", () =>
  Effect.gen(function* () {
    const windows = yield* Availabilities.Availabilities
    const { manager, ann } = yield* team
    const leave = yield* as(ann, windows.submit(span("UNAVAILABLE", 10, 14)))
    yield* as(manager, windows.decide(leave.id, 1, "APPROVED"))
    // A move at a stale version is refused whole: the leave keeps its time.
    const stale = yield* Effect.flip(as(ann, windows.update(leave.id, 1, { startAt: at(11) })))
    assert.strictEqual(stale._tag, "PreconditionFailed")
    assert.deepStrictEqual(yield* held(ann), [["leave", 10, 14]])
    const noted = yield* as(ann, windows.update(leave.id, 2, { note: "Dentist" }))
    assert.deepStrictEqual([noted.status, noted.note, noted.version], ["APPROVED", "Dentist", 3])
    assert.deepStrictEqual(yield* held(ann), [["leave", 10, 14]])
    const moved = yield* as(ann, windows.update(leave.id, 3, { startAt: at(11) }))
    assert.deepStrictEqual([moved.status, hourOf(moved.startAt)], ["PENDING", 11])
    assert.deepStrictEqual(yield* held(ann), [])
    const reapproved = yield* as(manager, windows.decide(leave.id, 4, "APPROVED"))
    assert.deepStrictEqual(yield* held(ann), [["leave", 11, 14]])
    const rekinded = yield* as(ann, windows.update(leave.id, reapproved.version, { kind: "AVAILABLE" }))
    assert.strictEqual(rekinded.status, "PENDING")
    assert.deepStrictEqual(yield* held(ann), [])
    const backwards = yield* Effect.flip(
      as(ann, windows.update(leave.id, rekinded.version, { endAt: at(9) }))
    )
    assert.strictEqual(backwards._tag, "ValidationFailed")
  }))

test("someone else's window does not exist to a technician; managers see and list everyone's", () =>
  Effect.gen(function* () {
    const windows = yield* Availabilities.Availabilities
    const { manager, ann, bob } = yield* team
    const annLeave = yield* as(ann, windows.submit(span("UNAVAILABLE", 10, 14)))
    const bobLeave = yield* as(bob, windows.submit(span("UNAVAILABLE", 20, 24)))
    assert.strictEqual((yield* Effect.flip(as(bob, windows.get(annLeave.id))))._tag, "NotFound")
    const edit = yield* Effect.flip(as(bob, windows.update(annLeave.id, 1, { note: "Mine now" })))
    assert.strictEqual(edit._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(bob, windows.remove(annLeave.id, 1))))._tag, "NotFound")
    const bobSees = yield* as(bob, windows.list({ limit: 10, filters: {} }))
    assert.deepStrictEqual(
      bobSees.items.map((window) => window.id),
      [bobLeave.id]
    )
    // Asking for Ann's by name is refused to a technician, not answered with his own.
    const asked = yield* Effect.flip(
      as(bob, windows.list({ limit: 10, filters: { accountId: ann.accountId } }))
    )
    assert.deepStrictEqual(asked._tag === "Forbidden" ? asked.permission : asked._tag, "availability.approve")
    const ownByName = yield* as(bob, windows.list({ limit: 10, filters: { accountId: bob.accountId } }))
    assert.deepStrictEqual(
      ownByName.items.map((window) => window.id),
      [bobLeave.id]
    )
    const managerSees = yield* as(manager, windows.list({ limit: 10, filters: {} }))
    assert.strictEqual(managerSees.items.length, 2)
    assert.strictEqual((yield* as(manager, windows.get(annLeave.id))).accountId, ann.accountId)
    const stranger = new Actor({ ...manager, orgId: yield* nextId(OrgId) })
    assert.strictEqual((yield* Effect.flip(as(stranger, windows.get(annLeave.id))))._tag, "NotFound")
    const foreign = yield* Effect.flip(as(stranger, windows.decide(annLeave.id, 1, "APPROVED")))
    assert.strictEqual(foreign._tag, "NotFound")
  }))

test("managers enter a window for a member; anyone else naming another person is refused", () =>
  Effect.gen(function* () {
    const windows = yield* Availabilities.Availabilities
    const { manager, ann, bob } = yield* team
    const forBob = yield* as(
      manager,
      windows.submit({ ...span("UNAVAILABLE", 1, 2), accountId: bob.accountId })
    )
    assert.deepStrictEqual([forBob.accountId, forBob.status], [bob.accountId, "PENDING"])
    const byAnn = yield* Effect.flip(
      as(ann, windows.submit({ ...span("UNAVAILABLE", 1, 2), accountId: bob.accountId }))
    )
    assert.strictEqual(byAnn._tag, "Forbidden")
    const outsider = yield* nextId(AccountId)
    const notMember = yield* Effect.flip(
      as(manager, windows.submit({ ...span("UNAVAILABLE", 1, 2), accountId: outsider }))
    )
    assert.deepStrictEqual(notMember._tag === "NotFound" ? notMember.entity : notMember._tag, "member")
    const backwards = yield* Effect.flip(as(ann, windows.submit(span("UNAVAILABLE", 5, 5))))
    assert.strictEqual(backwards._tag, "ValidationFailed")
  }))

test("withdrawing approved leave needs the current version and gives the time back", () =>
  Effect.gen(function* () {
    const windows = yield* Availabilities.Availabilities
    const { orgId, manager, ann } = yield* team
    const leave = yield* as(ann, windows.submit(span("UNAVAILABLE", 10, 14)))
    yield* as(manager, windows.decide(leave.id, 1, "APPROVED"))
    assert.strictEqual((yield* Effect.flip(as(ann, windows.remove(leave.id, 1))))._tag, "PreconditionFailed")
    assert.deepStrictEqual(yield* held(ann), [["leave", 10, 14]], "a refused withdrawal keeps the leave")
    yield* as(ann, windows.remove(leave.id, 2))
    assert.deepStrictEqual(yield* held(ann), [])
    assert.strictEqual((yield* Effect.flip(as(ann, windows.get(leave.id))))._tag, "NotFound")
    assert.deepStrictEqual(yield* auditedOf(orgId), [
      "availability.CREATE",
      "availability.STATUS_CHANGE",
      "availability.SOFT_DELETE"
    ])
  }))
