/**
 * The contract of every `AuditLog` adapter, together with the `Transactor` and `Outbox` it
 * shares a transaction with.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Exit } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { AuditLog } from "../kernel/AuditLog.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { Actor, CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { type ContractSuite, expectEqual, expectTrue } from "./Contract.ts"
import { TransactorProbe } from "./TransactorContract.ts"

const freshActor = Effect.gen(function* () {
  return new Actor({ orgId: yield* nextId(OrgId), accountId: yield* nextId(AccountId), role: "manager" })
})

const withActor = <A, E, R>(body: (actor: Actor) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(freshActor, (actor) => Effect.provideService(body(actor), CurrentActor, actor))

const change = (entityId: string, n: number): Audit.Change => ({
  entityType: "gadget",
  entityId,
  action: n === 0 ? "CREATE" : "UPDATE",
  before: n === 0 ? undefined : { n: n - 1 },
  after: { n, passwordHash: "$argon2id$secret" }
})

/**
 * @since 0.1.0
 * @category suites
 */
export const AuditLogContract: ContractSuite<AuditLog | Transactor | TransactorProbe | Outbox.Outbox | Ids> =
  {
    name: "AuditLog",
    cases: [
      {
        name: "lists an org's events newest first, without secrets",
        run: withActor((actor) =>
          Effect.gen(function* () {
            const log = yield* AuditLog
            yield* Audit.record(change("g1", 0))
            const second = yield* Audit.record(change("g1", 1))
            const page = yield* log.list(actor.orgId, { limit: 10 })
            yield* expectEqual(page.items.length, 2, "events listed")
            yield* expectEqual(page.items[0]?.id, second.id, "newest first")
            yield* expectEqual(page.items[0]?.after, { n: 1 }, "after without the password hash")
            yield* expectEqual(page.items[0]?.before, { n: 0 }, "before")
            yield* expectEqual(page.items[0]?.actorId, actor.accountId, "actor")
            yield* expectEqual(page.nextCursor, null, "no further page")
          })
        )
      },
      {
        name: "never shows one org's events to another",
        run: Effect.gen(function* () {
          const log = yield* AuditLog
          yield* withActor(() => Audit.record(change("g1", 0)))
          const other = yield* freshActor
          const page = yield* log.list(other.orgId, { limit: 10 })
          yield* expectEqual(page.items.length, 0, "events of another org")
        })
      },
      {
        name: "a write that fails after its change leaves no change, no audit event and no outbox message",
        run: withActor((actor) =>
          Effect.gen(function* () {
            const tx = yield* Transactor
            const probe = yield* TransactorProbe
            const log = yield* AuditLog
            const outbox = yield* Outbox.Outbox
            yield* probe.reset
            const exit = yield* Effect.exit(
              tx.withTransaction(
                Effect.gen(function* () {
                  yield* probe.write("changed")
                  yield* Audit.record(change("g1", 0))
                  yield* Outbox.send({ orgId: actor.orgId, topic: "gadget.created", payload: { id: "g1" } })
                  return yield* Effect.fail("refused after the write")
                })
              )
            )
            yield* expectTrue(Exit.isFailure(exit), "the write failed")
            yield* expectEqual(yield* probe.readAll, [], "changes")
            yield* expectEqual((yield* log.list(actor.orgId, { limit: 10 })).items.length, 0, "audit events")
            const far = DateTime.makeUnsafe(Date.UTC(2100, 0, 1))
            const leased = yield* outbox.lease(1000, far, far)
            yield* expectEqual(leased.filter((m) => m.orgId === actor.orgId).length, 0, "outbox messages")
          })
        )
      },
      {
        name: "a write that commits keeps its change, its audit event and its outbox message",
        run: withActor((actor) =>
          Effect.gen(function* () {
            const tx = yield* Transactor
            const probe = yield* TransactorProbe
            const log = yield* AuditLog
            const outbox = yield* Outbox.Outbox
            yield* probe.reset
            yield* tx.withTransaction(
              Effect.gen(function* () {
                yield* probe.write("changed")
                yield* Audit.record(change("g1", 0))
                yield* Outbox.send({ orgId: actor.orgId, topic: "gadget.created", payload: { id: "g1" } })
              })
            )
            yield* expectEqual(yield* probe.readAll, ["changed"], "changes")
            yield* expectEqual((yield* log.list(actor.orgId, { limit: 10 })).items.length, 1, "audit events")
            const far = DateTime.makeUnsafe(Date.UTC(2100, 0, 1))
            const leased = yield* outbox.lease(1000, far, far)
            yield* expectEqual(leased.filter((m) => m.orgId === actor.orgId).length, 1, "outbox messages")
          })
        )
      },
      {
        name: "cursor pagination over 30 events returns every one exactly once",
        run: withActor((actor) =>
          Effect.gen(function* () {
            const log = yield* AuditLog
            const written = new Set<string>()
            for (let i = 0; i < 30; i++) written.add((yield* Audit.record(change(`g${i}`, 0))).id)
            const seen: Array<string> = []
            let cursor: string | undefined
            do {
              const page = yield* log.list(actor.orgId, { limit: 7, cursor })
              seen.push(...page.items.map((event) => event.id))
              cursor = page.nextCursor ?? undefined
            } while (cursor !== undefined)
            yield* expectEqual(seen.length, 30, "events seen")
            yield* expectEqual(new Set(seen).size, 30, "distinct events seen")
            yield* expectTrue(
              seen.every((id) => written.has(id)),
              "only the org's events"
            )
          })
        )
      },
      {
        name: "filters by entity, action and actor",
        run: withActor((actor) =>
          Effect.gen(function* () {
            const log = yield* AuditLog
            yield* Audit.record(change("g1", 0))
            yield* Audit.record(change("g1", 1))
            yield* Audit.record(change("g2", 0))
            const byEntity = yield* log.list(actor.orgId, {
              limit: 10,
              entityType: ["gadget"],
              entityId: "g1"
            })
            yield* expectEqual(byEntity.items.length, 2, "events of g1")
            const creates = yield* log.list(actor.orgId, { limit: 10, action: ["CREATE"] })
            yield* expectEqual(creates.items.length, 2, "CREATE events")
            const byActor = yield* log.list(actor.orgId, { limit: 10, actorId: actor.accountId })
            yield* expectEqual(byActor.items.length, 3, "events by the actor")
          })
        )
      },
      {
        name: "seals every event once, even when sealers race, and verifies the chain",
        run: withActor((actor) =>
          Effect.gen(function* () {
            const log = yield* AuditLog
            for (let i = 0; i < 12; i++) yield* Audit.record(change("g1", i))
            const sealed = yield* Effect.all([log.seal(actor.orgId), log.seal(actor.orgId), log.seal()], {
              concurrency: "unbounded"
            })
            yield* expectTrue(sealed.reduce((a, b) => a + b, 0) >= 12, "every event sealed")
            yield* Audit.record(change("g1", 12))
            const verification = yield* log.verify(actor.orgId)
            yield* expectEqual(verification, { ok: true, checked: 13, brokenAt: null }, "verification")
          })
        )
      }
    ]
  }
