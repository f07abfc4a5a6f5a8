import { assert, describe, layer } from "@effect/vitest"
import { Audit, Errors, Ids, Pagination, RequestContext, Transactor, Versioning } from "@rota/core"
import { Keyset, VersionedRows } from "@rota/storage-pg"
import type { TestDatabase } from "@rota/storage-pg/testing"
import { Context, DateTime, Effect, Layer, Ref, Schema } from "effect"
import { HttpServer, HttpServerRequest } from "effect/http"
import {
  HttpApiBuilder,
  HttpApiEndpoint,
  HttpApiGroup,
  HttpApiMiddleware,
  HttpApiSchema
} from "effect/http-api"
import { SqlClient, type Statement } from "effect/sql"
import {
  Api,
  IdempotencyRequired,
  Idempotent,
  ListQuery,
  Problems,
  RequestValidation,
  Versioned
} from "../src/api.ts"

import { ErrorTable, Server } from "../src/index.ts"
import * as Preconditions from "../src/server/edge/Preconditions.ts"
import { settings } from "../src/testing/TestServer.ts"
import * as Stores from "./fixtures/Stores.ts"

// A test-only API on the real server: gadgets, versioned and idempotent, proving the write rules
// through HTTP before any feature uses them. The actor comes from test headers.
class TestAuth extends HttpApiMiddleware.Service<TestAuth, { provides: RequestContext.CurrentActor }>()(
  "test/TestAuth"
) {}

const Gadget = Schema.Struct({ id: Schema.String, name: Schema.String, version: Schema.Int })
type Gadget = typeof Gadget.Type
const GadgetWithEtag = Versioned.withEtag(Gadget)
const NameBody = Schema.Struct({ name: Schema.String })
const IdParam = { id: Schema.String }

class GadgetsGroup extends HttpApiGroup.make("gadgets")
  .add(
    HttpApiEndpoint.post("create", "/test/gadgets", {
      payload: NameBody,
      success: Versioned.withEtag(Gadget.pipe(HttpApiSchema.status(201))),
      error: Problems.AlreadyExists
    }).middleware(IdempotencyRequired),
    HttpApiEndpoint.post("slow", "/test/slow", { payload: NameBody, success: Gadget }).middleware(Idempotent),
    HttpApiEndpoint.post("flaky", "/test/flaky", { payload: NameBody, success: Gadget }).middleware(
      Idempotent
    ),
    HttpApiEndpoint.get("list", "/test/gadgets", {
      query: {
        ...ListQuery.page,
        ...ListQuery.sort(["name", "createdAt"]),
        name: Schema.optionalKey(ListQuery.commaList(["alpha", "beta", "gamma"])),
        ...ListQuery.period
      },
      success: Pagination.Page(Gadget),
      error: Problems.ValidationFailed
    }),
    HttpApiEndpoint.get("get", "/test/gadgets/:id", {
      params: IdParam,
      success: GadgetWithEtag,
      error: Problems.NotFound
    }),
    HttpApiEndpoint.patch("rename", "/test/gadgets/:id", {
      params: IdParam,
      headers: Versioned.IfMatch,
      payload: NameBody,
      success: GadgetWithEtag,
      error: [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]
    })
  )
  .middleware(TestAuth)
  .middleware(RequestValidation) {}

const TestApi = Api.add(GadgetsGroup)

const failedOnce = new Set<string>()

class Executions extends Context.Service<Executions, Ref.Ref<number>>()("test/Executions") {}

const insertGadget = (name: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const actor = yield* RequestContext.CurrentActor
    if (name === "taken") return yield* new Errors.AlreadyExists({ entity: "gadget", field: "name" })
    const id = yield* Ids.nextId(Ids.AccountId)
    const [row] = yield* sql<Gadget>`INSERT INTO gadgets ${sql.insert({ org_id: actor.orgId, id, name })}
      RETURNING id, name, version`.pipe(Effect.orDie)
    yield* Audit.record({ entityType: "gadget", entityId: id, action: "CREATE", after: row })
    return row!
  })

const GadgetHandlers = HttpApiBuilder.group(TestApi, "gadgets", (handlers) =>
  handlers
    .handle("create", ({ payload }) =>
      Effect.gen(function* () {
        yield* Effect.flatMap(Effect.service(Executions), (count) => Ref.update(count, (n) => n + 1))
        return yield* insertGadget(payload.name)
      }).pipe(ErrorTable.toProblems)
    )
    .handle("slow", ({ payload }) =>
      Effect.gen(function* () {
        yield* Effect.flatMap(Effect.service(Executions), (count) => Ref.update(count, (n) => n + 1))
        yield* Effect.sleep("300 millis")
        return yield* insertGadget(payload.name)
      }).pipe(Effect.orDie)
    )
    .handle("flaky", ({ payload }) =>
      Effect.gen(function* () {
        // The first attempt for each name hits a transient fault.
        if (!failedOnce.has(payload.name)) {
          failedOnce.add(payload.name)
          return yield* Effect.die(new Error("transient fault"))
        }
        return yield* insertGadget(payload.name)
      }).pipe(Effect.orDie)
    )
    .handle("list", ({ query }) =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const actor = yield* RequestContext.CurrentActor
        const limit = query.limit ?? Pagination.defaultLimit
        const sort = Pagination.parseSort(query.sort ?? "createdAt")
        const column: Keyset.Column =
          sort.field === "name" ? { name: "name", kind: "text" } : { name: "created_at", kind: "timestamp" }
        const position = query.cursor === undefined ? undefined : yield* Pagination.decodeCursor(query.cursor)
        const conditions: Array<Statement.Fragment> = [sql`org_id = ${actor.orgId}`, sql`deleted_at IS NULL`]
        if (query.name !== undefined) conditions.push(sql`name IN ${sql.in(query.name)}`)
        if (query.from !== undefined) conditions.push(sql`created_at >= ${DateTime.toDateUtc(query.from)}`)
        if (query.to !== undefined) conditions.push(sql`created_at < ${DateTime.toDateUtc(query.to)}`)
        if (position !== undefined) conditions.push(Keyset.after(sql, column, sort.direction, position))
        const rows = yield* sql<
          Gadget & { created_at: Date }
        >`SELECT id, name, version, created_at FROM gadgets
          WHERE ${sql.and(conditions)} ${Keyset.orderBy(sql, column, sort.direction)} LIMIT ${limit + 1}`.pipe(
          Effect.orDie
        )
        const page = Pagination.fromRows(rows, limit, (row) => [
          Keyset.keyOf(column.name === "name" ? row.name : row.created_at),
          row.id
        ])
        return {
          items: page.items.map(({ id, name, version }) => ({ id, name, version })),
          nextCursor: page.nextCursor
        }
      }).pipe(ErrorTable.toProblems)
    )
    .handle("get", ({ params }) =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const actor = yield* RequestContext.CurrentActor
        const [row] = yield* sql<Gadget>`SELECT id, name, version FROM gadgets
          WHERE org_id = ${actor.orgId} AND id = ${params.id} AND deleted_at IS NULL`.pipe(Effect.orDie)
        if (row === undefined) return yield* new Errors.NotFound({ entity: "gadget", id: params.id })
        return row
      }).pipe(ErrorTable.toProblems)
    )
    .handle("rename", ({ params, headers, payload }) =>
      Effect.gen(function* () {
        const expectedVersion = yield* Versioning.demand(
          "gadget",
          Preconditions.expectedVersion(headers["if-match"], { required: true })
        )
        const actor = yield* RequestContext.CurrentActor
        const transactor = yield* Transactor.Transactor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const row = yield* VersionedRows.update<Gadget & { org_id: string }>(
              { table: "gadgets", entity: "gadget", orgId: actor.orgId, id: params.id, expectedVersion },
              { name: payload.name }
            ).pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
            yield* Audit.record({
              entityType: "gadget",
              entityId: row.id,
              action: "UPDATE",
              after: { name: row.name }
            })
            return { id: row.id, name: row.name, version: row.version }
          })
        )
      }).pipe(ErrorTable.toProblems)
    )
)

const TestAuthLive = Layer.succeed(TestAuth, (httpEffect) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const actor = new RequestContext.Actor({
      orgId: Ids.OrgId.make(request.headers["x-test-org"] ?? ""),
      accountId: Ids.AccountId.make(request.headers["x-test-account"] ?? ""),
      role: "admin"
    })
    return yield* Effect.provideService(httpEffect, RequestContext.CurrentActor, actor)
  })
)

class BaseUrl extends Context.Service<BaseUrl, string>()("test/BaseUrl") {}

// Milliseconds, as the times Rota writes (from the clock): the list below keys its cursor on
// them with `Keyset.keyOf`, exact for those.
const CreateTable = Layer.effectDiscard(
  Effect.flatMap(
    Effect.service(SqlClient.SqlClient),
    (sql) => sql`CREATE TABLE gadgets (org_id uuid NOT NULL, id uuid NOT NULL, name text NOT NULL,
      version integer NOT NULL DEFAULT 1, created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
      deleted_at timestamptz, PRIMARY KEY (org_id, id))`
  )
)

const serverOn = (store: TestDatabase.TestStore) => {
  const db = CreateTable.pipe(Layer.provideMerge(store.layer))
  return Layer.effect(
    BaseUrl,
    Effect.map(Effect.service(HttpServer.HttpServer), (server) => HttpServer.formatAddress(server.address))
  ).pipe(
    Layer.provideMerge(
      Server.serve(
        settings({ jobs: false }),
        db,
        Server.routesFor(TestApi).pipe(
          Layer.provide([GadgetHandlers, Server.handlers]),
          Layer.provide([Server.apiMiddleware, TestAuthLive])
        )
      )
    ),
    Layer.provideMerge(Layer.effect(Executions, Ref.make(0))),
    Layer.provideMerge(db)
  )
}

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

const call = (
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; as?: string } = {}
) =>
  Effect.gen(function* () {
    const base = yield* BaseUrl
    const response = yield* Effect.promise(() =>
      fetch(`${base}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          "x-test-org": org,
          "x-test-account": options.as ?? account,
          ...options.headers
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
      })
    )
    return {
      status: response.status,
      headers: response.headers,
      text: yield* Effect.promise(() => response.text())
    } satisfies Answer
  })

const org = "018f0000-0000-7000-8000-00000000a001"
const account = "018f0000-0000-7000-8000-00000000b001"
const otherAccount = "018f0000-0000-7000-8000-00000000b002"

const executions = Effect.flatMap(Effect.service(Executions), Ref.get)
const gadgetCount = (name: string) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) =>
    Effect.map(
      sql<{ n: number }>`SELECT count(*)::int AS n FROM gadgets WHERE name = ${name}`,
      (rows) => rows[0]!.n
    )
  ).pipe(Effect.orDie)
const code = (answer: Answer) => (JSON.parse(answer.text) as { code?: string }).code

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(serverOn(store), { timeout: 60_000, excludeTestServices: true })(
      "idempotency keys over HTTP",
      (it) => {
        it.effect("a route that requires a key refuses a request without one", () =>
          Effect.gen(function* () {
            const answer = yield* call("POST", "/test/gadgets", { body: { name: "no-key" } })
            assert.strictEqual(answer.status, 400)
            assert.strictEqual(code(answer), "idempotency_key_required")
            assert.strictEqual(yield* gadgetCount("no-key"), 0)
          })
        )

        it.effect("a retry with the same key replays the first answer byte for byte, and acts once", () =>
          Effect.gen(function* () {
            const headers = { "idempotency-key": "create-1" }
            const first = yield* call("POST", "/test/gadgets", { body: { name: "once" }, headers })
            // Same request, keys in another order: still the same request.
            const second = yield* call("POST", "/test/gadgets", { body: { name: "once" }, headers })
            assert.strictEqual(first.status, 201)
            assert.strictEqual(second.status, 201)
            assert.strictEqual(second.text, first.text)
            assert.strictEqual(second.headers.get("etag"), first.headers.get("etag"))
            assert.strictEqual(second.headers.get("idempotency-replayed"), "true")
            assert.isNull(first.headers.get("idempotency-replayed"))
            assert.strictEqual(yield* gadgetCount("once"), 1)
          })
        )

        it.effect("the same key with another request is refused with 422", () =>
          Effect.gen(function* () {
            const headers = { "idempotency-key": "create-2" }
            yield* call("POST", "/test/gadgets", { body: { name: "first" }, headers })
            const other = yield* call("POST", "/test/gadgets", { body: { name: "second" }, headers })
            assert.strictEqual(other.status, 422)
            assert.strictEqual(code(other), "idempotency_key_reused")
            assert.strictEqual(yield* gadgetCount("second"), 0)
          })
        )

        it.effect("keys are scoped to the account: another account's same key is another request", () =>
          Effect.gen(function* () {
            const headers = { "idempotency-key": "create-3" }
            yield* call("POST", "/test/gadgets", { body: { name: "scoped" }, headers })
            const theirs = yield* call("POST", "/test/gadgets", {
              body: { name: "scoped" },
              headers,
              as: otherAccount
            })
            assert.strictEqual(theirs.status, 201)
            assert.isNull(theirs.headers.get("idempotency-replayed"))
            assert.strictEqual(yield* gadgetCount("scoped"), 2)
          })
        )

        it.effect("10 parallel requests with one key act once; the others replay it or get 409 at once", () =>
          Effect.gen(function* () {
            const before = yield* executions
            const headers = { "idempotency-key": "parallel-1" }
            const answers = yield* Effect.all(
              Array.from({ length: 10 }, () =>
                call("POST", "/test/slow", { body: { name: "parallel" }, headers })
              ),
              { concurrency: "unbounded" }
            )
            assert.strictEqual((yield* executions) - before, 1)
            assert.strictEqual(yield* gadgetCount("parallel"), 1)
            const created = answers.filter((a) => a.status === 200)
            const busy = answers.filter((a) => a.status === 409)
            assert.strictEqual(created.length + busy.length, 10)
            assert.isTrue(busy.every((a) => code(a) === "idempotency_in_progress"))
            assert.isTrue(created.every((a) => a.text === created[0]!.text))
            const later = yield* call("POST", "/test/slow", { body: { name: "parallel" }, headers })
            assert.strictEqual(later.text, created[0]?.text ?? later.text)
            assert.strictEqual(later.headers.get("idempotency-replayed"), "true")
          })
        )

        it.effect("a 5xx is not kept: a retry with the same key runs again", () =>
          Effect.gen(function* () {
            const headers = { "idempotency-key": "flaky-1" }
            const name = `flaky-${store.name}`
            const failed = yield* call("POST", "/test/flaky", { body: { name }, headers })
            assert.strictEqual(failed.status, 500)
            const retried = yield* call("POST", "/test/flaky", { body: { name }, headers })
            assert.strictEqual(retried.status, 200)
            assert.isNull(retried.headers.get("idempotency-replayed"))
            assert.strictEqual(yield* gadgetCount(name), 1)
          })
        )

        it.effect("a 4xx is kept and replayed without acting again", () =>
          Effect.gen(function* () {
            const before = yield* executions
            const headers = { "idempotency-key": "taken-1" }
            const first = yield* call("POST", "/test/gadgets", { body: { name: "taken" }, headers })
            const second = yield* call("POST", "/test/gadgets", { body: { name: "taken" }, headers })
            assert.strictEqual(first.status, 409)
            assert.strictEqual(code(first), "already_exists")
            assert.strictEqual(second.status, 409)
            assert.strictEqual(second.text, first.text)
            assert.strictEqual(second.headers.get("idempotency-replayed"), "true")
            assert.strictEqual((yield* executions) - before, 1)
          })
        )

        it.effect("a malformed key is a validation failure", () =>
          Effect.gen(function* () {
            const answer = yield* call("POST", "/test/gadgets", {
              body: { name: "x" },
              headers: { "idempotency-key": "k".repeat(256) }
            })
            assert.strictEqual(answer.status, 400)
            assert.strictEqual(code(answer), "validation_failed")
          })
        )
      }
    )

    layer(serverOn(store), { timeout: 60_000, excludeTestServices: true })(
      "If-Match and ETag over HTTP",
      (it) => {
        const create = (name: string) =>
          Effect.map(
            call("POST", "/test/gadgets", {
              body: { name },
              headers: { "idempotency-key": `create-${name}` }
            }),
            (answer) => JSON.parse(answer.text) as Gadget
          )

        it.effect("GET answers the ETag of the version, and 304 to a client that has it", () =>
          Effect.gen(function* () {
            const gadget = yield* create("etag")
            const got = yield* call("GET", `/test/gadgets/${gadget.id}`)
            assert.strictEqual(got.headers.get("etag"), '"1"')
            const cached = yield* call("GET", `/test/gadgets/${gadget.id}`, {
              headers: { "if-none-match": '"1"' }
            })
            assert.strictEqual(cached.status, 304)
            assert.strictEqual(cached.text, "")
            assert.strictEqual(cached.headers.get("etag"), '"1"')
            const stale = yield* call("GET", `/test/gadgets/${gadget.id}`, {
              headers: { "if-none-match": '"0"' }
            })
            assert.strictEqual(stale.status, 200)
          })
        )

        it.effect(
          "PATCH without If-Match is 428, with a stale one 412, with the current one 200 and a new ETag",
          () =>
            Effect.gen(function* () {
              const gadget = yield* create("patch")
              const path = `/test/gadgets/${gadget.id}`
              const missing = yield* call("PATCH", path, { body: { name: "a" } })
              assert.strictEqual(missing.status, 428)
              assert.strictEqual(code(missing), "precondition_required")
              const stale = yield* call("PATCH", path, {
                body: { name: "a" },
                headers: { "if-match": '"7"' }
              })
              assert.strictEqual(stale.status, 412)
              assert.strictEqual(code(stale), "precondition_failed")
              const ok = yield* call("PATCH", path, { body: { name: "a" }, headers: { "if-match": '"1"' } })
              assert.strictEqual(ok.status, 200)
              assert.strictEqual(ok.headers.get("etag"), '"2"')
              assert.strictEqual((JSON.parse(ok.text) as Gadget).version, 2)
            })
        )

        it.effect(
          "12 parallel PATCHes with one ETag: exactly one 200 and eleven 412s; the version rose by one",
          () =>
            Effect.gen(function* () {
              const gadget = yield* create("race")
              const path = `/test/gadgets/${gadget.id}`
              const answers = yield* Effect.all(
                Array.from({ length: 12 }, (_, i) =>
                  call("PATCH", path, { body: { name: `writer-${i}` }, headers: { "if-match": '"1"' } })
                ),
                { concurrency: "unbounded" }
              )
              assert.deepStrictEqual(answers.map((a) => a.status).sort(), [
                200,
                ...Array.from({ length: 11 }, () => 412)
              ])
              const after = yield* call("GET", path)
              assert.strictEqual((JSON.parse(after.text) as Gadget).version, 2)
            })
        )

        it.effect("another org's id is not found", () =>
          Effect.gen(function* () {
            const gadget = yield* create("mine")
            const base = yield* BaseUrl
            const response = yield* Effect.promise(() =>
              fetch(`${base}/test/gadgets/${gadget.id}`, {
                headers: { "x-test-org": "018f0000-0000-7000-8000-00000000a999", "x-test-account": account }
              })
            )
            assert.strictEqual(response.status, 404)
          })
        )
      }
    )
  })
}

const listOrg = "018f0000-0000-7000-8000-00000000a777"

const listPage = (query: string) =>
  Effect.gen(function* () {
    const base = yield* BaseUrl
    const response = yield* Effect.promise(() =>
      fetch(`${base}/test/gadgets?${query}`, {
        headers: { "x-test-org": listOrg, "x-test-account": account }
      })
    )
    return {
      status: response.status,
      body: (yield* Effect.promise(() => response.json())) as Record<string, unknown>
    }
  })

describe("lists over HTTP", () => {
  layer(serverOn(Stores.stores()[0]!), { timeout: 60_000, excludeTestServices: true })("", (it) => {
    it.effect("cursor pages over 27 rows return each exactly once, sorted by name then id", () =>
      Effect.gen(function* () {
        const names = ["alpha", "beta", "gamma"]
        for (let i = 0; i < 27; i++) {
          const base = yield* BaseUrl
          yield* Effect.promise(() =>
            fetch(`${base}/test/gadgets`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                "x-test-org": listOrg,
                "x-test-account": account,
                "idempotency-key": `list-${i}`
              },
              body: JSON.stringify({ name: names[i % 3] })
            })
          )
        }
        for (const sort of ["name", "-name", "createdAt", "-createdAt"]) {
          const seen: Array<Gadget> = []
          let cursor: string | null = null
          do {
            const answer = yield* listPage(
              `limit=4&sort=${sort}${cursor === null ? "" : `&cursor=${cursor}`}`
            )
            assert.strictEqual(answer.status, 200)
            seen.push(...(answer.body.items as Array<Gadget>))
            cursor = answer.body.nextCursor as string | null
          } while (cursor !== null)
          assert.strictEqual(seen.length, 27, sort)
          assert.strictEqual(new Set(seen.map((g) => g.id)).size, 27, sort)
          if (sort === "name")
            assert.deepStrictEqual(
              seen.map((g) => g.name),
              [...seen.map((g) => g.name)].sort()
            )
        }
      })
    )

    it.effect("enum filters take comma-separated values; unknown values and bad limits are refused", () =>
      Effect.gen(function* () {
        const filtered = yield* listPage("name=alpha,gamma&limit=100")
        assert.strictEqual(filtered.status, 200)
        const items = filtered.body.items as Array<Gadget>
        assert.isTrue(items.length > 0 && items.every((g) => g.name === "alpha" || g.name === "gamma"))
        for (const bad of [
          "name=delta",
          "limit=0",
          "limit=101",
          "limit=ten",
          "sort=password",
          "cursor=%21%21",
          "from=yesterday"
        ]) {
          const answer = yield* listPage(bad)
          assert.strictEqual(answer.status, 400, bad)
          assert.strictEqual(answer.body.code, "validation_failed", bad)
        }
      })
    )

    it.effect("from/to select rows created in [from, to)", () =>
      Effect.gen(function* () {
        const future = yield* listPage("from=2999-01-01T00:00:00Z")
        assert.deepStrictEqual(future.body.items, [])
        const past = yield* listPage("to=2000-01-01T00:00:00Z")
        assert.deepStrictEqual(past.body.items, [])
        const all = yield* listPage("from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z&limit=100")
        assert.isAbove((all.body.items as Array<Gadget>).length, 0)
      })
    )
  })
})
