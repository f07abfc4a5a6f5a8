/**
 * The writes a transaction holds until its commit (outbox messages, audit events, idempotency
 * answers) commit with it, roll back with it, and go with a savepoint that rolls back; outside a
 * transaction they are written at once.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids, Outbox, Transactor } from "@rota/core"
import { Data, Effect, Exit, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PgOutbox, PgTransactor } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

class Boom extends Data.TaggedError("Boom") {}

// A topic of its own per case, so the cases share the database without seeing each other.
let cases = 0
const topicOf = () => `pending.${++cases}.${Math.random().toString(36).slice(2, 8)}`

const send = (topic: string, step: string) => Outbox.send({ orgId: null, topic, payload: { step } })

const stepsOf = (topic: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ step: string }>`SELECT payload->>'step' AS step FROM outbox_messages
      WHERE topic = ${topic} ORDER BY id`
    return rows.map((row) => row.step)
  }).pipe(Effect.orDie)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(
      Layer.mergeAll(PgTransactor.layer, PgOutbox.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)),
      { timeout: 60_000 }
    )("writes held until commit", (it) => {
      it.effect("are in the database once the transaction commits, not before", () =>
        Effect.gen(function* () {
          const tx = yield* Transactor.Transactor
          const topic = topicOf()
          const inside = yield* tx.withTransaction(
            Effect.gen(function* () {
              yield* send(topic, "first")
              yield* send(topic, "second")
              return yield* stepsOf(topic)
            })
          )
          assert.deepStrictEqual(inside, [], "held, not yet written, inside the transaction")
          assert.deepStrictEqual(yield* stepsOf(topic), ["first", "second"])
        })
      )

      it.effect("go with a transaction that fails, and with a savepoint that fails", () =>
        Effect.gen(function* () {
          const tx = yield* Transactor.Transactor
          const failed = topicOf()
          const exit = yield* Effect.exit(
            tx.withTransaction(Effect.andThen(send(failed, "lost"), Effect.fail(new Boom())))
          )
          assert.isTrue(Exit.isFailure(exit))
          assert.deepStrictEqual(yield* stepsOf(failed), [])

          const partly = topicOf()
          yield* tx.withTransaction(
            Effect.gen(function* () {
              yield* send(partly, "before")
              const inner = yield* Effect.exit(
                tx.savepoint(Effect.andThen(send(partly, "undone"), Effect.fail(new Boom())))
              )
              assert.isTrue(Exit.isFailure(inner))
              yield* tx.savepoint(send(partly, "kept"))
              yield* send(partly, "after")
            })
          )
          assert.deepStrictEqual(yield* stepsOf(partly), ["before", "kept", "after"])
        })
      )

      it.effect("are written at once outside a transaction", () =>
        Effect.gen(function* () {
          const topic = topicOf()
          yield* send(topic, "alone")
          assert.deepStrictEqual(yield* stepsOf(topic), ["alone"])
        })
      )
    })
  })
}
