import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

interface Event {
  readonly id: string
  readonly entityType: string
  readonly entityId: string
  readonly action: string
  readonly actorId: string | null
  readonly after: Record<string, unknown> | null
  readonly requestId: string
}

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 60_000, excludeTestServices: true })(
      "the audit API",
      (it) => {
        it.effect(
          "lists the org's events, newest first, filtered, with the request id that caused them",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const manager = yield* addMember(owner, "manager")
              const renamed = yield* call("PATCH", "/v1/org", {
                token: owner.token,
                orgId: owner.orgId,
                headers: { "if-match": '"1"', "x-request-id": "rename-org-1" },
                body: { name: "Renamed Org" }
              })
              assert.strictEqual(renamed.status, 200)
              const all = yield* call("GET", "/v1/audit?limit=100", {
                token: manager.token,
                orgId: owner.orgId
              })
              assert.strictEqual(all.status, 200)
              const events = body<{ items: Array<Event> }>(all).items
              assert.strictEqual(events[0]?.entityType, "organization")
              assert.strictEqual(events[0]?.action, "UPDATE")
              assert.strictEqual(events[0]?.requestId, "rename-org-1")
              assert.strictEqual(events[0]?.actorId, owner.accountId)
              assert.isTrue(events.some((e) => e.entityType === "member" && e.entityId === manager.accountId))
              assert.isTrue(
                events.every((e) => e.after === null || !JSON.stringify(e.after).includes("argon2"))
              )
              const updates = yield* call("GET", "/v1/audit?action=UPDATE&entityType=organization", {
                token: manager.token,
                orgId: owner.orgId
              })
              assert.deepStrictEqual(
                body<{ items: Array<Event> }>(updates).items.map((e) => e.action),
                ["UPDATE"]
              )
              // Another org sees none of it.
              const stranger = yield* registerOwner("stranger")
              const theirs = yield* call("GET", "/v1/audit?limit=100", {
                token: stranger.token,
                orgId: stranger.orgId
              })
              assert.isFalse(
                body<{ items: Array<Event> }>(theirs).items.some((e) => e.entityId === owner.orgId)
              )
            })
        )

        it.effect("a refused write leaves no audit event", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const before = body<{ items: Array<Event> }>(
              yield* call("GET", "/v1/audit?limit=100", { token: owner.token, orgId: owner.orgId })
            ).items.length
            const stale = yield* call("PATCH", "/v1/org", {
              token: owner.token,
              orgId: owner.orgId,
              headers: { "if-match": '"9"' },
              body: { name: "Never" }
            })
            assert.strictEqual(stale.status, 412)
            const after = body<{ items: Array<Event> }>(
              yield* call("GET", "/v1/audit?limit=100", { token: owner.token, orgId: owner.orgId })
            ).items.length
            assert.strictEqual(after, before)
          })
        )

        it.effect(
          "verify is ok on an untouched log and names the event altered behind the triggers' back",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              yield* addMember(owner, "technician")
              const ok = yield* call("GET", "/v1/audit/verify", { token: owner.token, orgId: owner.orgId })
              assert.strictEqual(ok.status, 200)
              const verification = body<{ ok: boolean; checked: number; brokenAt: string | null }>(ok)
              assert.isTrue(verification.ok)
              assert.isAbove(verification.checked, 2)
              const sql = yield* SqlClient.SqlClient
              const [victim] = yield* Effect.orDie(
                sql<{
                  id: string
                }>`SELECT id FROM audit_events WHERE org_id = ${owner.orgId} ORDER BY at LIMIT 1`
              )
              yield* Effect.orDie(
                sql.withTransaction(
                  Effect.gen(function* () {
                    yield* sql`SET LOCAL session_replication_role = replica`
                    yield* sql`UPDATE audit_events SET entity_id = 'tampered' WHERE org_id = ${owner.orgId} AND id = ${victim!.id}`
                  })
                )
              )
              const broken = body<{ ok: boolean; brokenAt: string | null }>(
                yield* call("GET", "/v1/audit/verify", { token: owner.token, orgId: owner.orgId })
              )
              assert.deepStrictEqual([broken.ok, broken.brokenAt], [false, victim!.id])
            })
        )
      }
    )
  })
}
