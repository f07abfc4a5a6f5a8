/**
 * The fault suite: a real server whose database sits behind a TCP fault proxy, asserting that no
 * database fault makes a request hang or answer 500, and that the server recovers on its own.
 * `ROTA_FAULT_SCALE=<n>` runs it n times longer and under n times the load (see
 * docs/reliability.md); `npm test` runs it at 1.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Database, type Deadlines, Migrations } from "@rota/storage-pg"
import { PgliteClient } from "@rota/storage-pg/pglite"
import { FaultProxy, TestDatabase } from "@rota/storage-pg/testing"
import { Context, Deferred, Duration, Effect, Exit, Fiber, Layer, Redacted, Scope } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { type Answer, body, call, registerOwner } from "./fixtures/Http.ts"
import { createSite, type Record } from "./fixtures/Inventory.ts"

const scale = Math.max(1, Math.floor(Number(process.env.ROTA_FAULT_SCALE ?? "1")) || 1)

// Short bounds, so the suite takes seconds.
const timeouts: Deadlines.Timeouts = {
  connect: Duration.seconds(1),
  acquire: Duration.seconds(1),
  statement: Duration.millis(1500),
  lock: Duration.seconds(1),
  idleInTransaction: Duration.seconds(5)
}
// Long enough that a request waits inside its transaction until its client leaves, however busy
// the machine.
const patient: Deadlines.Timeouts = {
  ...timeouts,
  statement: Duration.seconds(30),
  lock: Duration.seconds(30),
  idleInTransaction: Duration.seconds(30)
}
const poolSize = 4
// Each 503 logs a warning; the suite provokes hundreds.
const quiet = { logLevel: "Error" } as const

// Far above every bound above: an answer later than this is a hang, not contention on a busy
// machine. Timings are only ever checked against it.
const hangAfterMillis = 6_000
// How long a server may take to serve again once the database is reachable.
const recoveryMillis = 10_000

type Org = { readonly token: string; readonly orgId: string }
const as = (org: Org, headers: globalThis.Record<string, string> = {}) => ({
  token: org.token,
  orgId: org.orgId,
  headers
})

const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const started = Date.now()
    return Effect.map(effect, (value) => [value, Date.now() - started] as const)
  })

/** A 503 problem with `Retry-After`, telling nothing about the database. */
const assertUnavailable = (answer: Answer) => {
  assert.strictEqual(answer.status, 503, answer.text)
  assert.strictEqual(answer.headers.get("content-type"), "application/problem+json")
  assert.strictEqual(body(answer).code, "unavailable")
  assert.isAtLeast(Number(answer.headers.get("retry-after")), 1)
  assert.notMatch(answer.text, /stack|select|update|sql|pgconnection|pglite|deadlines|timed out|\.ts\b/i)
}

// Polls `path` until it answers 2xx; fails past `recoveryMillis`.
const recovered = (path: string, org: Org) =>
  Effect.gen(function* () {
    const started = Date.now()
    while (Date.now() - started < recoveryMillis) {
      const answer = yield* call("GET", path, as(org))
      if (answer.status === 200) return Date.now() - started
      assert.oneOf(answer.status, [503], answer.text)
      yield* Effect.sleep("200 millis")
    }
    return assert.fail(`${path} still failing ${recoveryMillis} ms after the database came back`)
  })

// Holds a transaction open on `sql` (one pooled connection, or the embedded session) until the
// returned effect runs.
const holdTransaction = <A, E>(sql: SqlClient.SqlClient, first: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const started = yield* Deferred.make<void>()
    const release = yield* Deferred.make<void>()
    const fiber = yield* Effect.forkDetach(
      sql.withTransaction(
        Effect.andThen(first, Effect.andThen(Deferred.succeed(started, undefined), Deferred.await(release)))
      )
    )
    yield* Deferred.await(started)
    return Effect.andThen(Deferred.succeed(release, undefined), Effect.asVoid(Fiber.await(fiber)))
  })

/** A session of its own on the test database, past the proxy: "another client". */
class Direct extends Context.Service<Direct, SqlClient.SqlClient>()("test/DatabaseFaults/Direct") {}

// Waits until a session of the test database waits for a lock: a request is then inside its
// transaction, blocked on a row `direct` holds.
const waitingForLock = (direct: SqlClient.SqlClient) =>
  Effect.gen(function* () {
    const started = Date.now()
    while (Date.now() - started < hangAfterMillis) {
      const [row] = yield* direct<{ readonly waiting: number }>`
        SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND datname = current_database()`
      if (row !== undefined && row.waiting > 0) return
      yield* Effect.sleep("20 millis")
    }
    return assert.fail("no request came to wait for the locked row")
  })

interface LogLine {
  readonly level: string
  readonly msg: string
  readonly requestId?: string
  readonly status?: number
}

// The server's log lines about one request.
const logOf = (lines: ReadonlyArray<string>, requestId: string | null) =>
  lines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.requestId === requestId)

/** An outage logs one warning for each request it fails. */
const assertWarnedOnce = (lines: ReadonlyArray<string>, answer: Answer) => {
  const warnings = logOf(lines, answer.headers.get("x-request-id")).filter((line) => line.level === "WARN")
  assert.deepStrictEqual(
    warnings.map((line) => line.msg),
    ["database unavailable"]
  )
}

// `site`'s row held FOR UPDATE by another session until `release` runs: a write to it waits
// inside its transaction.
const holdRow = (site: Record) =>
  Effect.gen(function* () {
    const direct = yield* Direct
    return yield* holdTransaction(direct, direct`SELECT 1 FROM sites WHERE id = ${site.id} FOR UPDATE`)
  })

// A rename of `site` sent with `requestId`, answered once it waits inside its transaction for
// the row `Direct` holds. Interrupting the fiber it answers aborts the request: the client closes
// its connection.
const blockedRename = (owner: Org, site: Record, requestId: string) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const rename = yield* Effect.forkChild(
      Effect.tryPromise((signal) =>
        fetch(`${url}/v1/sites/${site.id}`, {
          method: "PATCH",
          signal,
          headers: {
            authorization: `Bearer ${owner.token}`,
            "x-org-id": owner.orgId,
            "x-request-id": requestId,
            "if-match": `"${site.version}"`,
            "content-type": "application/json"
          },
          body: JSON.stringify({ name: "Never renamed" })
        })
      )
    )
    yield* waitingForLock(yield* Direct)
    return rename
  })

// The log lines of `requestId`, once its access-log line (its last) is written.
const ended = (lines: ReadonlyArray<string>, requestId: string) =>
  Effect.gen(function* () {
    const started = Date.now()
    while (!logOf(lines, requestId).some((line) => line.msg === "request")) {
      assert.isBelow(Date.now() - started, hangAfterMillis, `${requestId} never ended`)
      yield* Effect.sleep("20 millis")
    }
    return logOf(lines, requestId)
  })

/**
 * A request interrupted inside its transaction: its ROLLBACK was refused on the abandoned
 * connection (the debug line), no warning or error says so, and the access log has `status`.
 */
const assertInterruptedQuietly = (logged: ReadonlyArray<LogLine>, status: number) => {
  assert.deepStrictEqual(
    logged.filter((line) => line.level === "WARN" || line.level === "ERROR"),
    []
  )
  assert.isTrue(
    logged.some((line) => line.msg === "request interrupted during a database statement"),
    JSON.stringify(logged)
  )
  assert.strictEqual(logged.find((line) => line.msg === "request")?.status, status)
}

const base = process.env.DATABASE_URL
if (base !== undefined) {
  // A fresh database, the proxy in front of it, a direct session to it, and Rota's server whose
  // store reaches the database only through the proxy, logging into `lines`.
  const serverOn = (base: string, bounds: Deadlines.Timeouts, lines: Array<string>) =>
    Layer.unwrap(
      Effect.gen(function* () {
        const { url } = yield* TestDatabase.migratedPostgresDatabase(base)
        const proxy = yield* FaultProxy.make(url)
        const direct = yield* Layer.build(Database.layer({ url: Redacted.make(url), maxConnections: 2 }))
        const store = Migrations.layer.pipe(
          Layer.provideMerge(
            Database.layer({ url: Redacted.make(proxy.url), maxConnections: poolSize, timeouts: bounds })
          )
        )
        return Layer.mergeAll(
          TestServer.layer(store, { logLevel: "Debug", accessLog: true }, { logLines: lines }),
          Layer.succeed(FaultProxy.FaultProxy, proxy),
          Layer.succeed(Direct, Context.get(direct, SqlClient.SqlClient))
        )
      })
    )
  const lines: Array<string> = []
  const server = serverOn(base, timeouts, lines)

  describe("postgres", () => {
    layer(server, { timeout: 120_000 * scale, excludeTestServices: true })(
      "database faults behind a TCP proxy",
      (it) => {
        const setMode = (mode: FaultProxy.Mode) =>
          Effect.flatMap(Effect.service(FaultProxy.FaultProxy), (proxy) => proxy.set(mode))
        const restoring = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
          Effect.ensuring(effect, setMode(FaultProxy.pass))

        it.effect(
          "a row locked by another session: other requests answer at once, writes to that row answer 503 with Retry-After by the lock timeout",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const locked = yield* createSite(owner)
              const free = yield* createSite(owner)
              const release = yield* holdRow(locked)
              const rename = (site: Record, name: string) =>
                call("PATCH", `/v1/sites/${site.id}`, {
                  ...as(owner, { "if-match": `"${site.version}"` }),
                  body: { name }
                })
              for (let round = 0; round < scale; round++) {
                const [read, readMillis] = yield* timed(call("GET", `/v1/sites/${locked.id}`, as(owner)))
                assert.strictEqual(read.status, 200, read.text)
                assert.isBelow(readMillis, hangAfterMillis)
                const [blocked, blockedMillis] = yield* timed(rename(locked, `Blocked ${round}`))
                assertUnavailable(blocked)
                assertWarnedOnce(lines, blocked)
                assert.isBelow(blockedMillis, hangAfterMillis)
              }
              const [other, otherMillis] = yield* timed(rename(free, "Renamed"))
              assert.strictEqual(other.status, 200, other.text)
              assert.isBelow(otherMillis, hangAfterMillis)
              yield* release
              const after = yield* rename(locked, "Renamed once free")
              assert.strictEqual(after.status, 200, after.text)
            })
        )

        it.effect("every pooled connection held: requests answer 503 with Retry-After, never wait", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const sql = yield* SqlClient.SqlClient
            const releases = yield* Effect.forEach(
              Array.from({ length: poolSize }, () => sql`SELECT 1`),
              (first) => holdTransaction(sql, first),
              { concurrency: "unbounded" }
            )
            const answers = yield* Effect.forEach(
              Array.from({ length: 4 * scale }, () => timed(call("GET", "/v1/sites", as(owner)))),
              (request) => request,
              { concurrency: "unbounded" }
            )
            for (const [answer, millis] of answers) {
              assertUnavailable(answer)
              assertWarnedOnce(lines, answer)
              assert.isBelow(millis, hangAfterMillis)
            }
            yield* Effect.forEach(releases, (release) => release, { discard: true })
            assert.strictEqual((yield* call("GET", "/v1/sites", as(owner))).status, 200)
          })
        )

        it.effect(
          "a network that drops every packet: requests answer 503 within the deadline, /readyz 503, /livez 200; then the server recovers by itself",
          () =>
            restoring(
              Effect.gen(function* () {
                const owner = yield* registerOwner()
                yield* createSite(owner)
                yield* setMode(FaultProxy.blackhole)
                const [answers, ready, live] = yield* Effect.all(
                  [
                    Effect.forEach(
                      Array.from({ length: 4 * scale }, () => timed(call("GET", "/v1/sites", as(owner)))),
                      (request) => request,
                      { concurrency: "unbounded" }
                    ),
                    timed(call("GET", "/readyz")),
                    call("GET", "/livez")
                  ],
                  { concurrency: "unbounded" }
                )
                for (const [answer, millis] of answers) {
                  assertUnavailable(answer)
                  assertWarnedOnce(lines, answer)
                  assert.isBelow(millis, hangAfterMillis)
                }
                assertUnavailable(ready[0])
                assert.isBelow(ready[1], hangAfterMillis)
                assert.strictEqual(live.status, 200)
                yield* setMode(FaultProxy.pass)
                yield* recovered("/v1/sites", owner)
                assert.strictEqual((yield* call("GET", "/readyz")).status, 200)
              })
            )
        )

        it.effect(
          "the database restarting under load: only 503s while it is gone, then full service again without a restart",
          () =>
            restoring(
              Effect.gen(function* () {
                const owner = yield* registerOwner()
                const site = yield* createSite(owner)
                const statuses = new Set<number>()
                const outage = yield* Deferred.make<void>()
                // Steady reads and writes for the whole outage and the recovery after it.
                const load = yield* Effect.forkChild(
                  Effect.forEach(
                    Array.from({ length: 2 * scale }, (_, worker) => worker),
                    (worker) =>
                      Effect.gen(function* () {
                        let round = 0
                        while (!(yield* Deferred.isDone(outage))) {
                          const answer =
                            round % 2 === 0
                              ? yield* call("GET", `/v1/sites/${site.id}`, as(owner))
                              : yield* call("POST", "/v1/tags", {
                                  ...as(owner),
                                  body: { name: `load-${worker}-${round}` }
                                })
                          statuses.add(answer.status)
                          if (answer.status >= 500) assertUnavailable(answer)
                          round++
                        }
                      }),
                    { concurrency: "unbounded", discard: true }
                  )
                )
                for (let cycle = 0; cycle < scale; cycle++) {
                  yield* Effect.sleep("300 millis")
                  yield* setMode(FaultProxy.reset)
                  yield* Effect.sleep("1 second")
                  const [during, millis] = yield* timed(call("GET", "/v1/sites", as(owner)))
                  assertUnavailable(during)
                  assert.isBelow(millis, hangAfterMillis)
                  yield* setMode(FaultProxy.pass)
                  yield* recovered("/v1/sites", owner)
                }
                yield* Deferred.succeed(outage, undefined)
                yield* Fiber.join(load)
                assert.includeMembers([200, 201, 503], Array.from(statuses))
                assert.isTrue(statuses.has(503), "the load met the outage")
              })
            )
        )

        it.effect("200 ms of latency on every packet: requests are slower, and they succeed", () =>
          restoring(
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const site = yield* createSite(owner)
              yield* setMode(FaultProxy.latency(200))
              const read = yield* call("GET", `/v1/sites/${site.id}`, as(owner))
              assert.strictEqual(read.status, 200, read.text)
              const renamed = yield* call("PATCH", `/v1/sites/${site.id}`, {
                ...as(owner, { "if-match": `"${site.version}"` }),
                body: { name: "Renamed over a slow network" }
              })
              assert.strictEqual(renamed.status, 200, renamed.text)
              assert.strictEqual((yield* call("GET", "/readyz")).status, 200)
            })
          )
        )
      }
    )

    const abandonedLines: Array<string> = []
    layer(serverOn(base, patient, abandonedLines), { timeout: 120_000, excludeTestServices: true })(
      "clients that go away",
      (it) => {
        it.effect(
          "a client that leaves while its write waits inside a transaction: no 'database unavailable' warning, and the server and its whole pool serve on",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const site = yield* createSite(owner)
              const release = yield* holdRow(site)
              const requestId = `left-${site.id}`
              const logged = yield* Effect.ensuring(
                Effect.gen(function* () {
                  yield* Fiber.interrupt(yield* blockedRename(owner, site, requestId))
                  return yield* ended(abandonedLines, requestId)
                }),
                release
              )
              assertInterruptedQuietly(logged, 499)

              const renamed = yield* call("PATCH", `/v1/sites/${site.id}`, {
                ...as(owner, { "if-match": `"${site.version}"` }),
                body: { name: "Renamed after the client left" }
              })
              assert.strictEqual(renamed.status, 200, renamed.text)
              // Every pooled connection can be held at once: the abandoned one was replaced, not lost.
              const sql = yield* SqlClient.SqlClient
              const releases = yield* Effect.forEach(
                Array.from({ length: poolSize }, () => sql`SELECT 1`),
                (first) => holdTransaction(sql, first),
                { concurrency: "unbounded" }
              ).pipe(Effect.timeout(hangAfterMillis))
              yield* Effect.forEach(releases, (held) => held, { discard: true })
              assert.strictEqual((yield* call("GET", "/readyz")).status, 200)
            })
        )
      }
    )

    it.live(
      "a server that stops while a write waits inside its transaction: no 'database unavailable' warning for that write",
      () =>
        Effect.gen(function* () {
          const lines: Array<string> = []
          const scope = yield* Scope.make()
          const context = yield* Layer.buildWithScope(serverOn(base, patient, lines), scope)
          const stopping = Effect.gen(function* () {
            const owner = yield* registerOwner()
            const site = yield* createSite(owner)
            const release = yield* holdRow(site)
            const requestId = `stopped-${site.id}`
            const [logged, stopped] = yield* Effect.ensuring(
              Effect.gen(function* () {
                yield* blockedRename(owner, site, requestId)
                // Stopping waits out the grace period, then interrupts the write; it finishes once
                // the row's holder lets go.
                const stopped = yield* Effect.forkChild(Scope.close(scope, Exit.void))
                return [yield* ended(lines, requestId), stopped] as const
              }),
              release
            )
            yield* Fiber.join(stopped)
            assertInterruptedQuietly(logged, 503)
          })
          yield* Effect.ensuring(Effect.provideContext(stopping, context), Scope.close(scope, Exit.void))
        }),
      60_000
    )
  })
}

describe("pglite", () => {
  const store = Migrations.layer.pipe(
    Layer.provideMerge(PgliteClient.layer({ acquireTimeout: Duration.millis(500) }))
  )
  layer(TestServer.layer(store, quiet), { timeout: 120_000, excludeTestServices: true })(
    "a busy embedded store",
    (it) => {
      it.effect(
        "a request waiting behind a long transaction answers 503 with Retry-After, /livez stays 200, and service resumes after it",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const sql = yield* SqlClient.SqlClient
            const release = yield* holdTransaction(sql, sql`SELECT 1`)
            const [answer, millis] = yield* timed(call("GET", "/v1/sites", as(owner)))
            assertUnavailable(answer)
            assert.isBelow(millis, hangAfterMillis)
            assert.strictEqual((yield* call("GET", "/livez")).status, 200)
            yield* release
            assert.strictEqual((yield* call("GET", "/v1/sites", as(owner))).status, 200)
          })
      )
    }
  )
})
