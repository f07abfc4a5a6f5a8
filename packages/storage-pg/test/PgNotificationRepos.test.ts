import { assert, describe, layer } from "@effect/vitest"
import { Ids, NotificationRepos, Outbox } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { PgNotificationRepos } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const t0 = Date.UTC(2031, 4, 1)
const at = (seconds: number) => DateTime.makeUnsafe(t0 + seconds * 1000)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(PgNotificationRepos.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000
    })("PgNotificationRepos deliveries", (it) => {
      it.effect("of 20 parallel claims on one (message, recipient, channel), exactly one wins", () =>
        Effect.gen(function* () {
          const deliveries = yield* NotificationRepos.DeliveryRepo
          const messageId = yield* Ids.nextId(Outbox.OutboxMessageId)
          const wins = yield* Effect.forEach(
            Array.from({ length: 20 }),
            () => deliveries.claim(messageId, "someone", "email", at(0), at(60)),
            { concurrency: "unbounded" }
          )
          assert.strictEqual(wins.filter((won) => won).length, 1)
          // Another recipient, or another channel, is another delivery.
          assert.isTrue(yield* deliveries.claim(messageId, "someone-else", "email", at(0), at(60)))
          assert.isTrue(yield* deliveries.claim(messageId, "someone", "in_app", at(0), at(60)))
        })
      )

      it.effect("a claim that ran out unsent is taken over; a sent one never; a released one is free", () =>
        Effect.gen(function* () {
          const deliveries = yield* NotificationRepos.DeliveryRepo
          const messageId = yield* Ids.nextId(Outbox.OutboxMessageId)
          assert.isTrue(yield* deliveries.claim(messageId, "a", "email", at(0), at(60)))
          assert.isFalse(yield* deliveries.claim(messageId, "a", "email", at(59), at(119)), "still held")
          assert.isTrue(
            yield* deliveries.claim(messageId, "a", "email", at(60), at(120)),
            "ran out: taken over"
          )
          yield* deliveries.markSent(messageId, "a", "email", at(61))
          assert.isFalse(
            yield* deliveries.claim(messageId, "a", "email", at(1000), at(1060)),
            "sent: never again"
          )

          assert.isTrue(yield* deliveries.claim(messageId, "b", "email", at(0), at(60)))
          yield* deliveries.release(messageId, "b", "email")
          assert.isTrue(yield* deliveries.claim(messageId, "b", "email", at(1), at(61)), "released: free")
          // Releasing a sent delivery does not make it sendable again.
          yield* deliveries.markSent(messageId, "b", "email", at(2))
          yield* deliveries.release(messageId, "b", "email")
          assert.isFalse(yield* deliveries.claim(messageId, "b", "email", at(1000), at(1060)))
        })
      )
    })
  })
}
