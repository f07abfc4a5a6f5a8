/**
 * Access tokens: a token verified once is remembered, but never past its expiry, and nothing
 * else about it is trusted.
 */
import { assert, describe, it } from "@effect/vitest"
import { TokenSigner } from "@rota/core"
import { Effect, Layer } from "effect"
import { afterEach, vi } from "vitest"
import * as JoseTokenSigner from "../src/server/JoseTokenSigner.ts"
import { SigningKeys } from "../src/server/SigningKeys.ts"

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
})
