/**
 * The change feed's numbering: rows follow commit order per org (a transaction that wrote first
 * but commits last gets the larger number, so a reader past the first never skips it), messages
 * of no org stay out, and the entity id comes from the payload's `id` or `<kind>Id`.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Change, Ids } from "@rota/core"
import { Deferred, Effect, Fiber, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PgChangeLog } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const send = (orgId: string | null, topic: string, payload: object) =>
  Effect.flatMap(
    Effect.service(SqlClient.SqlClient),
    (sql) => sql`INSERT INTO outbox_messages (id, org_id, topic, payload, created_at, available_at)
      VALUES (gen_random_uuid(), ${orgId}, ${topic}, ${JSON.stringify(payload)}::jsonb, now(), now())`
  )

const feedOf = (orgId: string) =>
  Effect.flatMap(Effect.service(Change.ChangeLog), (log) => log.after(Ids.OrgId.make(orgId), undefined, 100))

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(PgChangeLog.layer.pipe(Layer.provideMerge(store.layer)), { timeout: 60_000 })(
      "PgChangeLog",
      (it) => {
        it.effect("public facts only, org messages only, numbered in order", () =>
          Effect.gen(function* () {
            const orgId = crypto.randomUUID()
            yield* send(orgId, "site.created", { id: "s1", version: 1 })
            yield* send(null, "auth.password_reset_requested", { resetId: "r1" })
            yield* send(orgId, "webhook.created", { webhookId: "w1" })
            yield* send(orgId, "ping.sent", {})
            const feed = yield* feedOf(orgId)
            assert.deepStrictEqual(
              feed.items.map((change) => [change.topic, change.entityType, change.entityId]),
              [
                ["site.created", "site", "s1"],
                ["webhook.created", "webhook", "w1"],
                ["ping.sent", "ping", null]
              ]
            )
            assert.isNull(feed.nextCursor)
          })
        )

        it.effect("pages follow the numbers, not their digits (99 comes before 100)", () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const log = yield* Change.ChangeLog
            const orgId = crypto.randomUUID()
            const seq = yield* sql<{ last: string }>`SELECT last_value::text AS last FROM change_feed_seq`
            // Numbers that cross a power of ten, wherever the sequence is.
            const start = 10 ** String(Number(seq[0]!.last) + 10).length - 5
            yield* sql`SELECT setval('change_feed_seq', ${start})`
            for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) yield* send(orgId, "site.created", { id: `s${n}` })
            const read: Array<string | null> = []
            let since: string | undefined
            for (let page = 0; page < 3; page++) {
              const found = yield* log.after(Ids.OrgId.make(orgId), since, 3)
              read.push(...found.items.map((change) => change.entityId))
              since = found.nextCursor ?? undefined
            }
            assert.deepStrictEqual(read, ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"])
          })
        )

        if (store.name === "postgres")
          it.effect("a transaction that wrote first but commits last is numbered last", () =>
            Effect.gen(function* () {
              const sql = yield* SqlClient.SqlClient
              const orgId = crypto.randomUUID()
              const written = yield* Deferred.make<void>()
              const release = yield* Deferred.make<void>()
              const slow = yield* sql
                .withTransaction(
                  Effect.gen(function* () {
                    yield* send(orgId, "slow.created", { id: "slow" })
                    yield* Deferred.succeed(written, undefined)
                    yield* Deferred.await(release)
                  })
                )
                .pipe(Effect.forkChild)
              yield* Deferred.await(written)
              yield* sql.withTransaction(send(orgId, "fast.created", { id: "fast" }))
              const before = yield* feedOf(orgId)
              assert.deepStrictEqual(
                before.items.map((change) => change.entityId),
                ["fast"]
              )
              yield* Deferred.succeed(release, undefined)
              yield* Fiber.join(slow)
              const after = yield* feedOf(orgId)
              assert.deepStrictEqual(
                after.items.map((change) => change.entityId),
                ["fast", "slow"]
              )
            })
          )
      }
    )
  })
}
