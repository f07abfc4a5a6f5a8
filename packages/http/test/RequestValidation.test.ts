import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { IdempotencyRequired } from "../src/api.ts"
import { TestServer } from "../src/testing.ts"
import { at, bookingOf, resourceWithUnits } from "./fixtures/Bookings.ts"
import { type Answer, body, call, freshPerson, registerOwner } from "./fixtures/Http.ts"
import { routes, takesJson, withUnknownIds } from "./fixtures/Routes.ts"
import * as Stores from "./fixtures/Stores.ts"

interface Problem {
  readonly code: string
  readonly errors?: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>
}

const bodyRoutes = routes.filter((route) => route.endpoint.method !== "GET" && takesJson(route.endpoint))

const requiresKey = (route: (typeof routes)[number]) =>
  [...route.endpoint.middlewares].some((middleware) => middleware.key === IdempotencyRequired.key)

// A request decoding failure names the fields it is about, however the request reached the
// decoder: that is what lets a client show the error next to the right input.
const namesTheField = (answer: Answer, field: string) => {
  const problem = body<Problem>(answer)
  return (
    answer.status === 400 &&
    problem.code === "validation_failed" &&
    (problem.errors ?? []).some(
      (issue) => issue.path.join(".") === `body.${field}` && issue.message.length > 0
    )
  )
}

// A raw request: fetch sets no Content-Type for a byte body, and the test sets exactly the
// headers it names.
const send = (method: string, path: string, headers: Record<string, string>, bytes?: string) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const response = yield* Effect.promise(() =>
      fetch(`${url}${path}`, {
        method,
        headers,
        ...(bytes === undefined ? {} : { body: new TextEncoder().encode(bytes) })
      })
    )
    const text = yield* Effect.promise(() => response.text())
    return { status: response.status, headers: response.headers, text, json: JSON.parse(text || "null") }
  })

const assertUnsupportedMediaType = (answer: Answer) => {
  assert.strictEqual(answer.status, 415, answer.text)
  assert.strictEqual(answer.headers.get("content-type"), "application/problem+json")
  const problem = body<Problem & { status: number; requestId: string }>(answer)
  assert.strictEqual(problem.code, "unsupported_media_type")
  assert.strictEqual(problem.requestId, answer.headers.get("x-request-id"))
}

for (const store of Stores.stores()) {
  describe(store.name, () => {
    // Throttles on: a throttled route renders its own answers, the path that lost field paths.
    layer(TestServer.layer(store.layer, { rateLimitAuth: 100_000, rateLimitApi: 100_000 }), {
      timeout: 120_000,
      excludeTestServices: true
    })("request validation", (it) => {
      it.effect(
        "every 400 validation problem lists its field paths, with or without Idempotency-Key, on every route",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const wrong: Array<string> = []
            let checked = 0
            for (const route of bodyRoutes) {
              for (const key of [undefined, `fields-${checked}`]) {
                if (key === undefined && requiresKey(route)) continue
                const answer = yield* call(route.endpoint.method, withUnknownIds(route.endpoint.path), {
                  token: owner.token,
                  orgId: owner.orgId,
                  headers: key === undefined ? {} : { "idempotency-key": key },
                  body: { notAField: true }
                })
                checked++
                if (!namesTheField(answer, "notAField"))
                  wrong.push(`${route.name} (key: ${key !== undefined}): ${answer.status} ${answer.text}`)
              }
            }
            assert.isAbove(checked, 40)
            assert.deepStrictEqual(wrong, [])
          })
      )

      it.effect("a login with an empty login name names the field", () =>
        Effect.gen(function* () {
          const answer = yield* call("POST", "/v1/auth/login", { body: { login: "", password: "x" } })
          assert.isTrue(namesTheField(answer, "login"), answer.text)
        })
      )

      it.effect("a login name PostgreSQL cannot store is a 400, not a crash of the sign-in throttle", () =>
        Effect.gen(function* () {
          const answer = yield* call("POST", "/v1/auth/login", { body: { login: "\u0000", password: "x" } })
          assert.strictEqual(answer.status, 400, answer.text)
          assert.strictEqual(body<Problem>(answer).code, "validation_failed")
        })
      )

      it.effect("a validation problem kept for an Idempotency-Key is replayed with its field paths", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const send = () =>
            call("POST", "/v1/sites", {
              token: owner.token,
              orgId: owner.orgId,
              headers: { "idempotency-key": "replayed-validation" },
              body: { name: 42 }
            })
          const first = yield* send()
          const again = yield* send()
          assert.isTrue(namesTheField(first, "name"), first.text)
          assert.strictEqual(again.headers.get("idempotency-replayed"), "true")
          assert.deepStrictEqual(body<Problem>(again).errors, body<Problem>(first).errors)
        })
      )

      it.effect("a body of an unsupported or missing Content-Type is refused with a 415 problem", () =>
        Effect.gen(function* () {
          const person = freshPerson("media")
          const credentials = JSON.stringify({ login: person.username, password: person.password })
          for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
            assertUnsupportedMediaType(
              yield* send("POST", "/v1/auth/login", { "content-type": contentType }, credentials)
            )
          }
          assertUnsupportedMediaType(yield* send("POST", "/v1/auth/login", {}, credentials))
          const owner = yield* registerOwner()
          const tenant = { authorization: `Bearer ${owner.token}`, "x-org-id": owner.orgId }
          assertUnsupportedMediaType(
            yield* send("POST", "/v1/sites", tenant, JSON.stringify({ name: "Depot" }))
          )
        })
      )

      it.effect("a request without a body needs no Content-Type", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const { unitIds } = yield* resourceWithUnits(owner, 1)
          const created = yield* call("POST", "/v1/bookings", {
            token: owner.token,
            orgId: owner.orgId,
            headers: { "idempotency-key": `no-body-${owner.orgId}` },
            body: { purpose: "Shoot", startAt: at(1), endAt: at(2), items: [{ unitId: unitIds[0] }] }
          })
          const booking = bookingOf(created)
          const approved = yield* send("POST", `/v1/bookings/${booking.id}/cancel`, {
            authorization: `Bearer ${owner.token}`,
            "x-org-id": owner.orgId,
            "if-match": `"${booking.version}"`
          })
          assert.strictEqual(approved.status, 200, approved.text)
          assert.strictEqual(body<{ status: string }>(approved).status, "CANCELLED")
        })
      )
    })
  })
}
