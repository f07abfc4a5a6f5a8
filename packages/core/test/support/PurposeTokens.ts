import { Clock, Effect, Layer } from "effect"
import { TokenInvalid } from "../../src/identity/IdentityErrors.ts"
import { type PurposeClaims, TokenSigner } from "../../src/identity/TokenSigner.ts"
import { AccountId, type Ids, nextId } from "../../src/kernel/Ids.ts"

// Purpose tokens kept in memory (invitation links, intake links): a token is a fresh id naming
// its claims, valid for its purpose until it expires by the Effect clock, so a test clock can
// move past it. Nothing here signs or verifies anything else.
export const purposeTokens: Layer.Layer<TokenSigner, never, Ids> = Layer.effect(
  TokenSigner,
  Effect.gen(function* () {
    const ids = yield* Effect.context<Ids>()
    const issued = new Map<string, PurposeClaims>()
    const unused = (name: string) => () => Effect.die(new Error(`${name} is not used by purpose tokens`))
    return TokenSigner.of({
      signPurpose: Effect.fn("TokenSigner.signPurpose")(function* (claims: PurposeClaims) {
        const token = yield* Effect.provide(nextId(AccountId), ids)
        issued.set(token, claims)
        return token
      }),
      verifyPurpose: Effect.fn("TokenSigner.verifyPurpose")(function* (token: string, purpose: string) {
        const claims = issued.get(token)
        const now = yield* Clock.currentTimeMillis
        if (claims === undefined || claims.purpose !== purpose || claims.expiresAt.getTime() <= now)
          return yield* new TokenInvalid({ purpose })
        return claims
      }),
      issueAccess: unused("issueAccess"),
      verifyAccess: unused("verifyAccess"),
      opaque: Effect.die(new Error("opaque is not used by purpose tokens")),
      hashOpaque: (token) => token,
      successorOf: (token) => ({ token, hash: token })
    })
  })
)
