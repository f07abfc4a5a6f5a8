import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as AuditTrail from "../src/AuditTrail.ts"
import * as Audit from "../src/kernel/Audit.ts"
import type { AuditEvent } from "../src/kernel/AuditEvent.ts"
import { AccountId, Ids, nextId, type OrgId } from "../src/kernel/Ids.ts"
import { Actor } from "../src/kernel/RequestContext.ts"
import type { Role } from "../src/kernel/Role.ts"
import * as Fixtures from "../src/testing/IdentityFixtures.ts"
import { MemoryDatabase, rows } from "../src/testing/MemoryDatabase.ts"
import * as MemoryStorage from "../src/testing/MemoryStorage.ts"
import { as } from "./support/UseCases.ts"

// The audit trail on the memory adapters: who reads an org's events, and the proof that none
// was altered.
const memory = AuditTrail.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

/** A new org and an actor of each role given in it (stored accounts are not needed to read). */
const orgWith = (...roles: ReadonlyArray<Role>) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* Fixtures.org()
    const actors = yield* Effect.forEach(roles, (role) =>
      Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))
    )
    return { orgId, actors }
  })

/** Events of the org by `actorId`, a millisecond apart, so newest first is one order. */
const recorded = (orgId: OrgId, actorId: AccountId, changes: ReadonlyArray<Audit.Change>) =>
  Effect.forEach(changes, (change) =>
    Effect.andThen(Effect.sleep("2 millis"), Audit.recordAs({ orgId, actorId }, change))
  )

const site = (n: number, action: Audit.AuditAction = "CREATE"): Audit.Change => ({
  entityType: "site",
  entityId: `site-${n}`,
  action,
  after: { name: `Site ${n}` }
})

const idsOf = (events: ReadonlyArray<AuditEvent>) => events.map((event) => event.entityId)

const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

// The events table of the memory audit log, to alter one behind the log's back.
const auditRows = rows<AuditEvent>("audit_events")

layer(memory, { excludeTestServices: true })("AuditTrail on memory storage", (it) => {
  it.effect("a manager reads the org's events newest first; a technician or a client may not", () =>
    Effect.gen(function* () {
      const trail = yield* AuditTrail.AuditTrail
      const { orgId, actors } = yield* orgWith("manager", "technician", "member")
      const [manager, technician, client] = actors
      yield* recorded(orgId, manager!.accountId, [site(1), site(2), site(1, "UPDATE")])
      const page = yield* as(manager!, trail.list({ limit: 10 }))
      assert.deepStrictEqual(
        page.items.map((event) => [event.entityId, event.action]),
        [
          ["site-1", "UPDATE"],
          ["site-2", "CREATE"],
          ["site-1", "CREATE"]
        ]
      )
      for (const refused of [technician!, client!]) {
        const error = yield* Effect.flip(as(refused, trail.list({ limit: 10 })))
        assert.deepStrictEqual(
          [error._tag, error._tag === "Forbidden" && error.permission],
          ["Forbidden", "audit.read"]
        )
      }
    })
  )

  it.effect("the trail filters by entity, action and actor, and pages without repeating an event", () =>
    Effect.gen(function* () {
      const trail = yield* AuditTrail.AuditTrail
      const { orgId, actors } = yield* orgWith("manager", "admin")
      const [manager, admin] = actors
      yield* recorded(orgId, manager!.accountId, [site(1), site(2), site(3)])
      yield* recorded(orgId, admin!.accountId, [site(1, "SOFT_DELETE")])
      const read = (query: Parameters<typeof trail.list>[0]) => as(manager!, trail.list(query))
      assert.deepStrictEqual(idsOf((yield* read({ limit: 10, entityId: "site-1" })).items), [
        "site-1",
        "site-1"
      ])
      assert.deepStrictEqual(idsOf((yield* read({ limit: 10, action: ["SOFT_DELETE"] })).items), ["site-1"])
      const byAdmin = yield* read({ limit: 10, actorId: admin!.accountId })
      assert.deepStrictEqual(
        byAdmin.items.map((event) => event.action),
        ["SOFT_DELETE"]
      )
      const first = yield* read({ limit: 2, action: ["CREATE"] })
      assert.isNotNull(first.nextCursor)
      const rest = yield* read({ limit: 2, action: ["CREATE"], cursor: first.nextCursor ?? undefined })
      assert.deepStrictEqual([...idsOf(first.items), ...idsOf(rest.items)], ["site-3", "site-2", "site-1"])
      assert.isNull(rest.nextCursor)
      assert.strictEqual(yield* tagOf(read({ limit: 2, cursor: "not-a-cursor" })), "ValidationFailed")
    })
  )

  it.effect("another org's events are invisible, and no secret written reaches the trail", () =>
    Effect.gen(function* () {
      const trail = yield* AuditTrail.AuditTrail
      const mine = yield* orgWith("manager")
      const theirs = yield* orgWith("owner")
      yield* recorded(mine.orgId, mine.actors[0]!.accountId, [
        {
          entityType: "account",
          entityId: "a-1",
          action: "CREATE",
          after: { name: "Ada", passwordHash: "h" }
        }
      ])
      assert.deepStrictEqual((yield* as(theirs.actors[0]!, trail.list({ limit: 10 }))).items, [])
      const [event] = (yield* as(mine.actors[0]!, trail.list({ limit: 10 }))).items
      assert.deepStrictEqual(event?.after, { name: "Ada" })
    })
  )

  it.effect("an admin verifies the chain, which names the first event altered after it was written", () =>
    Effect.gen(function* () {
      const trail = yield* AuditTrail.AuditTrail
      const { orgId, actors } = yield* orgWith("admin", "manager")
      const [admin, manager] = actors
      const [, second] = yield* recorded(orgId, admin!.accountId, [site(1), site(2), site(3)])
      const refused = yield* Effect.flip(as(manager!, trail.verify))
      assert.deepStrictEqual([refused._tag, refused.permission], ["Forbidden", "audit.verify"])
      assert.deepStrictEqual(yield* as(admin!, trail.verify), { ok: true, checked: 3, brokenAt: null })
      const database = yield* MemoryDatabase
      yield* database.modify(auditRows, (table) => {
        const altered = new Map(table)
        const event = table.get(second!.id)!
        altered.set(event.id, { ...event, after: { name: "Forged" } } as AuditEvent)
        return [undefined, altered]
      })
      const broken = yield* as(admin!, trail.verify)
      assert.deepStrictEqual([broken.ok, broken.brokenAt], [false, second!.id])
    })
  )
})
