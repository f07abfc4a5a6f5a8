import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { body, call } from "./fixtures/Http.ts"
import { routes, withUnknownIds } from "./fixtures/Routes.ts"
import * as Stores from "./fixtures/Stores.ts"

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
const origin = "https://app.example.test"

// The methods each concrete path answers, worked out from the route patterns.
const patterns = routes.map((route) => ({
  method: route.endpoint.method,
  matches: new RegExp(`^${route.endpoint.path.replace(/:\w+/g, "[^/]+")}$`)
}))
const paths = [...new Set(routes.map((route) => withUnknownIds(route.endpoint.path)))]
const methodsOf = (path: string) =>
  new Set<string>(patterns.filter((pattern) => pattern.matches.test(path)).map((pattern) => pattern.method))

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer, { corsOrigins: [origin] }), {
      timeout: 120_000,
      excludeTestServices: true
    })("allowed methods", (it) => {
      it.effect("a path that exists for other methods answers 405 with Allow listing them", () =>
        Effect.gen(function* () {
          const wrong: Array<string> = []
          let checked = 0
          for (const path of paths) {
            const allowed = methodsOf(path)
            const expected = [...allowed, ...(allowed.has("GET") ? ["HEAD"] : [])].sort()
            for (const method of methods.filter((candidate) => !allowed.has(candidate))) {
              const answer = yield* call(method, path)
              checked++
              const problem = body<{ code?: string; status?: number }>(answer)
              const allow = (answer.headers.get("allow") ?? "").split(", ").sort()
              if (
                answer.status !== 405 ||
                answer.headers.get("content-type") !== "application/problem+json" ||
                problem.code !== "method_not_allowed" ||
                problem.status !== 405 ||
                allow.join(",") !== expected.join(",")
              )
                wrong.push(`${method} ${path}: ${answer.status} allow=${allow} ${answer.text.slice(0, 100)}`)
            }
          }
          assert.isAbove(checked, 100)
          assert.deepStrictEqual(wrong, [])
        })
      )

      it.effect("an unknown path stays 404, whatever the method", () =>
        Effect.gen(function* () {
          for (const method of methods) {
            const answer = yield* call(method, "/v1/nothing-here")
            assert.strictEqual(answer.status, 404, `${method}: ${answer.text}`)
            assert.strictEqual(body<{ code: string }>(answer).code, "not_found")
            assert.isNull(answer.headers.get("allow"))
          }
        })
      )

      it.effect("HEAD of a GET route and CORS preflight keep working", () =>
        Effect.gen(function* () {
          assert.strictEqual((yield* call("HEAD", "/health")).status, 200)
          const preflight = yield* call("OPTIONS", "/v1/sites", {
            headers: {
              origin,
              "access-control-request-method": "POST",
              "access-control-request-headers": "authorization, content-type"
            }
          })
          assert.strictEqual(preflight.status, 204, preflight.text)
          assert.strictEqual(preflight.headers.get("access-control-allow-origin"), origin)
        })
      )
    })
  })
}
