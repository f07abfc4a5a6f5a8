import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect } from "effect"
import { createClient, RotaProblem } from "../src/index.ts"
import { unique } from "./fixtures/Live.ts"

// A fetch that counts the refresh requests the client sends.
const countingRefreshes = () => {
  const counter = {
    refreshes: 0,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith("/v1/auth/refresh")) counter.refreshes++
      return globalThis.fetch(input, init)
    }
  }
  return counter
}

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
  "Promise client against a live server",
  (it) => {
    it.effect("calls the system routes", () =>
      Effect.gen(function* () {
        const { url } = yield* TestServer.TestServer
        const rota = createClient({ baseUrl: url })
        const health = yield* Effect.promise(() => rota.health())
        assert.deepStrictEqual(health, { status: "ok", version: "0.1.0" })
        assert.deepStrictEqual(yield* Effect.promise(() => rota.readyz()), { status: "ok" })
        yield* Effect.promise(() => rota.dispose())
      })
    )

    it.effect("rejects with a RotaProblem carrying code, status and no request id when nothing answers", () =>
      Effect.gen(function* () {
        const rota = createClient({ baseUrl: "http://127.0.0.1:9" })
        const error = yield* Effect.promise(() =>
          rota.health().then(
            () => undefined,
            (e: unknown) => e
          )
        )
        assert.instanceOf(error, RotaProblem)
        assert.strictEqual((error as RotaProblem).code, "network")
        yield* Effect.promise(() => rota.dispose())
      })
    )

    it.effect("calls refused together share one refresh, and the session survives it", () =>
      Effect.gen(function* () {
        const { url } = yield* TestServer.TestServer
        const counter = countingRefreshes()
        const rota = createClient({ baseUrl: url, fetch: counter.fetch })
        const name = `par${unique()}`
        const registered = yield* Effect.promise(() =>
          rota.auth.register({
            payload: {
              email: `${name}@example.test`,
              username: name,
              password: "Parallel-Pass-1",
              fullName: "Parallel User",
              orgName: `Org ${name}`
            }
          })
        )
        rota.session.orgId = registered.org.id
        // Every call of the burst is refused for its access token at the same time.
        rota.session.accessToken = "expired"
        const orgs = yield* Effect.promise(() => Promise.all(Array.from({ length: 5 }, () => rota.org.get())))
        assert.deepStrictEqual(
          orgs.map((org) => org.id),
          Array.from({ length: 5 }, () => registered.org.id)
        )
        assert.strictEqual(counter.refreshes, 1)
        // The refresh token of the shared refresh is still good: a second expiry refreshes again.
        rota.session.accessToken = "expired"
        assert.strictEqual((yield* Effect.promise(() => rota.org.get())).id, registered.org.id)
        assert.strictEqual(counter.refreshes, 2)
        yield* Effect.promise(() => rota.dispose())
      })
    )

    it.effect("refreshSession trades the refresh token once, however many callers ask at once", () =>
      Effect.gen(function* () {
        const { url } = yield* TestServer.TestServer
        const counter = countingRefreshes()
        const rota = createClient({ baseUrl: url, fetch: counter.fetch })
        const name = `ref${unique()}`
        yield* Effect.promise(() =>
          rota.auth.register({
            payload: {
              email: `${name}@example.test`,
              username: name,
              password: "Refresh-Pass-1",
              fullName: "Refresh User",
              orgName: `Org ${name}`
            }
          })
        )
        const before = rota.session.refreshToken
        yield* Effect.promise(() => Promise.all([rota.refreshSession(), rota.refreshSession()]))
        assert.strictEqual(counter.refreshes, 1)
        assert.notStrictEqual(rota.session.refreshToken, before)
        assert.strictEqual((yield* Effect.promise(() => rota.auth.me())).account.username, name)
        yield* Effect.promise(() => rota.dispose())
      })
    )

    it.effect("a failed refresh rejects with the server's problem and a refused call keeps its own", () =>
      Effect.gen(function* () {
        const { url } = yield* TestServer.TestServer
        const rota = createClient({ baseUrl: url, refreshToken: "not-a-refresh-token" })
        const refreshed = yield* Effect.promise(() =>
          rota.refreshSession().then(
            () => assert.fail("refreshed"),
            (e: unknown) => e
          )
        )
        assert.instanceOf(refreshed, RotaProblem)
        assert.strictEqual((refreshed as RotaProblem).code, "unauthenticated")
        const refused = yield* Effect.promise(() =>
          rota.org.get().then(
            () => assert.fail("answered"),
            (e: unknown) => e
          )
        )
        assert.instanceOf(refused, RotaProblem)
        assert.strictEqual((refused as RotaProblem).status, 401)
        yield* Effect.promise(() => rota.dispose())
      })
    )
  }
)
