/**
 * Access tokens: a token verified once is remembered, but never past its expiry, and nothing
 * else about it is trusted.
 */
import { assert, describe, it } from "@effect/vitest"
import { TokenSigner } from "@rota/core"
import { Effect, Layer } from "effect"
import * as jose from "jose"
import { afterEach, vi } from "vitest"
import * as JoseTokenSigner from "../src/server/adapters/JoseTokenSigner.ts"
import { SigningKeys } from "../src/server/adapters/SigningKeys.ts"

const key = { kid: "k0", secret: new TextEncoder().encode("test-only-secret-0123456789-0123456789") }
const signer = JoseTokenSigner.layer.pipe(
  Layer.provide(
    Layer.succeed(SigningKeys, SigningKeys.of({ current: key, byKid: new Map([[key.kid, key]]) }))
  )
)
const claims = {
  accountId: "0199a1f0-0000-7000-8000-000000000001",
  sessionId: "0199a1f0-0000-7000-8000-000000000002"
}
const accessClaims = claims

/** An access token signed with the server's own key, with the given claims and header. */
const mint = (claims: jose.JWTPayload, header: Partial<jose.JWTHeaderParameters> = {}) =>
  Effect.promise(() =>
    new jose.SignJWT({ sub: accessClaims.accountId, sid: accessClaims.sessionId, ...claims })
      .setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "at+jwt", ...header })
      .setIssuer("rota")
      .sign(key.secret)
  )

const now = () => Math.floor(Date.now() / 1000)

describe("JoseTokenSigner", () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it.effect("a remembered access token is refused once it expires", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenSigner.TokenSigner
      const { token, expiresIn } = yield* tokens.issueAccess(claims)
      assert.deepStrictEqual(yield* tokens.verifyAccess(token), claims)
      // Again, now from memory.
      assert.deepStrictEqual(yield* tokens.verifyAccess(token), claims)
      vi.useFakeTimers({ now: Date.now() + (expiresIn + 1) * 1000 })
      const late = yield* Effect.flip(tokens.verifyAccess(token))
      assert.strictEqual(late._tag, "Unauthenticated")
    }).pipe(Effect.provide(signer))
  )

  it.effect("a token differing from a remembered one in any byte is verified afresh", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenSigner.TokenSigner
      const { token } = yield* tokens.issueAccess(claims)
      yield* tokens.verifyAccess(token)
      const [header, payload, signature] = token.split(".")
      const other = { ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: "someone-else" }
      const forged = `${header}.${Buffer.from(JSON.stringify(other)).toString("base64url")}.${signature}`
      const refused = yield* Effect.flip(tokens.verifyAccess(forged))
      assert.strictEqual(refused._tag, "Unauthenticated")
    }).pipe(Effect.provide(signer))
  )

  it.effect("a well-formed access token signed with the key is accepted", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenSigner.TokenSigner
      const token = yield* mint({ aud: "rota-api", iat: now(), exp: now() + 15 * 60 })
      assert.deepStrictEqual(yield* tokens.verifyAccess(token), claims)
    }).pipe(Effect.provide(signer))
  )

  it.effect("an access token living longer than the access TTL is refused", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenSigner.TokenSigner
      const tenYears = yield* mint({ aud: "rota-api", iat: now(), exp: now() + 10 * 365 * 86_400 })
      assert.strictEqual((yield* Effect.flip(tokens.verifyAccess(tenYears)))._tag, "Unauthenticated")
      const noIssuedAt = yield* mint({ aud: "rota-api", exp: now() + 60 })
      assert.strictEqual((yield* Effect.flip(tokens.verifyAccess(noIssuedAt)))._tag, "Unauthenticated")
    }).pipe(Effect.provide(signer))
  )

  it.effect("an access token issued in the future is refused, beyond a small clock tolerance", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenSigner.TokenSigner
      const skewed = yield* mint({ aud: "rota-api", iat: now() + 5, exp: now() + 5 + 15 * 60 })
      assert.deepStrictEqual(yield* tokens.verifyAccess(skewed), claims)
      const future = yield* mint({ aud: "rota-api", iat: now() + 3_600, exp: now() + 3_600 + 60 })
      assert.strictEqual((yield* Effect.flip(tokens.verifyAccess(future)))._tag, "Unauthenticated")
    }).pipe(Effect.provide(signer))
  )

  it.effect("an access token's audience must be exactly the API, not a list holding it", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenSigner.TokenSigner
      const listed = yield* mint({ aud: ["rota-api", "elsewhere"], iat: now(), exp: now() + 60 })
      assert.strictEqual((yield* Effect.flip(tokens.verifyAccess(listed)))._tag, "Unauthenticated")
      const alone = yield* mint({ aud: ["rota-api"], iat: now(), exp: now() + 60 })
      assert.strictEqual((yield* Effect.flip(tokens.verifyAccess(alone)))._tag, "Unauthenticated")
    }).pipe(Effect.provide(signer))
  )

  it.effect("a purpose token's audience must be exactly its purpose", () =>
    Effect.gen(function* () {
      const tokens = yield* TokenSigner.TokenSigner
      const listed = yield* Effect.promise(() =>
        new jose.SignJWT({ sub: "someone", jti: "0199a1f0-0000-7000-8000-000000000003" })
          .setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "rota-purpose+jwt" })
          .setIssuer("rota")
          .setAudience(["password-reset", "invitation"])
          .setIssuedAt()
          .setExpirationTime("10 minutes")
          .sign(key.secret)
      )
      const refused = yield* Effect.flip(tokens.verifyPurpose(listed, "password-reset"))
      assert.strictEqual(refused._tag, "TokenInvalid")
    }).pipe(Effect.provide(signer))
  )
})
