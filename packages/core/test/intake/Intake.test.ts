import { assert, it } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { TokenSigner } from "../../src/identity/TokenSigner.ts"
import * as Intake from "../../src/intake/Intake.ts"
import type { WorkRequest } from "../../src/intake/WorkRequest.ts"
import * as Interventions from "../../src/interventions/Interventions.ts"
import { UnitRepo } from "../../src/inventory/InventoryRepos.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { signer } from "../support/IdentityPorts.ts"
import { as, workshop } from "../support/Maintenance.ts"
import { auditedOf, auditOf, newTopicsOf, unit } from "../support/UseCases.ts"

// Self-service intake on the memory adapters, with in-memory purpose tokens, at a test clock.
const memory = Intake.layer.pipe(
  Layer.provideMerge(Interventions.layer),
  Layer.provideMerge(signer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

const now = Date.parse("2031-01-10T12:00:00Z")

const leak: WorkRequest = {
  description: "Water is leaking under the pump\nsince this morning, a puddle by now.",
  name: "  Ann Example ",
  contact: "ann@example.test"
}

// The org's interventions, oldest first.
const openedIn = (manager: Actor) =>
  Effect.gen(function* () {
    const interventions = yield* Interventions.Interventions
    const sort = { field: "createdAt", direction: "asc" } as const
    return (yield* as(manager, interventions.list({ limit: 100, filters: {}, sort }))).items
  })

it.effect("a unit's link opens its form, and a request opens a pending corrective intervention on it", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(now)
    const intake = yield* Intake.Intake
    const { orgId, manager, resourceId, unitId } = yield* workshop
    const link = yield* as(manager, intake.link(unitId))
    assert.deepStrictEqual([link.unitId, link.generation], [unitId, 0])
    assert.strictEqual((yield* intake.open(link.token)).unitLabel, `unit-${unitId}`)
    const receipt = yield* intake.submit(link.token, leak)
    const [opened] = yield* openedIn(manager)
    assert.strictEqual(receipt.reference, opened!.number)
    assert.deepStrictEqual(
      [opened!.status, opened!.kind, opened!.unitId, opened!.resourceId, opened!.title],
      ["PENDING", "CORRECTIVE", unitId, resourceId, "Work request: Water is leaking under the pump"]
    )
    assert.isTrue(
      opened!.description!.endsWith(
        "Reported by Ann Example (ann@example.test) through the unit's intake form."
      )
    )
    // No one is signed in: the audit event names no actor.
    const events = yield* auditOf(orgId)
    assert.deepStrictEqual(
      events.map((event) => [event.entityType, event.action, event.actorId]),
      [["intervention", "CREATE", null]]
    )
    assert.deepStrictEqual(yield* newTopicsOf(orgId), ["intervention.created"])
  }).pipe(Effect.provide(memory))
)

it.effect("a unit takes ten requests an hour: the eleventh waits until the hour has passed", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(now)
    const intake = yield* Intake.Intake
    const { orgId, manager, resourceId, unitId } = yield* workshop
    const { token } = yield* as(manager, intake.link(unitId))
    for (let n = 0; n < 10; n++) yield* intake.submit(token, leak)
    const busy = yield* Effect.flip(intake.submit(token, leak))
    assert.deepStrictEqual(busy._tag === "IntakeBusy" ? busy.retryAfterSeconds : busy._tag, 3600)
    assert.strictEqual((yield* openedIn(manager)).length, 10)
    // The limit is the unit's: its neighbour still takes requests.
    const neighbour = yield* unit(orgId, resourceId)
    const other = yield* as(manager, intake.link(neighbour.id))
    yield* intake.submit(other.token, leak)
    yield* TestClock.adjust("59 minutes")
    assert.strictEqual((yield* Effect.flip(intake.submit(token, leak)))._tag, "IntakeBusy")
    yield* TestClock.adjust("2 minutes")
    assert.match((yield* intake.submit(token, leak)).reference, /^INT-\d{6}$/)
    assert.strictEqual((yield* openedIn(manager)).length, 12)
  }).pipe(Effect.provide(memory))
)

it.effect("a bot that fills the hidden field is answered as a person is, and nothing is written", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(now)
    const intake = yield* Intake.Intake
    const { orgId, manager, unitId } = yield* workshop
    const { token } = yield* as(manager, intake.link(unitId))
    const answer = yield* intake.submit(token, { ...leak, website: "http://spam.example" })
    assert.deepStrictEqual(answer, { reference: "received" })
    assert.strictEqual((yield* openedIn(manager)).length, 0)
    assert.deepStrictEqual(yield* auditedOf(orgId), [])
    assert.deepStrictEqual(yield* newTopicsOf(orgId), [])
  }).pipe(Effect.provide(memory))
)

it.effect("revoking ends every earlier link at once; the new one works, and the revocation is recorded", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(now)
    const intake = yield* Intake.Intake
    const { orgId, manager, unitId } = yield* workshop
    const printed = yield* as(manager, intake.link(unitId))
    const again = yield* as(manager, intake.link(unitId))
    const fresh = yield* as(manager, intake.revoke(unitId))
    assert.strictEqual(fresh.generation, 1)
    for (const old of [printed.token, again.token]) {
      assert.strictEqual((yield* Effect.flip(intake.open(old)))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(intake.submit(old, leak)))._tag, "NotFound")
    }
    yield* intake.submit(fresh.token, leak)
    assert.strictEqual((yield* as(manager, intake.link(unitId))).generation, 1)
    assert.deepStrictEqual(yield* auditedOf(orgId), ["unit.UPDATE", "intervention.CREATE"])
    assert.deepStrictEqual(yield* newTopicsOf(orgId), ["unit.intake_link_revoked", "intervention.created"])
  }).pipe(Effect.provide(memory))
)

it.effect("a forged, expired or other-purpose token opens nothing, nor does a deleted unit's link", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(now)
    const intake = yield* Intake.Intake
    const signer = yield* TokenSigner
    const units = yield* UnitRepo
    const { orgId, manager, unitId } = yield* workshop
    assert.strictEqual((yield* Effect.flip(intake.open("forged")))._tag, "NotFound")
    const otherPurpose = yield* signer.signPurpose({
      purpose: "assignment-response",
      subject: `${orgId}/${unitId}`,
      id: "0",
      expiresAt: DateTime.makeUnsafe(now + 86_400_000)
    })
    assert.strictEqual((yield* Effect.flip(intake.submit(otherPurpose, leak)))._tag, "NotFound")
    const { token } = yield* as(manager, intake.link(unitId))
    yield* Effect.orDie(units.softDelete(orgId, unitId, undefined, DateTime.makeUnsafe(now)))
    assert.strictEqual((yield* Effect.flip(intake.submit(token, leak)))._tag, "NotFound")
    yield* Effect.orDie(units.restore(orgId, unitId, undefined))
    yield* intake.submit(token, leak)
    // Links are printed to last: five years of 366 days, then they stop.
    yield* TestClock.adjust("1830 days")
    assert.strictEqual((yield* Effect.flip(intake.open(token)))._tag, "NotFound")
    assert.strictEqual((yield* openedIn(manager)).length, 1)
  }).pipe(Effect.provide(memory))
)

it.effect("only those who manage inventory print or revoke links, and only for their own org's units", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(now)
    const intake = yield* Intake.Intake
    const { orgId, manager, technician, unitId } = yield* workshop
    assert.strictEqual((yield* Effect.flip(as(technician, intake.link(unitId))))._tag, "Forbidden")
    assert.strictEqual((yield* Effect.flip(as(technician, intake.revoke(unitId))))._tag, "Forbidden")
    const stranger = new Actor({ ...manager, orgId: (yield* workshop).orgId })
    assert.strictEqual((yield* Effect.flip(as(stranger, intake.link(unitId))))._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(stranger, intake.revoke(unitId))))._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(manager, intake.link("not-a-unit"))))._tag, "NotFound")
    assert.strictEqual((yield* as(manager, intake.link(unitId))).generation, 0, "nothing was revoked")
    assert.deepStrictEqual(yield* auditedOf(orgId), [])
  }).pipe(Effect.provide(memory))
)
