import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Orgs from "../../src/identity/Orgs.ts"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import * as IdentityFixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as } from "../support/UseCases.ts"

// The orgs use case on the memory adapters: its rules in milliseconds, no database.
const memory = Orgs.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

layer(memory, { excludeTestServices: true })("Orgs on memory storage", (it) => {
  it.effect("creating an org makes its creator the owner, audited, and lists it as theirs", () =>
    Effect.gen(function* () {
      const orgs = yield* Orgs.Orgs
      const founder = yield* IdentityFixtures.account()
      const org = yield* orgs.create(founder.id, { name: "Night Shift", timezone: "Europe/Paris" })
      assert.deepStrictEqual([org.name, org.timezone, org.version], ["Night Shift", "Europe/Paris", 1])
      const mine = yield* orgs.listMine(founder.id)
      assert.deepStrictEqual(
        mine.map((entry) => [entry.org.id, entry.role]),
        [[org.id, "owner"]]
      )
      const log = yield* AuditLog
      const events = yield* Effect.orDie(log.list(org.id, { limit: 10 }))
      assert.isTrue(
        events.items.some((event) => event.entityType === "organization" && event.action === "CREATE")
      )
    })
  )

  it.effect("the owner renames it at its version; a stale version is refused; a stranger never sees it", () =>
    Effect.gen(function* () {
      const orgs = yield* Orgs.Orgs
      const founder = yield* IdentityFixtures.account()
      const org = yield* orgs.create(founder.id, { name: "Night Shift" })
      const owner = new Actor({ orgId: org.id, accountId: founder.id, role: "owner" })
      const renamed = yield* as(owner, orgs.update(1, { name: "Night Crew" }))
      assert.deepStrictEqual([renamed.name, renamed.version], ["Night Crew", 2])
      const stale = yield* Effect.flip(as(owner, orgs.update(1, { name: "Late" })))
      assert.strictEqual(stale._tag, "PreconditionFailed")
      assert.strictEqual((yield* as(owner, orgs.current)).name, "Night Crew")
      const stranger = yield* IdentityFixtures.account()
      assert.deepStrictEqual(yield* orgs.listMine(stranger.id), [])
      const member = new Actor({ orgId: org.id, accountId: stranger.id, role: "member" })
      assert.strictEqual((yield* Effect.flip(as(member, orgs.update(2, { name: "Mine" }))))._tag, "Forbidden")
    })
  )
})
