import { assert, layer } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Option, Redacted } from "effect"
import * as Auth from "../../src/identity/Auth.ts"
import { IdentityConfig } from "../../src/identity/IdentityConfig.ts"
import { AccountRepo, PasswordResetRepo, SessionRepo } from "../../src/identity/IdentityRepos.ts"
import * as Orgs from "../../src/identity/Orgs.ts"
import { PasswordHasher } from "../../src/identity/PasswordHasher.ts"
import { TokenSigner } from "../../src/identity/TokenSigner.ts"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"
import * as IdentityFixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import * as IdentityPorts from "../support/IdentityPorts.ts"
import { claimsOf, signed } from "../support/IdentityPorts.ts"

// The auth use case on the memory adapters: sign-up, login, refresh-token rotation, logout and
// password changes and resets, in milliseconds, no database.
const memory = Auth.layer.pipe(
  Layer.provideMerge(Orgs.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, IdentityPorts.layer)),
  Layer.provideMerge(Ids.layer)
)

const secret = Redacted.make
const password = "correct horse battery"

/** A registration with a fresh email and username. */
const signUp = Effect.gen(function* () {
  const auth = yield* Auth.Auth
  const name = `ada${(yield* (yield* Ids).next).slice(-12)}`
  const registration = {
    email: `${name}@example.test`,
    username: name,
    password: secret(password),
    fullName: "Ada Lovelace",
    orgName: "Engines"
  }
  return { ...(yield* auth.register(registration)), registration }
})

/**
 * `effect` with an `Auth` built with these identity settings, over the same stores: the settings
 * are read when the layer is built, as a host gives them. Fresh, or the suite's memoized `Auth`
 * would come back.
 */
const withSettings = <A, E, R>(
  settings: Partial<typeof IdentityConfig.Service>,
  effect: Effect.Effect<A, E, R>
) =>
  Effect.provide(
    effect,
    Layer.fresh(Auth.layer).pipe(
      Layer.provide(Layer.succeed(IdentityConfig, { ...IdentityConfig.defaultValue(), ...settings }))
    )
  )

/** The session an access token belongs to. */
const sessionOf = (accessToken: string) =>
  Effect.map(
    Effect.flatMap(Effect.service(TokenSigner), (signer) => signer.verifyAccess(accessToken)),
    (claims) => claims.sessionId
  )

const isLive = (sessionId: string) =>
  Effect.map(
    Effect.flatMap(Effect.service(SessionRepo), (sessions) => sessions.resolve(sessionId, undefined)),
    Option.isSome
  )

/** The reset ids of the password-reset messages sent since the last call. */
const resetIds = Effect.flatMap(Effect.service(Outbox), (outbox) => {
  // Leased until after the instant asked about, so the next call sees only newer messages.
  const [far, farther] = [
    DateTime.makeUnsafe(Date.UTC(2200, 0, 1)),
    DateTime.makeUnsafe(Date.UTC(2300, 0, 1))
  ]
  return Effect.map(outbox.lease(1000, far, farther), (messages) =>
    messages
      .filter((message) => message.topic === Auth.resetRequestedTopic)
      .map((message) => (message.payload as { readonly resetId: string }).resetId)
  )
})

/** The link token of an open reset, signed again from its row as the mailer does. */
const linkOf = (resetId: string) =>
  Effect.gen(function* () {
    const open = yield* (yield* PasswordResetRepo).findOpen(resetId, DateTime.nowUnsafe())
    assert.isTrue(Option.isSome(open))
    return yield* Auth.resetToken(Option.getOrThrow(open))
  })

const reasonOf = (error: { readonly _tag: string; readonly reason?: string }) => [error._tag, error.reason]

layer(memory, { excludeTestServices: true })("Auth on memory storage", (it) => {
  it.effect("signing up makes an account, its own org with it as owner, and a first session", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { account, org, tokens, registration } = yield* signUp
      const me = yield* auth.me(account.id)
      assert.deepStrictEqual(
        me.memberships.map((entry) => [entry.orgId, entry.role, entry.orgName]),
        [[org.id, "owner", "Engines"]]
      )
      assert.isTrue(yield* isLive(yield* sessionOf(tokens.accessToken)))
      const events = yield* (yield* AuditLog).list(org.id, { limit: 10 })
      assert.isTrue(events.items.some((event) => event.entityType === "account" && event.action === "CREATE"))
      const again = yield* Effect.flip(auth.register({ ...registration, username: "someone-else" }))
      assert.strictEqual(again._tag, "AlreadyExists")
    })
  )

  it.effect("passwords and refresh tokens are stored as hashes, never in clear", () =>
    Effect.gen(function* () {
      const { registration, tokens } = yield* signUp
      const stored = yield* (yield* AccountRepo).findByLogin(registration.username)
      const hash = Option.getOrThrow(stored).passwordHash
      assert.isNotNull(hash)
      assert.notInclude(hash ?? "", password)
      const sessions = yield* SessionRepo
      const signer = yield* TokenSigner
      assert.isTrue(Option.isNone(yield* sessions.findRefresh(tokens.refreshToken)))
      assert.isTrue(Option.isSome(yield* sessions.findRefresh(signer.hashOpaque(tokens.refreshToken))))
    })
  )

  it.effect("sign-up refuses a common password, and is refused altogether when closed", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const weak = yield* Effect.flip(
        auth.register({
          email: "weak@example.test",
          username: "weak",
          password: secret("password123"),
          fullName: "Weak",
          orgName: "Weak"
        })
      )
      assert.strictEqual(weak._tag, "ValidationFailed")
      const closed = yield* Effect.flip(withSettings({ signupOpen: false }, signUp))
      assert.strictEqual(closed._tag, "SignupClosed")
    })
  )

  it.effect("login takes the email or username in any case, and refuses every wrong login alike", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { registration } = yield* signUp
      const byEmail = yield* auth.login(` ${registration.email.toUpperCase()} `, secret(password))
      const byName = yield* auth.login(registration.username, secret(password))
      assert.notStrictEqual(yield* sessionOf(byEmail.accessToken), yield* sessionOf(byName.accessToken))
      assert.deepStrictEqual([byEmail.tokenType, byEmail.expiresIn], ["Bearer", 900])
      const wrong = yield* Effect.flip(auth.login(registration.username, secret("not the password")))
      const unknown = yield* Effect.flip(auth.login("nobody@example.test", secret(password)))
      assert.deepStrictEqual(
        [reasonOf(wrong), reasonOf(unknown)],
        [
          ["Unauthenticated", "wrong password"],
          ["Unauthenticated", "unknown login"]
        ]
      )
      const dormant = yield* IdentityFixtures.account({ name: "dormant", isActive: false })
      const hasher = yield* PasswordHasher
      yield* (yield* AccountRepo).setPassword(dormant.id, yield* hasher.hash(secret(password)))
      const inactive = yield* Effect.flip(auth.login(dormant.username, secret(password)))
      assert.deepStrictEqual(reasonOf(inactive), ["Unauthenticated", "inactive account"])
    })
  )

  it.effect("refreshing rotates the token; a replay within the grace answers the same pair again", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { tokens } = yield* signUp
      const second = yield* auth.refresh(tokens.refreshToken)
      assert.notStrictEqual(second.refreshToken, tokens.refreshToken)
      const replayed = yield* auth.refresh(tokens.refreshToken)
      assert.deepStrictEqual(replayed, second)
      const third = yield* auth.refresh(second.refreshToken)
      assert.strictEqual(yield* sessionOf(third.accessToken), yield* sessionOf(tokens.accessToken))
      // The first token now comes back after its successor was itself rotated: a stolen copy.
      const stolen = yield* Effect.flip(auth.refresh(tokens.refreshToken))
      assert.deepStrictEqual(reasonOf(stolen), ["Unauthenticated", "refresh token reuse"])
      const ended = yield* Effect.flip(auth.refresh(third.refreshToken))
      assert.deepStrictEqual(reasonOf(ended), ["Unauthenticated", "session ended"])
      assert.isFalse(yield* isLive(yield* sessionOf(tokens.accessToken)))
      const unknown = yield* Effect.flip(auth.refresh("secret_unknown"))
      assert.deepStrictEqual(reasonOf(unknown), ["Unauthenticated", "unknown refresh token"])
    })
  )

  it.effect("without a grace, a rotated token coming back at all ends its session", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { tokens } = yield* signUp
      const next = yield* auth.refresh(tokens.refreshToken)
      const reuse = yield* Effect.flip(
        withSettings(
          { refreshReuseGrace: Duration.zero },
          Effect.flatMap(Effect.service(Auth.Auth), (strict) => strict.refresh(tokens.refreshToken))
        )
      )
      assert.deepStrictEqual(reasonOf(reuse), ["Unauthenticated", "refresh token reuse"])
      assert.strictEqual((yield* Effect.flip(auth.refresh(next.refreshToken)))._tag, "Unauthenticated")
    })
  )

  it.effect("logging out ends the session: its refresh token stops working, other sessions go on", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { tokens, registration } = yield* signUp
      const other = yield* auth.login(registration.username, secret(password))
      const sessionId = yield* sessionOf(tokens.accessToken)
      yield* auth.logout(sessionId, tokens.refreshToken)
      assert.isFalse(yield* isLive(sessionId))
      assert.strictEqual((yield* Effect.flip(auth.refresh(tokens.refreshToken)))._tag, "Unauthenticated")
      assert.isTrue(yield* isLive(yield* sessionOf(other.accessToken)))
      assert.notStrictEqual((yield* auth.refresh(other.refreshToken)).refreshToken, other.refreshToken)
    })
  )

  it.effect("changing a password needs the current one and ends every other session", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { account, tokens, registration } = yield* signUp
      const elsewhere = yield* auth.login(registration.username, secret(password))
      const here = yield* sessionOf(tokens.accessToken)
      const wrong = yield* Effect.flip(auth.changePassword(account.id, here, secret("guess"), secret("x")))
      assert.deepStrictEqual(reasonOf(wrong), ["Unauthenticated", "wrong current password"])
      const weak = yield* Effect.flip(
        auth.changePassword(account.id, here, secret(password), secret(registration.email))
      )
      assert.strictEqual(weak._tag, "ValidationFailed")
      yield* auth.changePassword(account.id, here, secret(password), secret("a brand new phrase"))
      assert.isTrue(yield* isLive(here))
      assert.isFalse(yield* isLive(yield* sessionOf(elsewhere.accessToken)))
      assert.strictEqual(
        (yield* Effect.flip(auth.login(registration.username, secret(password))))._tag,
        "Unauthenticated"
      )
      yield* auth.login(registration.username, secret("a brand new phrase"))
    })
  )

  it.effect("a reset request answers the same for any address and sends the reset's id, no token", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      yield* resetIds
      yield* auth.requestPasswordReset("nobody@example.test")
      assert.deepStrictEqual(yield* resetIds, [])
      const { registration } = yield* signUp
      yield* auth.requestPasswordReset(registration.email.toUpperCase())
      const [resetId] = yield* resetIds
      assert.isDefined(resetId)
      const link = yield* linkOf(resetId ?? "")
      assert.strictEqual(claimsOf(link).id, resetId)
    })
  )

  it.effect("a reset link sets a new password once, ends every session and closes the other links", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { tokens, registration } = yield* signUp
      yield* resetIds
      yield* auth.requestPasswordReset(registration.email)
      yield* auth.requestPasswordReset(registration.email)
      const [first, second] = yield* Effect.forEach(yield* resetIds, linkOf)
      const weak = yield* Effect.flip(auth.confirmPasswordReset(first ?? "", secret("password1")))
      assert.strictEqual(weak._tag, "ValidationFailed")
      yield* auth.confirmPasswordReset(first ?? "", secret("reset and renewed"))
      yield* auth.login(registration.username, secret("reset and renewed"))
      assert.isFalse(yield* isLive(yield* sessionOf(tokens.accessToken)))
      const reused = yield* Effect.flip(auth.confirmPasswordReset(first ?? "", secret("once more, again")))
      const closed = yield* Effect.flip(auth.confirmPasswordReset(second ?? "", secret("once more, again")))
      assert.deepStrictEqual([reused._tag, closed._tag], ["TokenUsed", "TokenUsed"])
    })
  )

  it.effect("a tampered, expired or other-purpose reset token is invalid", () =>
    Effect.gen(function* () {
      const auth = yield* Auth.Auth
      const { account, registration } = yield* signUp
      yield* resetIds
      yield* auth.requestPasswordReset(registration.email)
      const [resetId] = yield* resetIds
      const claims = claimsOf(yield* linkOf(resetId ?? ""))
      const forged = `${signed({ ...claims, subject: "someone-else" }).split(".")[0]}.${"x".repeat(8)}`
      const expired = signed({ ...claims, expiresAt: DateTime.makeUnsafe(Date.now() - 1000) })
      const invitation = signed({ ...claims, purpose: "invitation", subject: account.id })
      for (const token of [forged, expired, invitation]) {
        const refused = yield* Effect.flip(auth.confirmPasswordReset(token, secret("never to be set")))
        assert.strictEqual(refused._tag, "TokenInvalid")
      }
    })
  )
})
