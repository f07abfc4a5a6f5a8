import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as jose from "jose"
import { DemoData } from "../src/index.ts"
import { Mailbox, TestServer } from "../src/testing.ts"
import { addMember, body, call, freshPerson, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

const me = (token: string) => call("GET", "/v1/auth/me", { token })
const code = (answer: { readonly json: unknown }) => (answer.json as { code?: string } | undefined)?.code

const TokenBody = Schema.Struct({
  accessToken: Schema.String,
  refreshToken: Schema.String,
  tokenType: Schema.Literal("Bearer"),
  expiresIn: Schema.Number
})
const tokens = (answer: { readonly json: unknown }) => Schema.decodeUnknownSync(TokenBody)(answer.json)

const resetTokenFor = (email: string) => Mailbox.latestToken(email, "auth.password_reset_requested")

for (const store of Stores.everyStore()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 60_000, excludeTestServices: true })(
      "authentication",
      (it) => {
        it.effect("register creates an account and an org with the caller as owner", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const answer = yield* me(owner.token)
            assert.strictEqual(answer.status, 200)
            const mine = body<{
              account: { username: string }
              memberships: Array<{ orgId: string; role: string }>
            }>(answer)
            assert.strictEqual(mine.account.username, owner.username)
            assert.deepStrictEqual(
              mine.memberships.map((m) => [m.orgId, m.role]),
              [[owner.orgId, "owner"]]
            )
          })
        )

        it.effect("two organisations may share a name: the second gets its own slug", () =>
          Effect.gen(function* () {
            const orgName = `Same Name ${Math.random().toString(36).slice(2, 8)}`
            const slugs: Array<string> = []
            for (const prefix of ["first", "second"]) {
              const person = freshPerson(prefix)
              const answer = yield* call("POST", "/v1/auth/register", { body: { ...person, orgName } })
              assert.strictEqual(answer.status, 201, answer.text)
              slugs.push(body<{ org: { slug: string } }>(answer).org.slug)
            }
            assert.notStrictEqual(slugs[0], slugs[1])
          })
        )

        it.effect("register refuses a taken email or username whatever its case", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const other = freshPerson("dup")
            const sameEmail = yield* call("POST", "/v1/auth/register", {
              body: { ...other, email: owner.email.toUpperCase(), orgName: "x" }
            })
            assert.strictEqual(sameEmail.status, 409)
            assert.strictEqual(code(sameEmail), "already_exists")
            const sameName = yield* call("POST", "/v1/auth/register", {
              body: { ...other, username: owner.username.toUpperCase(), orgName: "x" }
            })
            assert.strictEqual(sameName.status, 409)
          })
        )

        it.effect("register refuses the commonest passwords and out-of-range lengths", () =>
          Effect.gen(function* () {
            for (const password of ["password123", "short", "x".repeat(1025)]) {
              const answer = yield* call("POST", "/v1/auth/register", {
                body: { ...freshPerson("weak"), password, orgName: "x" }
              })
              assert.strictEqual(answer.status, 400, password)
              assert.strictEqual(code(answer), "validation_failed")
            }
          })
        )

        it.effect("login works by email or username in any case; the password is case-sensitive", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            for (const login of [
              owner.email.toUpperCase(),
              owner.username.toUpperCase(),
              ` ${owner.username} `
            ]) {
              const answer = yield* call("POST", "/v1/auth/login", {
                body: { login, password: owner.password }
              })
              assert.strictEqual(answer.status, 200, login)
              assert.strictEqual(tokens(answer).tokenType, "Bearer")
              assert.match(answer.headers.get("set-cookie") ?? "", /rota_refresh=.*HttpOnly.*SameSite=Strict/)
            }
            const wrongCase = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.username, password: owner.password.toUpperCase() }
            })
            assert.strictEqual(wrongCase.status, 401)
          })
        )

        it.effect("a wrong password and an unknown user get byte-identical answers", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const headers = { "x-request-id": "same-id" }
            const wrong = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.username, password: "Nope-nope-1" },
              headers
            })
            const unknown = yield* call("POST", "/v1/auth/login", {
              body: { login: "nobody-here", password: "Nope-nope-1" },
              headers
            })
            assert.strictEqual(wrong.status, 401)
            assert.strictEqual(unknown.status, 401)
            assert.strictEqual(wrong.text, unknown.text)
          })
        )

        it.effect("passwords are stored as argon2id with m=19456, t=2, p=1", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const sql = yield* SqlClient.SqlClient
            const [row] = yield* Effect.orDie(
              sql<{ password_hash: string }>`SELECT password_hash FROM accounts WHERE id = ${owner.accountId}`
            )
            assert.match(row!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
          })
        )

        it.effect("refresh rotates the token; reusing one older than the latest ends the whole session", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const first = yield* call("POST", "/v1/auth/refresh", {
              body: { refreshToken: owner.refreshToken }
            })
            assert.strictEqual(first.status, 200)
            const second = tokens(first)
            assert.notStrictEqual(second.refreshToken, owner.refreshToken)
            const next = yield* call("POST", "/v1/auth/refresh", {
              body: { refreshToken: second.refreshToken }
            })
            const rotated = tokens(next)
            // The first token's successor was rotated in turn: the first is now a stale copy, even
            // within the grace period.
            const reuse = yield* call("POST", "/v1/auth/refresh", {
              body: { refreshToken: owner.refreshToken }
            })
            assert.strictEqual(reuse.status, 401)
            // The thief's copy and the owner's new token die together, and so does the access token.
            const afterReuse = yield* call("POST", "/v1/auth/refresh", {
              body: { refreshToken: rotated.refreshToken }
            })
            assert.strictEqual(afterReuse.status, 401)
            assert.strictEqual((yield* me(rotated.accessToken)).status, 401)
          })
        )

        it.effect("parallel refreshes with one token keep the session: all get the same new pair", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const answers = yield* Effect.all(
              Array.from({ length: 5 }, () =>
                call("POST", "/v1/auth/refresh", { body: { refreshToken: owner.refreshToken } })
              ),
              { concurrency: "unbounded" }
            )
            assert.deepStrictEqual(
              answers.map((answer) => answer.status),
              [200, 200, 200, 200, 200]
            )
            const pairs = answers.map(tokens)
            assert.strictEqual(new Set(pairs.map((pair) => pair.refreshToken)).size, 1)
            assert.strictEqual(new Set(pairs.map((pair) => pair.accessToken)).size, 1)
            assert.strictEqual((yield* me(pairs[0]!.accessToken)).status, 200)
            const later = yield* call("POST", "/v1/auth/refresh", {
              body: { refreshToken: pairs[0]!.refreshToken }
            })
            assert.strictEqual(later.status, 200)
            // Neither the token nor the pair it answered is stored in clear.
            const sql = yield* SqlClient.SqlClient
            const stored = yield* Effect.orDie(
              sql<{ token_hash: string; successor_hash: string | null }>`
                SELECT token_hash, successor_hash FROM refresh_tokens`
            )
            const texts = stored.flatMap((row) => [row.token_hash, row.successor_hash ?? ""])
            assert.isFalse(texts.includes(pairs[0]!.refreshToken))
          })
        )

        it.effect("a cookie refresh needs the X-Requested-With header", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const cookie = `rota_refresh=${owner.refreshToken}`
            const bare = yield* call("POST", "/v1/auth/refresh", { body: {}, headers: { cookie } })
            assert.strictEqual(bare.status, 401)
            const guarded = yield* call("POST", "/v1/auth/refresh", {
              body: {},
              headers: { cookie, "x-requested-with": "rota" }
            })
            assert.strictEqual(guarded.status, 200)
          })
        )

        it.effect("logout takes effect at once", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            assert.strictEqual((yield* me(owner.token)).status, 200)
            const out = yield* call("POST", "/v1/auth/logout", { token: owner.token, body: {} })
            assert.strictEqual(out.status, 204)
            // The browser is told to drop its refresh cookie too.
            assert.match(out.headers.get("set-cookie") ?? "", /^rota_refresh=;.*Max-Age=0/)
            assert.strictEqual((yield* me(owner.token)).status, 401)
            const refresh = yield* call("POST", "/v1/auth/refresh", {
              body: { refreshToken: owner.refreshToken }
            })
            assert.strictEqual(refresh.status, 401)
          })
        )

        it.effect("a password change keeps the current session and ends the others", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const other = tokens(
              yield* call("POST", "/v1/auth/login", {
                body: { login: owner.username, password: owner.password }
              })
            )
            const changed = yield* call("POST", "/v1/auth/password", {
              token: owner.token,
              body: { currentPassword: owner.password, newPassword: `${owner.password}-2` }
            })
            assert.strictEqual(changed.status, 204)
            assert.strictEqual((yield* me(owner.token)).status, 200)
            assert.strictEqual((yield* me(other.accessToken)).status, 401)
            const oldLogin = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.username, password: owner.password }
            })
            assert.strictEqual(oldLogin.status, 401)
          })
        )

        it.effect(
          "password reset: the same answer for any email; the token works once and ends all sessions",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const known = yield* call("POST", "/v1/auth/password-reset/request", {
                body: { email: owner.email },
                headers: { "x-request-id": "r" }
              })
              const unknown = yield* call("POST", "/v1/auth/password-reset/request", {
                body: { email: "nobody@example.test" },
                headers: { "x-request-id": "r" }
              })
              assert.strictEqual(known.status, 202)
              assert.strictEqual(known.text, unknown.text)
              const token = yield* resetTokenFor(owner.email)
              const tampered = yield* call("POST", "/v1/auth/password-reset/confirm", {
                body: { token: `${token.slice(0, -3)}abc`, password: "Brand-New-Secret-1" }
              })
              assert.strictEqual(tampered.status, 400)
              assert.strictEqual(code(tampered), "token_invalid")
              const confirmed = yield* call("POST", "/v1/auth/password-reset/confirm", {
                body: { token, password: "Brand-New-Secret-1" }
              })
              assert.strictEqual(confirmed.status, 204)
              assert.strictEqual((yield* me(owner.token)).status, 401)
              const again = yield* call("POST", "/v1/auth/password-reset/confirm", {
                body: { token, password: "Brand-New-Secret-2" }
              })
              assert.strictEqual(again.status, 409)
              assert.strictEqual(code(again), "token_used")
              const login = yield* call("POST", "/v1/auth/login", {
                body: { login: owner.email, password: "Brand-New-Secret-1" }
              })
              assert.strictEqual(login.status, 200)
            })
        )

        it.effect("a reset token is single-use: a reset closes every other reset link of the account", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            for (let i = 0; i < 2; i++) {
              yield* call("POST", "/v1/auth/password-reset/request", { body: { email: owner.email } })
            }
            const mails = yield* Mailbox.mailTo(owner.email, "auth.password_reset_requested", 2)
            assert.strictEqual(mails.length, 2)
            const [first, second] = mails.map((mail) => mail.token)
            const confirmed = yield* call("POST", "/v1/auth/password-reset/confirm", {
              body: { token: first, password: "Brand-New-Secret-1" }
            })
            assert.strictEqual(confirmed.status, 204)
            for (const token of [first, second]) {
              const again = yield* call("POST", "/v1/auth/password-reset/confirm", {
                body: { token, password: "Brand-New-Secret-2" }
              })
              assert.strictEqual(again.status, 409)
              assert.strictEqual(code(again), "token_used")
            }
            const login = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.email, password: "Brand-New-Secret-1" }
            })
            assert.strictEqual(login.status, 200)
          })
        )

        it.effect("a password change revokes outstanding reset tokens", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            yield* call("POST", "/v1/auth/password-reset/request", { body: { email: owner.email } })
            const token = yield* resetTokenFor(owner.email)
            const changed = yield* call("POST", "/v1/auth/password", {
              token: owner.token,
              body: { currentPassword: owner.password, newPassword: `${owner.password}-2` }
            })
            assert.strictEqual(changed.status, 204)
            const late = yield* call("POST", "/v1/auth/password-reset/confirm", {
              body: { token, password: "Brand-New-Secret-1" }
            })
            assert.strictEqual(late.status, 409)
            assert.strictEqual(code(late), "token_used")
            const login = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.email, password: `${owner.password}-2` }
            })
            assert.strictEqual(login.status, 200)
          })
        )

        it.effect("forged, expired, alg:none and wrong-audience tokens are refused", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const [header, payload] = owner.token.split(".")
            const claims = JSON.parse(Buffer.from(payload!, "base64url").toString())
            const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${payload}.`
            const forgedSecret = new TextEncoder().encode("an-attacker-chosen-secret-of-32-bytes!!")
            const forged = yield* Effect.promise(() =>
              new jose.SignJWT(claims)
                .setProtectedHeader(JSON.parse(Buffer.from(header!, "base64url").toString()))
                .sign(forgedSecret)
            )
            const expired = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: 1 })).toString("base64url")}.${owner.token.split(".")[2]}`
            const wrongAudience = `${header}.${Buffer.from(JSON.stringify({ ...claims, aud: "other" })).toString("base64url")}.${owner.token.split(".")[2]}`
            for (const token of [none, forged, expired, wrongAudience, "not-a-jwt", ""]) {
              const answer = yield* me(token)
              assert.strictEqual(answer.status, 401, token)
              assert.strictEqual(code(answer), "unauthenticated")
            }
          })
        )
      }
    )

    layer(TestServer.layer(store.layer), { timeout: 60_000, excludeTestServices: true })("tenancy", (it) => {
      it.effect("X-Org-Id is required (400 when missing or malformed) and membership checked (403)", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const stranger = yield* registerOwner("stranger")
          const missing = yield* call("GET", "/v1/org", { token: owner.token })
          assert.strictEqual(missing.status, 400)
          assert.strictEqual(code(missing), "missing_org")
          const malformed = yield* call("GET", "/v1/org", { token: owner.token, orgId: "not-a-uuid" })
          assert.strictEqual(malformed.status, 400)
          const foreign = yield* call("GET", "/v1/org", { token: stranger.token, orgId: owner.orgId })
          assert.strictEqual(foreign.status, 403)
          assert.strictEqual(code(foreign), "forbidden")
          const mine = yield* call("GET", "/v1/org", { token: owner.token, orgId: owner.orgId })
          assert.strictEqual(mine.status, 200)
          assert.strictEqual(mine.headers.get("etag"), '"1"')
        })
      )

      it.effect("authentication comes before the tenant header", () =>
        Effect.gen(function* () {
          const answer = yield* call("GET", "/v1/org")
          assert.strictEqual(answer.status, 401)
        })
      )

      it.effect("removal from an org takes effect on the next request", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const manager = yield* addMember(owner, "manager")
          assert.strictEqual(
            (yield* call("GET", "/v1/members", { token: manager.token, orgId: owner.orgId })).status,
            200
          )
          const removed = yield* call("DELETE", `/v1/members/${manager.accountId}`, {
            token: owner.token,
            orgId: owner.orgId
          })
          assert.strictEqual(removed.status, 204)
          const after = yield* call("GET", "/v1/members", { token: manager.token, orgId: owner.orgId })
          assert.strictEqual(after.status, 403)
          // The account itself lives on.
          assert.strictEqual((yield* me(manager.token)).status, 200)
        })
      )

      it.effect("the last owner can be neither removed nor demoted", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const admin = yield* addMember(owner, "admin")
          const demote = yield* call("PATCH", `/v1/members/${owner.accountId}`, {
            token: owner.token,
            orgId: owner.orgId,
            headers: { "if-match": '"1"' },
            body: { role: "admin" }
          })
          assert.strictEqual(demote.status, 409)
          assert.strictEqual(code(demote), "last_owner")
          const byAdmin = yield* call("DELETE", `/v1/members/${owner.accountId}`, {
            token: admin.token,
            orgId: owner.orgId
          })
          assert.strictEqual(byAdmin.status, 403)
          const self = yield* call("DELETE", `/v1/members/${owner.accountId}`, {
            token: owner.token,
            orgId: owner.orgId
          })
          assert.strictEqual(self.status, 409)
        })
      )

      it.effect("nobody raises their own role, and only an owner grants owner", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const admin = yield* addMember(owner, "admin")
          const member = yield* addMember(owner, "member")
          const selfRaise = yield* call("PATCH", `/v1/members/${member.accountId}`, {
            token: member.token,
            orgId: owner.orgId,
            headers: { "if-match": '"1"' },
            body: { role: "admin" }
          })
          assert.strictEqual(selfRaise.status, 403)
          const adminMakesOwner = yield* call("PATCH", `/v1/members/${member.accountId}`, {
            token: admin.token,
            orgId: owner.orgId,
            headers: { "if-match": '"1"' },
            body: { role: "owner" }
          })
          assert.strictEqual(adminMakesOwner.status, 403)
          const adminRaisesSelf = yield* call("PATCH", `/v1/members/${admin.accountId}`, {
            token: admin.token,
            orgId: owner.orgId,
            headers: { "if-match": '"1"' },
            body: { role: "owner" }
          })
          assert.strictEqual(adminRaisesSelf.status, 403)
          const ownerPromotes = yield* call("PATCH", `/v1/members/${member.accountId}`, {
            token: owner.token,
            orgId: owner.orgId,
            headers: { "if-match": '"1"' },
            body: { role: "manager" }
          })
          assert.strictEqual(ownerPromotes.status, 200)
          assert.strictEqual(body<{ role: string; version: number }>(ownerPromotes).role, "manager")
        })
      )

      it.effect("server-owned fields in a body are refused with 400", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          for (const extra of [{ orgId: owner.orgId }, { version: 9 }, { id: owner.accountId }]) {
            const answer = yield* call("PATCH", "/v1/org", {
              token: owner.token,
              orgId: owner.orgId,
              headers: { "if-match": '"1"' },
              body: { name: "Renamed", ...extra }
            })
            assert.strictEqual(answer.status, 400, JSON.stringify(extra))
            assert.strictEqual(code(answer), "validation_failed")
          }
          const client = yield* call("POST", "/v1/clients", {
            token: owner.token,
            orgId: owner.orgId,
            body: { ...freshPerson("client"), role: "admin" }
          })
          assert.strictEqual(client.status, 400)
        })
      )
    })
  })
}

describe("refresh without a grace period", () => {
  layer(TestServer.layer(Stores.everyStore()[0]!.layer, { refreshReuseGraceSeconds: 0 }), {
    timeout: 60_000,
    excludeTestServices: true
  })("", (it) => {
    it.effect("a rotated refresh token coming back after the grace ends the session", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner()
        const first = yield* call("POST", "/v1/auth/refresh", { body: { refreshToken: owner.refreshToken } })
        assert.strictEqual(first.status, 200)
        const rotated = tokens(first)
        const replay = yield* call("POST", "/v1/auth/refresh", { body: { refreshToken: owner.refreshToken } })
        assert.strictEqual(replay.status, 401)
        const afterReplay = yield* call("POST", "/v1/auth/refresh", {
          body: { refreshToken: rotated.refreshToken }
        })
        assert.strictEqual(afterReplay.status, 401)
        assert.strictEqual((yield* me(rotated.accessToken)).status, 401)
      })
    )
  })
})

describe("sign-up closed", () => {
  // The settings reach the use cases when the server builds them; the demo loader signs its owners
  // up through an `Auth` of its own, the one place sign-up is open.
  layer(TestServer.layer(Stores.everyStore()[0]!.layer, { signupOpen: false, demoData: true }), {
    timeout: 60_000,
    excludeTestServices: true
  })("", (it) => {
    it.effect("register answers 403; the demo owners, loaded at start, sign in", () =>
      Effect.gen(function* () {
        const refused = yield* call("POST", "/v1/auth/register", {
          body: { ...freshPerson("closed"), orgName: "Closed" }
        })
        assert.strictEqual(refused.status, 403)
        assert.strictEqual(code(refused), "forbidden")
        const demo = yield* call("POST", "/v1/auth/login", {
          body: { login: "owner1", password: DemoData.password }
        })
        assert.strictEqual(demo.status, 200)
      })
    )
  })
})

describe("throttling", () => {
  layer(TestServer.layer(Stores.everyStore()[0]!.layer, { rateLimitAuth: 3, rateLimitApi: 5 }), {
    timeout: 60_000,
    excludeTestServices: true
  })("", (it) => {
    it.effect(
      "login is limited per login name: the fourth attempt in a minute gets 429 with Retry-After",
      () =>
        Effect.gen(function* () {
          const attempts = []
          for (let i = 0; i < 4; i++) {
            attempts.push(
              yield* call("POST", "/v1/auth/login", { body: { login: "someone", password: "Whatever-123" } })
            )
          }
          assert.deepStrictEqual(
            attempts.map((a) => a.status),
            [401, 401, 401, 429]
          )
          assert.isAbove(Number(attempts[3]!.headers.get("retry-after")), 0)
          assert.strictEqual(code(attempts[3]!), "rate_limited")
          assert.isNotNull(attempts[0]!.headers.get("ratelimit-limit"))
        })
    )
  })

  // Behind a trusted proxy, so each request can come from the address its test says.
  layer(
    TestServer.layer(Stores.everyStore()[0]!.layer, {
      rateLimitAuth: 3,
      trustedProxies: ["127.0.0.1/32", "::1/128"]
    }),
    { timeout: 60_000, excludeTestServices: true }
  )("sign-in backoff", (it) => {
    let addresses = 0
    const from = () => ({ "x-forwarded-for": `203.0.113.${++addresses}` })
    const signIn = (login: string, password: string, headers: Record<string, string> = {}) =>
      call("POST", "/v1/auth/login", { body: { login, password }, headers: { ...from(), ...headers } })
    const deviceCookieOf = (answer: { readonly headers: Headers }) =>
      answer.headers
        .getSetCookie()
        .find((cookie) => cookie.startsWith("rota_device="))
        ?.split(";")[0]

    it.effect("the username and the email of one account share one failed sign-in counter", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner("owner", from())
        const failures = [
          yield* signIn(owner.username, "Wrong-Password-1"),
          yield* signIn(owner.email.toUpperCase(), "Wrong-Password-2"),
          yield* signIn(owner.username, "Wrong-Password-3")
        ]
        assert.deepStrictEqual(
          failures.map((answer) => answer.status),
          [401, 401, 401]
        )
        const locked = yield* signIn(owner.email, "Wrong-Password-4")
        assert.strictEqual(locked.status, 429)
        assert.strictEqual(code(locked), "rate_limited")
        assert.isAbove(Number(locked.headers.get("retry-after")), 0)
      })
    )

    it.effect("a wrong password from another IP cannot lock the owner out", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner("owner", from())
        const first = yield* signIn(owner.username, owner.password)
        assert.strictEqual(first.status, 200)
        const device = deviceCookieOf(first)
        assert.isDefined(device, "a successful sign-in remembers the device")
        assert.match(first.headers.getSetCookie().join("\n"), /rota_device=.*HttpOnly/i)
        // Someone else, from addresses of their own, spends every failed attempt of the account.
        for (let i = 0; i < 4; i++) yield* signIn(owner.email, `Guess-${i}-Password`)
        assert.strictEqual((yield* signIn(owner.username, owner.password)).status, 429)
        // The owner's browser still gets in with the right password...
        const owners = yield* signIn(owner.username, owner.password, { cookie: device! })
        assert.strictEqual(owners.status, 200, owners.text)
        // ...but not with a wrong one, nor with another account's device cookie.
        const stranger = yield* registerOwner("stranger", from())
        const strangers = deviceCookieOf(yield* signIn(stranger.username, stranger.password))
        assert.strictEqual(
          (yield* signIn(owner.username, owner.password, { cookie: strangers! })).status,
          429
        )
        assert.strictEqual(
          (yield* signIn(owner.username, "Wrong-Password-9", { cookie: device! })).status,
          401
        )
      })
    )

    it.effect("one address is limited across accounts", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner("owner", from())
        const address = { "x-forwarded-for": "198.51.100.77" }
        const statuses: Array<number> = []
        for (const login of ["a-name", "b-name", "c-name", owner.username]) {
          statuses.push((yield* signIn(login, owner.password, address)).status)
        }
        assert.deepStrictEqual(statuses, [401, 401, 401, 429])
      })
    )

    it.effect("a correct password does not spend the account's failed attempts", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner("owner", from())
        const statuses: Array<number> = []
        for (let i = 0; i < 5; i++) statuses.push((yield* signIn(owner.username, owner.password)).status)
        assert.deepStrictEqual(statuses, [200, 200, 200, 200, 200])
      })
    )
  })

  layer(TestServer.layer(Stores.everyStore()[0]!.layer, { rateLimitApi: 5 }), {
    timeout: 60_000,
    excludeTestServices: true
  })("", (it) => {
    it.effect("the API is limited per account", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner()
        const statuses: Array<number> = []
        for (let i = 0; i < 6; i++) statuses.push((yield* me(owner.token)).status)
        assert.deepStrictEqual(statuses, [200, 200, 200, 200, 200, 429])
        const someoneElse = yield* registerOwner()
        assert.strictEqual((yield* me(someoneElse.token)).status, 200)
      })
    )
  })
})
