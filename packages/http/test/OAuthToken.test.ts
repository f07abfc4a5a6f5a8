import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { type Answer, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

// `POST /v1/auth/token` as OAuth2 tools call it: form-encoded, no JSON.
const token = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const response = yield* Effect.promise(() =>
      fetch(`${url}/v1/auth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(fields).toString()
      })
    )
    const text = yield* Effect.promise(() => response.text())
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: text.length > 0 ? JSON.parse(text) : undefined
    } satisfies Answer
  })

const oauthError = (answer: Answer) => {
  assert.strictEqual(answer.status, 400, answer.text)
  assert.match(answer.headers.get("content-type") ?? "", /json/)
  const problem = body<{ error: string; error_description: string; code: string; requestId: string }>(answer)
  assert.strictEqual(problem.code, problem.error)
  assert.isAbove(problem.error_description.length, 0)
  assert.isAbove(problem.requestId.length, 0)
  return problem.error
}

describe("OAuth2 password grant", () => {
  layer(TestServer.layer(Stores.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
    "",
    (it) => {
      it.effect("answers the OAuth2 token response, whose access token authenticates", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner("oauth")
          const answer = yield* token({
            grant_type: "password",
            username: owner.username,
            password: owner.password,
            scope: "",
            client_id: "some-tool"
          })
          assert.strictEqual(answer.status, 200, answer.text)
          const tokens = body<Record<string, unknown>>(answer)
          assert.deepStrictEqual(Object.keys(tokens).sort(), [
            "access_token",
            "expires_in",
            "refresh_token",
            "token_type"
          ])
          assert.strictEqual(tokens.token_type, "Bearer")
          assert.isAbove(tokens.expires_in as number, 0)
          const me = yield* call("GET", "/v1/auth/me", { token: tokens.access_token as string })
          assert.strictEqual(me.status, 200)
          assert.strictEqual(body<{ account: { id: string } }>(me).account.id, owner.accountId)
          // The refresh token is a real one: the JSON refresh route takes it.
          const refreshed = yield* call("POST", "/v1/auth/refresh", {
            body: { refreshToken: tokens.refresh_token }
          })
          assert.strictEqual(refreshed.status, 200)
          // The email signs in as well as the username, as on the JSON login.
          const byEmail = yield* token({
            grant_type: "password",
            username: owner.email,
            password: owner.password
          })
          assert.strictEqual(byEmail.status, 200)
        })
      )

      it.effect("answers RFC 6749 errors: invalid_grant, unsupported_grant_type, invalid_request", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner("oauth")
          assert.strictEqual(
            oauthError(
              yield* token({ grant_type: "password", username: owner.username, password: "Wrong-1" })
            ),
            "invalid_grant"
          )
          assert.strictEqual(
            oauthError(
              yield* token({ grant_type: "password", username: "nobody-here", password: "Wrong-1" })
            ),
            "invalid_grant"
          )
          assert.strictEqual(
            oauthError(yield* token({ grant_type: "client_credentials", client_id: "x" })),
            "unsupported_grant_type"
          )
          assert.strictEqual(
            oauthError(yield* token({ grant_type: "password", username: owner.username })),
            "invalid_request"
          )
          assert.strictEqual(
            oauthError(yield* token({ grant_type: "password", username: " ", password: "x" })),
            "invalid_request"
          )
        })
      )

      it.effect("refuses a JSON body and unknown fields with a problem, never a 500", () =>
        Effect.gen(function* () {
          const json = yield* call("POST", "/v1/auth/token", {
            body: { grant_type: "password", username: "a", password: "b" }
          })
          assert.oneOf(json.status, [400, 415])
          assert.match(json.headers.get("content-type") ?? "", /problem\+json/)
          const extra = yield* token({ grant_type: "password", username: "a", password: "b", role: "owner" })
          assert.strictEqual(extra.status, 400)
          assert.strictEqual(body<{ code: string }>(extra).code, "validation_failed")
        })
      )
    }
  )

  // Behind a trusted proxy, so each attempt can come from another address: only the per-account
  // counter can refuse it.
  layer(
    TestServer.layer(Stores.stores()[0]!.layer, {
      rateLimitAuth: 3,
      trustedProxies: ["127.0.0.1/32", "::1/128"]
    }),
    { timeout: 60_000, excludeTestServices: true }
  )("throttled like the JSON login", (it) => {
    let addresses = 0
    const from = () => ({ "x-forwarded-for": `198.51.100.${++addresses}` })

    it.effect("failed grants and failed JSON logins share the account's counter", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner("oauth", from())
        const wrong = { grant_type: "password", username: owner.username, password: "Wrong-Password-1" }
        // Only wrong passwords spend the counter: malformed requests naming the account do not.
        for (let i = 0; i < 4; i++) {
          assert.strictEqual(
            (yield* token({ grant_type: "password", username: owner.username }, from())).status,
            400
          )
        }
        assert.strictEqual((yield* token({ ...wrong, password: owner.password }, from())).status, 200)
        assert.strictEqual((yield* token(wrong, from())).status, 400)
        const json = yield* call("POST", "/v1/auth/login", {
          body: { login: owner.email, password: "Wrong-Password-2" },
          headers: from()
        })
        assert.strictEqual(json.status, 401)
        assert.strictEqual((yield* token(wrong, from())).status, 400)
        const locked = yield* token({ ...wrong, password: owner.password }, from())
        assert.strictEqual(locked.status, 429, locked.text)
        assert.strictEqual(body<{ code: string }>(locked).code, "rate_limited")
        assert.isAbove(Number(locked.headers.get("retry-after")), 0)
        // The JSON login is locked out too: one counter per account.
        const jsonLocked = yield* call("POST", "/v1/auth/login", {
          body: { login: owner.username, password: owner.password },
          headers: from()
        })
        assert.strictEqual(jsonLocked.status, 429)
      })
    )
  })
})
