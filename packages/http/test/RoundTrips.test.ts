/**
 * Round trips to PostgreSQL per request, counted on the wire by a proxy between the server and
 * the database (warm: the caller's session resolved and every statement prepared by an earlier
 * request of the same kind). A write is its idempotency claim, then one transaction; the
 * numbers are the budget: a change that adds a round trip to these paths fails here.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Database, Migrations } from "@rota/storage-pg"
import { FaultProxy, RoundTrips, TestDatabase } from "@rota/storage-pg/testing"
import { Context, Effect, Layer, Redacted } from "effect"
import { TestServer } from "../src/testing.ts"
import { at, idempotencyKey, resourceWithUnits } from "./fixtures/Bookings.ts"
import { type Answer, call, registerOwner } from "./fixtures/Http.ts"

class Counter extends Context.Service<Counter, RoundTrips.RoundTrips>()("test/RoundTrips/Counter") {}

const base = process.env.DATABASE_URL
if (base === undefined) {
  describe("round trips", () => {
    it("are counted on PostgreSQL only: set DATABASE_URL", () => {})
  })
} else {
  const server = Layer.unwrap(
    Effect.gen(function* () {
      const { url } = yield* TestDatabase.migratedPostgresDatabase(base)
      const counter = RoundTrips.make()
      const proxy = yield* FaultProxy.make(url, { watch: counter.watch })
      const store = Migrations.layer.pipe(
        Layer.provideMerge(Database.layer({ url: Redacted.make(proxy.url), maxConnections: 4 }))
      )
      return Layer.merge(TestServer.layer(store), Layer.succeed(Counter, counter))
    })
  )

  // Round trips of the third of three like requests: the first two warm the session and the
  // prepared statements.
  const roundTripsOf = (send: (n: number) => Effect.Effect<Answer, never, TestServer.TestServer>) =>
    Effect.gen(function* () {
      const counter = yield* Counter
      for (const n of [0, 1]) assert.isBelow((yield* send(n)).status, 300)
      counter.reset()
      const answer = yield* send(2)
      assert.isBelow(answer.status, 300, answer.text)
      return { count: counter.count(), trips: counter.trips() }
    })

  describe("postgres", () => {
    layer(server, { timeout: 120_000, excludeTestServices: true })("round trips", (it) => {
      it.effect("a booking create, an intervention create and a listing stay within their budgets", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const { unitIds } = yield* resourceWithUnits(owner, 1)
          // A new org's sessions are resolved from the database for 5 s (until the change
          // notifications have surely arrived), then from the server's memory: measure after.
          yield* Effect.sleep("5500 millis")
          const as = (headers: Record<string, string> = {}) => ({
            token: owner.token,
            orgId: owner.orgId,
            headers
          })
          const measured = {
            "POST /v1/bookings": yield* roundTripsOf((n) =>
              call("POST", "/v1/bookings", {
                ...as({ "idempotency-key": idempotencyKey() }),
                body: {
                  purpose: "Shoot",
                  startAt: at(n * 2),
                  endAt: at(n * 2 + 1),
                  items: [{ unitId: unitIds[0] }]
                }
              })
            ),
            "POST /v1/interventions": yield* roundTripsOf(() =>
              call("POST", "/v1/interventions", {
                ...as({ "idempotency-key": idempotencyKey() }),
                body: { title: "Brakes" }
              })
            ),
            "GET /v1/bookings": yield* roundTripsOf(() => call("GET", "/v1/bookings?limit=20", as()))
          }
          const budgets = { "POST /v1/bookings": 6, "POST /v1/interventions": 6, "GET /v1/bookings": 1 }
          for (const [request, budget] of Object.entries(budgets)) {
            const { count, trips } = measured[request as keyof typeof budgets]
            assert.strictEqual(
              count,
              budget,
              `${request}:\n${trips.map((trip) => trip.join(" + ")).join("\n")}`
            )
          }
        })
      )
    })
  })
}
