import { assert, describe, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as SecurityEvents from "../src/server/edge/SecurityEvents.ts"
import { TestServer } from "../src/testing.ts"
import { type Answer, addMember, call, freshPerson, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

type Line = Record<string, unknown>

// The lines of one request: its access log line and its security event, if any.
const linesOf = (lines: ReadonlyArray<string>, answer: Answer): ReadonlyArray<Line> =>
  lines
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Line)
    .filter((line) => line.requestId === answer.headers.get("x-request-id"))

const eventOf = (lines: ReadonlyArray<string>, answer: Answer): Line | undefined =>
  linesOf(lines, answer).find((line) => line.msg === "security event")

const assertNoSecret = (lines: ReadonlyArray<string>, ...secrets: ReadonlyArray<string>) => {
  const log = lines.join("\n")
  for (const secret of secrets) assert.notInclude(log, secret)
}

describe("security event reasons", () => {
  it("credentials refused at login, a reused refresh token and other refused tokens are told apart", () => {
    assert.deepStrictEqual(SecurityEvents.unauthenticated("wrong password"), {
      event: "security.login_failed",
      reason: "wrong_password"
    })
    assert.strictEqual(SecurityEvents.unauthenticated("unknown login").event, "security.login_failed")
    assert.deepStrictEqual(SecurityEvents.unauthenticated("refresh token reuse"), {
      event: "security.refresh_reuse",
      reason: "refresh_token_reuse"
    })
    assert.strictEqual(SecurityEvents.unauthenticated("session ended").event, "security.token_refused")
  })

  it("an anonymous 401 is not an event; every 403 and 429 is", () => {
    assert.isUndefined(SecurityEvents.refusalOf(401, undefined))
    assert.strictEqual(SecurityEvents.refusalOf(403, undefined)?.event, "security.access_denied")
    assert.strictEqual(SecurityEvents.refusalOf(429, undefined)?.event, "security.rate_limited")
    assert.isUndefined(SecurityEvents.refusalOf(404, undefined))
  })
})

for (const store of Stores.stores()) {
  describe(store.name, () => {
    const lines: Array<string> = []
    layer(TestServer.layer(store.layer, { accessLog: true }, { logLines: lines }), {
      timeout: 120_000,
      excludeTestServices: true
    })("security events", (it) => {
      it.effect(
        "a failed login is a WARN security event with its reason, and holds no password or login name",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const wrongPassword = "Not-The-Password-123"
            const wrong = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.username, password: wrongPassword }
            })
            assert.strictEqual(wrong.status, 401)
            const stranger = freshPerson("stranger")
            const unknown = yield* call("POST", "/v1/auth/login", {
              body: { login: stranger.email, password: stranger.password }
            })
            assert.strictEqual(unknown.status, 401)
            const wrongEvent = eventOf(lines, wrong)
            const unknownEvent = eventOf(lines, unknown)
            assert.include(wrongEvent, {
              level: "WARN",
              event: "security.login_failed",
              reason: "wrong_password"
            })
            assert.include(unknownEvent, { event: "security.login_failed", reason: "unknown_login" })
            assert.isString(wrongEvent?.ip)
            // The same name always gives the same digest, so attempts can be counted.
            assert.strictEqual(wrongEvent?.loginDigest, SecurityEvents.loginDigest(owner.username))
            assertNoSecret(
              lines,
              wrongPassword,
              owner.password,
              stranger.password,
              stranger.email,
              owner.username
            )
          })
      )

      it.effect("a refused token and a denied access are security events naming the account and org", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const member = yield* addMember(owner, "member")
          const forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature"
          const refused = yield* call("GET", "/v1/auth/me", { token: forged })
          assert.strictEqual(refused.status, 401)
          assert.include(eventOf(lines, refused), {
            event: "security.token_refused",
            reason: "token_invalid"
          })

          const denied = yield* call("POST", "/v1/sites", {
            token: member.token,
            orgId: owner.orgId,
            body: { name: "Depot" }
          })
          assert.strictEqual(denied.status, 403)
          assert.include(eventOf(lines, denied), {
            event: "security.access_denied",
            reason: "missing_permission",
            permission: "inventory.write",
            accountId: member.accountId,
            orgId: owner.orgId
          })

          const outsider = yield* registerOwner("outsider")
          const notMember = yield* call("GET", "/v1/org", { token: outsider.token, orgId: owner.orgId })
          assert.strictEqual(notMember.status, 403)
          assert.include(eventOf(lines, notMember), {
            event: "security.access_denied",
            reason: "not_a_member",
            accountId: outsider.accountId,
            orgId: owner.orgId
          })
          assertNoSecret(lines, forged, member.token, outsider.token, member.refreshToken)
        })
      )

      it.effect("the access log names the account and org of an authenticated request, not its token", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const answer = yield* call("GET", "/v1/org", { token: owner.token, orgId: owner.orgId })
          assert.strictEqual(answer.status, 200)
          const access = linesOf(lines, answer).find((line) => line.msg === "request")
          assert.include(access, { status: 200, accountId: owner.accountId, orgId: owner.orgId })
          assert.isUndefined(eventOf(lines, answer))
          const anonymous = yield* call("GET", "/health")
          const anonymousLine = linesOf(lines, anonymous).find((line) => line.msg === "request")
          assert.isDefined(anonymousLine)
          assert.notProperty(anonymousLine, "accountId")
          assertNoSecret(lines, owner.token, owner.refreshToken, owner.password)
        })
      )
    })

    const throttled: Array<string> = []
    layer(TestServer.layer(store.layer, { rateLimitAuth: 2 }, { logLines: throttled }), {
      timeout: 120_000,
      excludeTestServices: true
    })("security events under throttling", (it) => {
      it.effect("a request refused by a rate limit is a security event", () =>
        Effect.gen(function* () {
          const person = freshPerson("throttled")
          let answer: Answer | undefined
          for (let attempt = 0; attempt < 4 && answer?.status !== 429; attempt++) {
            answer = yield* call("POST", "/v1/auth/login", {
              body: { login: person.username, password: "wrong-1" }
            })
          }
          assert.strictEqual(answer?.status, 429)
          const event = eventOf(throttled, answer!)
          assert.strictEqual(event?.event, "security.rate_limited")
          assert.match(String(event?.reason), /^(ip|login)_limit$/)
          assertNoSecret(throttled, person.username, "wrong-1")
        })
      )
    })
  })
}
