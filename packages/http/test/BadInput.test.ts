/**
 * Hostile input is the client's mistake, never the server's: forged cursors, bodies nested to
 * blow the stack and injection-shaped query values are answered with a 400 problem naming the
 * parameter, and none of them reaches the database as an error.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Pagination } from "@rota/core"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { type Endpoint, endpoints, fill, literalsOf } from "./fixtures/Endpoints.ts"
import { type Answer, body, call, registerOwner } from "./fixtures/Http.ts"
import { createIntervention } from "./fixtures/Interventions.ts"
import { createResource } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Problem = {
  readonly code: string
  readonly errors?: ReadonlyArray<{ readonly path: ReadonlyArray<string | number> }>
}

const uuid = "018f0000-0000-7000-8000-000000000001"
const raw = (json: string) => Buffer.from(json).toString("base64url")

// Each one a way a client (or an attacker) might rewrite the opaque cursor it was given.
const tamperedCursors: ReadonlyArray<string> = [
  "!!!not-base64!!!",
  "",
  "=",
  raw("not json"),
  raw('{"a":1}'),
  raw("[]"),
  raw("[1]"),
  raw(`[1, "${uuid}", 3]`),
  raw(`[1, "not-a-uuid"]`),
  raw(`[1, "' OR 1=1 --"]`),
  raw(`[1e400, "${uuid}"]`),
  raw(`[-1e400, "${uuid}"]`),
  raw(`[1e300, "${uuid}"]`),
  raw(`[-1e20, "${uuid}"]`),
  raw(`[1.5, "${uuid}"]`),
  raw(`[9007199254740993, "${uuid}"]`),
  raw(`[true, "${uuid}"]`),
  raw(`[null, "${uuid}"]`),
  raw(`[[1], "${uuid}"]`),
  raw(`[{"a":1}, "${uuid}"]`),
  raw(`["a\\u0000b", "${uuid}"]`),
  raw(`["\\ud800", "${uuid}"]`),
  "A".repeat(513)
]

// Well-formed cursors with keys no page of Rota ended on: each list reads them as a position
// (or refuses them, if the key does not fit its sort), never as SQL.
const forgedPositions: ReadonlyArray<string> = [
  raw(`[2147483648, "${uuid}"]`),
  raw(`[-1, "${uuid}"]`),
  raw(`["2026-01-01T00:00:00Z", "${uuid}"]`),
  raw(`["${"x".repeat(330)}", "${uuid}"]`),
  Pagination.encodeCursor(["' OR 1=1; --", uuid]),
  Pagination.encodeCursor(["%_\\", uuid]),
  Pagination.encodeCursor([1_700_000_000_000_000, uuid]),
  Pagination.encodeCursor([253_402_300_700_000_000, uuid]),
  Pagination.encodeCursor([0, uuid])
]

// Strings an injection scanner sends, plus the edges of text handling.
const hostileValues: ReadonlyArray<string> = [
  "' OR '1'='1",
  "1; DROP TABLE accounts; --",
  "\\'",
  "%_\\%",
  "a\u0000b",
  "!(a & b) | c:*",
  "$1::uuid",
  "1e309",
  "99999999999999999999999",
  "2026-02-30T00:00:00Z",
  ",,,",
  "",
  "😀İı\u202e",
  "x".repeat(5000)
]

// Percent-escapes that do not decode to text (a lone surrogate, a bare `%`, overlong UTF-8).
const rawEscapes: ReadonlyArray<string> = ["%ED%A0%80", "%", "%zz", "%C0%AF"]

const keysetLists = endpoints.filter(
  (endpoint) => endpoint.method === "GET" && endpoint.query.includes("cursor")
)
const withQuery = endpoints.filter((endpoint) => endpoint.method === "GET" && endpoint.query.length > 0)

const problemOf = (answer: Answer): Problem => body<Problem>(answer)

const assertNoServerError = (answer: Answer, what: string) => {
  assert.isBelow(answer.status, 500, `${what}: ${answer.status} ${answer.text.slice(0, 300)}`)
  if (answer.status >= 400)
    assert.strictEqual(answer.headers.get("content-type"), "application/problem+json", what)
}

// Real ids for the lists under one parent, so their own cursor handling is reached.
const setUp = Effect.gen(function* () {
  const owner = yield* registerOwner("badinput")
  const resource = yield* createResource(owner)
  const intervention = yield* createIntervention(owner)
  const pathOf = (endpoint: Endpoint) =>
    fill(endpoint.path, (param) =>
      endpoint.path.startsWith("/v1/resources") ? resource.id : param === "id" ? intervention.id : uuid
    )
  return { owner, pathOf }
})

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 300_000, excludeTestServices: true })(
      "bad input",
      (it) => {
        it.effect(
          "a tampered cursor is a 400 naming cursor, on every keyset list",
          () =>
            Effect.gen(function* () {
              const { owner, pathOf } = yield* setUp
              assert.isAtLeast(keysetLists.length, 20)
              // A cursor that does not decode fails before any sort is looked at.
              const cases = keysetLists.flatMap((endpoint) =>
                tamperedCursors.map((cursor) => ({ endpoint, cursor }))
              )
              const failures = yield* Effect.forEach(
                cases,
                ({ endpoint, cursor }) =>
                  Effect.gen(function* () {
                    const target = `${pathOf(endpoint)}?${new URLSearchParams({ cursor })}`
                    const answer = yield* call("GET", target, { token: owner.token, orgId: owner.orgId })
                    const problem = problemOf(answer)
                    const named = (problem.errors ?? []).some(
                      (error) => error.path[0] === "query" && error.path[1] === "cursor"
                    )
                    return answer.status === 400 && problem.code === "validation_failed" && named
                      ? []
                      : [`${target}: ${answer.status} ${answer.text.slice(0, 200)}`]
                  }),
                { concurrency: 8 }
              )
              assert.deepStrictEqual(failures.flat(), [])
            }),
          { timeout: 300_000 }
        )

        it.effect(
          "a well-formed cursor at a position no page ended on is read or refused, never a crash",
          () =>
            Effect.gen(function* () {
              const { owner, pathOf } = yield* setUp
              const cases = keysetLists.flatMap((endpoint) =>
                [undefined, ...literalsOf(endpoint.endpoint.query, "sort")].flatMap((sort) =>
                  forgedPositions.map((cursor) => ({ endpoint, sort, cursor }))
                )
              )
              const failures = yield* Effect.forEach(
                cases,
                ({ endpoint, sort, cursor }) =>
                  Effect.gen(function* () {
                    const query = new URLSearchParams({ cursor, ...(sort === undefined ? {} : { sort }) })
                    const target = `${pathOf(endpoint)}?${query}`
                    const answer = yield* call("GET", target, { token: owner.token, orgId: owner.orgId })
                    return answer.status === 200 || answer.status === 400
                      ? []
                      : [`${target}: ${answer.status} ${answer.text.slice(0, 200)}`]
                  }),
                { concurrency: 8 }
              )
              assert.deepStrictEqual(failures.flat(), [])
            }),
          { timeout: 300_000 }
        )

        it.effect("a cursor the server issued still reads on every keyset list", () =>
          Effect.gen(function* () {
            const { owner, pathOf } = yield* setUp
            for (const endpoint of keysetLists) {
              const first = yield* call("GET", `${pathOf(endpoint)}?limit=1`, {
                token: owner.token,
                orgId: owner.orgId
              })
              assert.strictEqual(first.status, 200, `${endpoint.path}: ${first.text}`)
              const next = body<{ nextCursor: string | null }>(first).nextCursor
              if (next === null) continue
              const second = yield* call("GET", `${pathOf(endpoint)}?limit=1&cursor=${next}`, {
                token: owner.token,
                orgId: owner.orgId
              })
              assert.strictEqual(second.status, 200, `${endpoint.path}: ${second.text}`)
            }
          })
        )

        it.effect("a deeply nested body with an Idempotency-Key is refused, not a crash", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("nested")
            const { url } = yield* TestServer.TestServer
            const send = (text: string, idempotent = true) =>
              Effect.promise(async () => {
                const response = await fetch(`${url}/v1/sites`, {
                  method: "POST",
                  headers: {
                    authorization: `Bearer ${owner.token}`,
                    "x-org-id": owner.orgId,
                    "content-type": "application/json",
                    ...(idempotent ? { "idempotency-key": `nested-${Math.random()}` } : {})
                  },
                  body: text
                })
                const problem = JSON.parse(await response.text()) as Problem
                return { status: response.status, type: response.headers.get("content-type"), problem }
              })
            const deep = (depth: number, inner: string) =>
              `{"name":${"[".repeat(depth)}${inner}${"]".repeat(depth)}}`
            for (const text of [
              deep(200_000, "1"),
              deep(200_000, '"\\u0041"'),
              `{"name":"Hall","x":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`
            ]) {
              const answer = yield* send(text)
              assert.strictEqual(answer.status, 400)
              assert.strictEqual(answer.type, "application/problem+json")
              assert.strictEqual(answer.problem.code, "validation_failed")
              assert.deepStrictEqual(
                answer.problem.errors?.map((error) => error.path),
                [["body"]]
              )
            }
            // Nesting within the limit is read as usual: here, a wrong type for `name`.
            const shallow = yield* send(deep(10, "1"), false)
            assert.strictEqual(shallow.status, 400)
            assert.deepStrictEqual(
              shallow.problem.errors?.map((error) => error.path),
              [["body", "name"]]
            )
          })
        )

        it.effect(
          "injection-shaped query values never reach the database as errors",
          () =>
            Effect.gen(function* () {
              const { owner, pathOf } = yield* setUp
              // Each parameter gets a rotating handful of the values, so every value meets many
              // parameters of every kind without sending every pair.
              const values = [
                ...hostileValues.map((value) => new URLSearchParams({ v: value }).toString().slice(2)),
                ...rawEscapes
              ]
              const cases = withQuery
                .flatMap((endpoint) => endpoint.query.map((name) => ({ endpoint, name })))
                .flatMap(({ endpoint, name }, index) =>
                  Array.from({ length: 6 }, (_, offset) => ({
                    endpoint,
                    name,
                    query: `${name}=${values[(index * 6 + offset) % values.length]}`
                  }))
                )
              const failures = yield* Effect.forEach(
                cases,
                ({ endpoint, name, query }) =>
                  Effect.gen(function* () {
                    // The conflicts view needs one subject; the parameter under test is the only bad one.
                    const subject =
                      endpoint.path === "/v1/conflicts" &&
                      name !== "accountId" &&
                      name !== "personId" &&
                      name !== "unitId"
                        ? `accountId=${owner.accountId}&`
                        : ""
                    const target = `${pathOf(endpoint)}?${subject}${query}`
                    const answer = yield* call("GET", target, { token: owner.token, orgId: owner.orgId })
                    if (answer.status >= 500)
                      return [`${target}: ${answer.status} ${answer.text.slice(0, 200)}`]
                    assertNoServerError(answer, target)
                    if (answer.status !== 400) return []
                    // A refusal names the parameter it refuses.
                    const named = (problemOf(answer).errors ?? []).some(
                      (error) => error.path[0] === "query" && error.path[1] === name
                    )
                    return named
                      ? []
                      : [`${target}: 400 without naming ${name}: ${answer.text.slice(0, 200)}`]
                  }),
                { concurrency: 8 }
              )
              assert.deepStrictEqual(failures.flat(), [])
            }),
          { timeout: 300_000 }
        )
      }
    )
  })
}
