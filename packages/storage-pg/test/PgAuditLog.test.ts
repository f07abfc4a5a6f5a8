import { assert, describe, layer } from "@effect/vitest"
import { Audit, AuditLog, Ids, RequestContext } from "@rota/core"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PgAuditLog } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const actor = Effect.gen(function* () {
  return new RequestContext.Actor({
    orgId: yield* Ids.nextId(Ids.OrgId),
    accountId: yield* Ids.nextId(Ids.AccountId),
    role: "admin"
  })
})

const recordSome = (count: number) =>
  Effect.gen(function* () {
    const who = yield* actor
    const events: Array<Audit.AuditEvent> = []
    for (let i = 0; i < count; i++) {
      events.push(
        yield* Audit.record({
          entityType: "gadget",
          entityId: `g${i}`,
          action: "CREATE",
          after: { n: i }
        }).pipe(Effect.provideService(RequestContext.CurrentActor, who))
      )
    }
    return { orgId: who.orgId, events }
  })

// What an attacker with database access would try: a bare statement, run as the superuser the
// tests connect as.
const refused = (statement: string) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => Effect.flip(sql.unsafe(statement)))

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(PgAuditLog.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("the audit tables", (it) => {
      it.effect("refuse UPDATE, DELETE and TRUNCATE, even from the superuser", () =>
        Effect.gen(function* () {
          const { orgId } = yield* recordSome(2)
          const log = yield* AuditLog.AuditLog
          yield* log.seal(orgId)
          for (const table of ["audit_events", "audit_seals"]) {
            for (const statement of [
              `UPDATE ${table} SET org_id = org_id`,
              `DELETE FROM ${table}`,
              `TRUNCATE ${table}`
            ]) {
              const error = yield* refused(statement)
              assert.match(String(error.reason.cause), /append-only/, statement)
            }
          }
          const page = yield* log.list(orgId, { limit: 10 })
          assert.strictEqual(page.items.length, 2)
        })
      )

      it.effect("verification detects an event altered behind the triggers' back", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const log = yield* AuditLog.AuditLog
          const { orgId, events } = yield* recordSome(5)
          assert.deepStrictEqual(yield* log.verify(orgId), { ok: true, checked: 5, brokenAt: null })
          const victim = events[2]!
          // Only someone who can switch the triggers off can do this; the chain still tells.
          yield* sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`SET LOCAL session_replication_role = replica`
              yield* sql`UPDATE audit_events SET after = '{"n": 999}' WHERE org_id = ${orgId} AND id = ${victim.id}`
            })
          )
          const verification = yield* log.verify(orgId)
          assert.strictEqual(verification.ok, false)
          assert.strictEqual(verification.brokenAt, victim.id)
          assert.strictEqual(verification.checked, 3)
        })
      )

      it.effect("verification detects a deleted event", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const log = yield* AuditLog.AuditLog
          const { orgId, events } = yield* recordSome(3)
          yield* log.seal(orgId)
          yield* sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`SET LOCAL session_replication_role = replica`
              yield* sql`DELETE FROM audit_events WHERE org_id = ${orgId} AND id = ${events[0]!.id}`
            })
          )
          const verification = yield* log.verify(orgId)
          assert.deepStrictEqual(verification, { ok: false, checked: 1, brokenAt: events[0]!.id })
        })
      )
    })
  })
}
