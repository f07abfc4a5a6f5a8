/**
 * `Prefer: dry-run` end to end: a write answers what it would (the same status and body as the
 * real write: computed fields, conflicts, refused transitions, stale versions) with
 * `Preference-Applied: dry-run`, and keeps nothing (no row, no audit event, no outbox message,
 * no idempotency record); the same request sent for real afterwards succeeds.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { at, idempotencyKey, resourceWithUnits } from "./fixtures/Bookings.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { as, createIntervention, type Intervention } from "./fixtures/Interventions.ts"
import * as Stores from "./fixtures/Stores.ts"

const tables = ["bookings", "audit_events", "outbox_messages", "idempotency_keys", "interventions"] as const

// Row counts of the tables a write touches, for the org and everywhere (idempotency records and
// outbox messages of other tests run alongside, so the whole count is taken in one statement).
const counts = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ name: string; n: number }>`${sql.unsafe(
    tables.map((table) => `SELECT '${table}' AS name, count(*)::int AS n FROM ${table}`).join(" UNION ALL ")
  )}`
  return Object.fromEntries(rows.map((row) => [row.name, Number(row.n)]))
}).pipe(Effect.orDie)

const dryRun = { prefer: "dry-run" }

// What must match between a dry run and the real write: everything but what a new row gets
// fresh each time.
const withoutFresh = (answer: Answer) => {
  const {
    id: _id,
    createdAt: _c,
    updatedAt: _u,
    approvedAt: _a,
    requestId: _r,
    instance: _i,
    ...rest
  } = body(answer)
  return rest
}

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 180_000, excludeTestServices: true })("dry-run", (it) => {
      it.effect("a booking: answered as created, kept nowhere, then created for real", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const { unitIds } = yield* resourceWithUnits(owner, 1)
          const payload = { purpose: "Shoot", startAt: at(1), endAt: at(3), items: [{ unitId: unitIds[0] }] }
          const key = idempotencyKey()
          const headers = { "idempotency-key": key }
          const before = yield* counts
          const rehearsed = yield* call("POST", "/v1/bookings", {
            ...as(owner, { ...headers, ...dryRun }),
            body: payload
          })
          assert.strictEqual(rehearsed.status, 201, rehearsed.text)
          assert.strictEqual(rehearsed.headers.get("preference-applied"), "dry-run")
          assert.deepStrictEqual(yield* counts, before)

          // The same key, for real: the dry run did not claim it.
          const real = yield* call("POST", "/v1/bookings", { ...as(owner, headers), body: payload })
          assert.strictEqual(real.status, 201, real.text)
          assert.isNull(real.headers.get("preference-applied"))
          assert.deepStrictEqual(withoutFresh(rehearsed), withoutFresh(real))
          const after = yield* counts
          assert.strictEqual(after.bookings, before.bookings! + 1)
          assert.isAbove(after.audit_events!, before.audit_events!)
          assert.isAbove(after.outbox_messages!, before.outbox_messages!)
          assert.strictEqual(after.idempotency_keys, before.idempotency_keys! + 1)

          // Now the slot is taken: the dry run answers the conflict the real write answers.
          const clashing = { ...payload, startAt: at(2), endAt: at(4) }
          const conflictBefore = yield* counts
          const rehearsedConflict = yield* call("POST", "/v1/bookings", {
            ...as(owner, { "idempotency-key": idempotencyKey(), ...dryRun }),
            body: clashing
          })
          assert.strictEqual(rehearsedConflict.status, 409, rehearsedConflict.text)
          assert.strictEqual(rehearsedConflict.headers.get("preference-applied"), "dry-run")
          assert.deepStrictEqual(yield* counts, conflictBefore)
          const realConflict = yield* call("POST", "/v1/bookings", {
            ...as(owner, { "idempotency-key": idempotencyKey() }),
            body: clashing
          })
          assert.strictEqual(realConflict.status, 409)
          assert.deepStrictEqual(withoutFresh(rehearsedConflict), withoutFresh(realConflict))
        })
      )

      it.effect("an intervention: its number computed, a transition with If-Match, nothing kept", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const tech = yield* addMember(owner, "technician")
          const before = yield* counts
          const rehearsed = yield* call("POST", "/v1/interventions", {
            ...as(tech, dryRun),
            body: { title: "Replace the pump seal" }
          })
          assert.strictEqual(rehearsed.status, 201, rehearsed.text)
          assert.strictEqual(body<Intervention>(rehearsed).number, "INT-000001")
          assert.deepStrictEqual(yield* counts, before)
          // The counter moved back with the rest: the real one is number 1 too.
          const created = yield* createIntervention(tech)
          assert.strictEqual(created.number, "INT-000001")

          const path = `/v1/interventions/${created.id}`
          const move = {
            ...as(tech, { "if-match": `"${created.version}"`, ...dryRun }),
            body: { status: "IN_PROGRESS" }
          }
          const moveBefore = yield* counts
          const moved = yield* call("PATCH", path, move)
          assert.strictEqual(moved.status, 200, moved.text)
          assert.strictEqual(moved.headers.get("preference-applied"), "dry-run")
          assert.strictEqual(moved.headers.get("etag"), `"${created.version + 1}"`)
          assert.strictEqual(body<Intervention>(moved).status, "IN_PROGRESS")
          // A refused transition and a stale version answer as they would for real.
          const refused = yield* call("PATCH", path, { ...move, body: { status: "COMPLETED" } })
          assert.strictEqual(refused.status, 409, refused.text)
          assert.strictEqual(body(refused).code, "invalid_transition")
          const stale = yield* call("PATCH", path, {
            ...as(tech, { "if-match": `"${created.version + 7}"`, ...dryRun }),
            body: { status: "IN_PROGRESS" }
          })
          assert.strictEqual(stale.status, 412, stale.text)
          assert.deepStrictEqual(yield* counts, moveBefore)
          const read = yield* call("GET", path, as(tech))
          assert.strictEqual(body<Intervention>(read).status, "PENDING")

          const real = yield* call("PATCH", path, {
            ...move,
            headers: { ...move.headers, prefer: "return=representation" }
          })
          assert.strictEqual(real.status, 200, real.text)
          assert.isNull(real.headers.get("preference-applied"))
          assert.deepStrictEqual(withoutFresh(moved), withoutFresh(real))
        })
      )

      it.effect("validation and permission refusals are the real ones; reads ignore the preference", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const member = yield* addMember(owner, "member")
          const before = yield* counts
          const invalid = yield* call("POST", "/v1/bookings", {
            ...as(owner, { "idempotency-key": idempotencyKey(), ...dryRun }),
            body: { purpose: "x", startAt: "not a time", endAt: at(1), items: [] }
          })
          assert.strictEqual(invalid.status, 400, invalid.text)
          assert.strictEqual(body(invalid).code, "validation_failed")
          assert.strictEqual(invalid.headers.get("preference-applied"), "dry-run")
          const forbidden = yield* call("POST", "/v1/resources", {
            ...as(member, dryRun),
            body: { name: "Drill", type: "tool" }
          })
          assert.strictEqual(forbidden.status, 403, forbidden.text)
          const list = yield* call("GET", "/v1/resources", as(owner, dryRun))
          assert.strictEqual(list.status, 200)
          assert.isNull(list.headers.get("preference-applied"))
          assert.deepStrictEqual(yield* counts, before)
        })
      )
    })
  })
}
