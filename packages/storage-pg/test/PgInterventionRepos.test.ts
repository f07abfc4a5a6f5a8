import { assert, describe, layer } from "@effect/vitest"
import { Ids, Intervention, InterventionRepos, InterventionRules, TimelineEvent } from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient, Statement } from "effect/sql"
import { PgInterventionRepos } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const draft = (orgId: Ids.OrgId, number: number) =>
  Effect.map(
    Ids.nextId(Intervention.InterventionId),
    (id) =>
      new Intervention.Intervention({
        id,
        orgId,
        number: InterventionRules.formatNumber(number),
        title: "Probe",
        description: null,
        kind: "CORRECTIVE",
        priority: "NORMAL",
        status: "PENDING",
        clientId: null,
        resourceId: null,
        unitId: null,
        subject: null,
        siteId: null,
        assigneeIds: [],
        scheduledStart: null,
        scheduledEnd: null,
        dueAt: null,
        completedAt: null,
        completedBy: null,
        partsCost: null,
        version: 1,
        createdAt: DateTime.makeUnsafe(Date.UTC(2031, 0, 1)),
        deletedAt: null
      })
  )

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(PgInterventionRepos.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000
    })("PgInterventionRepos", (it) => {
      it.effect(
        "gives 20 concurrent creations 20 distinct numbers; a rolled-back one gives its number back",
        () =>
          Effect.gen(function* () {
            const sql = yield* SqlClient.SqlClient
            const repo = yield* InterventionRepos.InterventionRepo
            const orgId = yield* Ids.nextId(Ids.OrgId)
            const numbers = yield* Effect.forEach(
              Array.from({ length: 20 }, (_, index) => index),
              () => sql.withTransaction(repo.nextNumber(orgId)),
              { concurrency: "unbounded" }
            )
            assert.deepStrictEqual(
              [...numbers].sort((a, b) => a - b),
              Array.from({ length: 20 }, (_, index) => index + 1)
            )
            const rolledBack = yield* Effect.flip(
              sql.withTransaction(Effect.andThen(repo.nextNumber(orgId), Effect.fail("abort")))
            )
            assert.strictEqual(rolledBack, "abort")
            assert.strictEqual(yield* sql.withTransaction(repo.nextNumber(orgId)), 21)
            assert.strictEqual(yield* repo.nextNumber(yield* Ids.nextId(Ids.OrgId)), 1)
          })
      )

      it.effect("answers an insert as a read answers it, in one statement when nothing links to it yet", () =>
        Effect.gen(function* () {
          const repo = yield* InterventionRepos.InterventionRepo
          const orgId = yield* Ids.nextId(Ids.OrgId)
          const statements: Array<string> = []
          const inserted = yield* repo.insert(yield* draft(orgId, 1_234_567)).pipe(
            Effect.provideService(Statement.CurrentTransformer, (statement) => {
              statements.push(statement.compile()[0])
              return Effect.succeed(statement)
            })
          )
          assert.lengthOf(statements, 1)
          assert.strictEqual(inserted.number, "INT-1234567")
          assert.deepStrictEqual(inserted.assigneeIds, [])
          assert.deepStrictEqual(inserted, Option.getOrThrow(yield* repo.find(orgId, inserted.id)))
        })
      )

      it.effect("refuses a second intervention with a number the org already used", () =>
        Effect.gen(function* () {
          const repo = yield* InterventionRepos.InterventionRepo
          const orgId = yield* Ids.nextId(Ids.OrgId)
          yield* repo.insert(yield* draft(orgId, 7))
          const again = yield* Effect.exit(repo.insert(yield* draft(orgId, 7)))
          assert.strictEqual(again._tag, "Failure")
          const found = yield* repo.list(orgId, { limit: 10, filters: { q: "INT-000007" } })
          assert.lengthOf(found.items, 1)
        })
      )

      it.effect("keeps the timeline append-only, for every role", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const repo = yield* InterventionRepos.InterventionRepo
          const timeline = yield* InterventionRepos.TimelineRepo
          const orgId = yield* Ids.nextId(Ids.OrgId)
          const intervention = yield* repo.insert(yield* draft(orgId, 1))
          for (const type of ["created", "note"] as const) {
            yield* timeline.append(
              new TimelineEvent.TimelineEvent({
                id: yield* Ids.nextId(TimelineEvent.TimelineEventId),
                orgId,
                interventionId: intervention.id,
                type,
                actorId: null,
                at: DateTime.makeUnsafe(Date.UTC(2031, 0, 1)),
                data: { text: type }
              })
            )
          }
          const page = yield* timeline.list(orgId, intervention.id, { limit: 1 })
          assert.deepStrictEqual(
            page.items.map((event) => event.type),
            ["created"]
          )
          const next = yield* timeline.list(orgId, intervention.id, { limit: 1, cursor: page.nextCursor! })
          assert.deepStrictEqual(
            next.items.map((event) => [event.type, event.data]),
            [["note", { text: "note" }]]
          )
          for (const statement of [
            "UPDATE intervention_events SET type = 'forged'",
            "DELETE FROM intervention_events",
            "TRUNCATE intervention_events CASCADE"
          ]) {
            const refusal = yield* Effect.flip(sql.unsafe(statement))
            assert.match(String(refusal.reason.cause), /append-only/, statement)
          }
          const bad = yield* Effect.flip(
            timeline.list(orgId, intervention.id, { limit: 1, cursor: "not-a-cursor" })
          )
          assert.strictEqual(bad._tag, "ValidationFailed")
        })
      )
    })
  })
}
