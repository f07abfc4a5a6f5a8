/**
 * A new booking and its items are held writes: inside a transaction they reach the database just
 * before its `COMMIT`, with its audit event and outbox message (one round trip fewer per create),
 * and the rows that name a booking are checked against it at commit. Outside a transaction they
 * are written at once, together.
 */
import { assert, describe, layer } from "@effect/vitest"
import { BookingRepos, Ids, Transactor } from "@rota/core"
import { BookingFixtures } from "@rota/core/testing"
import { Effect, Exit, Layer, Option } from "effect"
import { SqlClient, Statement } from "effect/sql"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { bookableUnit } from "./fixtures/BookableUnit.ts"

const newBooking = Effect.gen(function* () {
  const { orgId, requesterId } = yield* BookingFixtures.org
  const item = yield* bookableUnit(orgId)
  return yield* BookingFixtures.booking(orgId, requesterId, [item], { start: BookingFixtures.at(2031, 5, 1) })
})

const stored = (orgId: Ids.OrgId, id: string) =>
  Effect.flatMap(Effect.service(BookingRepos.BookingRepo), (repo) => repo.find(orgId, id))

// A fine naming the booking: a row written after it, in the same transaction.
const fineFor = (orgId: Ids.OrgId, bookingId: string, accountId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO fines (org_id, id, account_id, booking_id, amount, currency, reason, status, created_at)
      VALUES (${orgId}, ${yield* Ids.nextId(Ids.OrgId)}, ${accountId}, ${bookingId}, 500, 'EUR', 'late', 'OPEN', now())`
  }).pipe(Effect.orDie)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("a new booking, held until commit", (it) => {
      it.effect("is written at COMMIT; a row written after it that names it commits with it", () =>
        Effect.gen(function* () {
          const repo = yield* BookingRepos.BookingRepo
          const tx = yield* Transactor.Transactor
          const booking = yield* newBooking
          const seenInside = yield* tx.withTransaction(
            Effect.gen(function* () {
              yield* repo.insert(booking)
              yield* fineFor(booking.orgId, booking.id, booking.requesterId)
              return yield* stored(booking.orgId, booking.id)
            })
          )
          assert.isTrue(Option.isNone(seenInside), "held: not yet in the database inside the transaction")
          assert.deepStrictEqual(Option.getOrThrow(yield* stored(booking.orgId, booking.id)), booking)
        })
      )

      it.effect("a row naming a booking that never comes fails the commit, and nothing is kept", () =>
        Effect.gen(function* () {
          const repo = yield* BookingRepos.BookingRepo
          const tx = yield* Transactor.Transactor
          const sql = yield* SqlClient.SqlClient
          const booking = yield* newBooking
          const exit = yield* Effect.exit(
            tx.withTransaction(
              Effect.gen(function* () {
                yield* repo.insert(booking)
                yield* fineFor(booking.orgId, yield* Ids.nextId(Ids.OrgId), booking.requesterId)
              })
            )
          )
          assert.isTrue(Exit.isFailure(exit))
          assert.isTrue(Option.isNone(yield* stored(booking.orgId, booking.id)))
          const fines = yield* Effect.orDie(sql`SELECT 1 FROM fines WHERE org_id = ${booking.orgId}`)
          assert.lengthOf(fines, 0)
        })
      )

      it.effect("outside a transaction, the booking and its items are one statement", () =>
        Effect.gen(function* () {
          const repo = yield* BookingRepos.BookingRepo
          const booking = yield* newBooking
          const statements: Array<string> = []
          yield* repo.insert(booking).pipe(
            Effect.provideService(Statement.CurrentTransformer, (statement) => {
              statements.push(statement.compile()[0])
              return Effect.succeed(statement)
            })
          )
          assert.lengthOf(statements, 1)
          assert.deepStrictEqual(Option.getOrThrow(yield* stored(booking.orgId, booking.id)), booking)
        })
      )
    })
  })
}
