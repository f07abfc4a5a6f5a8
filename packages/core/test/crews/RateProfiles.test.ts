import { assert, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as RateProfiles from "../../src/crews/RateProfiles.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { crew } from "../../src/testing/CrewFixtures.ts"
import { join } from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as, auditedOf, auditOf, newMessagesOf } from "../support/UseCases.ts"

// The rate profiles use case on the memory adapters: its rules in milliseconds, no database.
const memory = RateProfiles.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

// An org with a manager and two technicians, Ann and Bob.
const team = Effect.gen(function* () {
  const { orgId, people } = yield* crew(2)
  const [ann, bob] = people as [AccountId, AccountId]
  return { orgId, manager: yield* actorIn(orgId, "manager"), ann, bob }
})

// Each test on a fresh memory database, at the live clock.
const test = <A, E>(name: string, body: () => Effect.Effect<A, E, Layer.Success<typeof memory>>) =>
  it.live(name, () => Effect.provide(body(), memory))

test("a manager sets a member's rates and later replaces them whole, each write audited and announced", () =>
  Effect.gen(function* () {
    const rates = yield* RateProfiles.RateProfiles
    const { orgId, manager, ann } = yield* team
    const first = yield* as(manager, rates.put(ann, { currency: "EUR", hourly: 3000 }))
    assert.deepStrictEqual(
      [first.currency, first.hourly, first.daily, first.orgId],
      ["EUR", 3000, null, orgId]
    )
    assert.deepStrictEqual(yield* as(manager, rates.get(ann)), first)
    // A put replaces the profile: the hourly rate not given again is gone.
    const second = yield* as(manager, rates.put(ann, { currency: "CHF", daily: 20000 }))
    assert.deepStrictEqual([second.currency, second.hourly, second.daily], ["CHF", null, 20000])
    assert.deepStrictEqual(yield* auditedOf(orgId), ["rate_profile.CREATE", "rate_profile.UPDATE"])
    const update = (yield* auditOf(orgId))[1]!
    assert.deepStrictEqual(
      [update.entityId, update.actorId, (update.before as { readonly hourly: number }).hourly],
      [ann, manager.accountId, 3000]
    )
    const messages = yield* newMessagesOf(orgId)
    assert.deepStrictEqual(
      messages.map((message) => [message.topic, message.payload]),
      [
        ["rate_profile.updated", { accountId: ann }],
        ["rate_profile.updated", { accountId: ann }]
      ]
    )
  }))

test("a member without rates has no profile; someone who is not a member has none to set", () =>
  Effect.gen(function* () {
    const rates = yield* RateProfiles.RateProfiles
    const { orgId, manager, bob } = yield* team
    const unset = yield* Effect.flip(as(manager, rates.get(bob)))
    assert.deepStrictEqual(unset._tag === "NotFound" ? unset.entity : unset._tag, "rate_profile")
    const outsider = yield* nextId(AccountId)
    const read = yield* Effect.flip(as(manager, rates.get(outsider)))
    assert.deepStrictEqual(read._tag === "NotFound" ? read.entity : read._tag, "member")
    const write = yield* Effect.flip(as(manager, rates.put(outsider, { currency: "EUR", hourly: 100 })))
    assert.deepStrictEqual(write._tag === "NotFound" ? write.entity : write._tag, "member")
    assert.deepStrictEqual(yield* auditedOf(orgId), [])
  }))

test("only managers and up see or set rates: a technician may not, not even their own", () =>
  Effect.gen(function* () {
    const rates = yield* RateProfiles.RateProfiles
    const { orgId, ann } = yield* team
    const self = new Actor({ orgId, accountId: ann, role: "technician" })
    const own = yield* Effect.flip(as(self, rates.put(ann, { currency: "EUR", hourly: 99_999 })))
    assert.deepStrictEqual(own._tag === "Forbidden" ? own.permission : own._tag, "rate_profile.manage")
    assert.strictEqual((yield* Effect.flip(as(self, rates.get(ann))))._tag, "Forbidden")
    const admin = yield* actorIn(orgId, "admin")
    assert.strictEqual((yield* as(admin, rates.put(ann, { currency: "EUR", hourly: 2000 }))).hourly, 2000)
    assert.deepStrictEqual(yield* auditedOf(orgId), ["rate_profile.CREATE"])
  }))

test("rates belong to one org: a member of two orgs has a profile in each, seen only there", () =>
  Effect.gen(function* () {
    const rates = yield* RateProfiles.RateProfiles
    const home = yield* team
    const away = yield* team
    yield* as(home.manager, rates.put(home.ann, { currency: "EUR", hourly: 3000 }))
    // Not a member of the other org: not found there.
    const stranger = yield* Effect.flip(as(away.manager, rates.get(home.ann)))
    assert.deepStrictEqual(stranger._tag === "NotFound" ? stranger.entity : stranger._tag, "member")
    // A member there too, with no rates set there yet.
    yield* join(away.orgId, home.ann, "technician")
    const none = yield* Effect.flip(as(away.manager, rates.get(home.ann)))
    assert.deepStrictEqual(none._tag === "NotFound" ? none.entity : none._tag, "rate_profile")
    yield* as(away.manager, rates.put(home.ann, { currency: "GBP", daily: 50000 }))
    assert.strictEqual((yield* as(home.manager, rates.get(home.ann))).currency, "EUR")
    assert.strictEqual((yield* as(away.manager, rates.get(home.ann))).currency, "GBP")
  }))
