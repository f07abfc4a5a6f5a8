import { Clock, DateTime, Effect, Layer, Redacted } from "effect"
import { TokenInvalid } from "../../src/identity/IdentityErrors.ts"
import { PasswordHasher } from "../../src/identity/PasswordHasher.ts"
import { type PurposeClaims, TokenSigner } from "../../src/identity/TokenSigner.ts"
import { Unauthenticated } from "../../src/kernel/Errors.ts"
import { Ids } from "../../src/kernel/Ids.ts"

// The identity ports the server implements with argon2id and jose, made readable for the core's
// tests: what matters here is which secret matches which, not the cryptography. A "hash" is the
// text reversed behind a prefix, so a test can tell a stored hash from the secret it hides.

const reversed = (text: string) => [...text].reverse().join("")

/** Hashes a password as `hashed:` and the password reversed. */
export const hasher: Layer.Layer<PasswordHasher> = Layer.succeed(
  PasswordHasher,
  PasswordHasher.of({
    hash: (password) => Effect.succeed(`hashed:${reversed(Redacted.value(password))}`),
    verify: (hash, password) => Effect.succeed(hash === `hashed:${reversed(Redacted.value(password))}`),
    verifyDummy: () => Effect.void
  })
)

const encode = (claims: PurposeClaims) =>
  Buffer.from(JSON.stringify({ ...claims, expiresAt: DateTime.toEpochMillis(claims.expiresAt) })).toString(
    "base64url"
  )

/** What a signed purpose token says, read without checking it: for tests that tamper with one. */
export const claimsOf = (token: string): PurposeClaims => {
  const raw = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8"))
  return { ...raw, expiresAt: DateTime.makeUnsafe(raw.expiresAt) }
}

/** A purpose token over `claims`, signed as the signer signs it. */
export const signed = (claims: PurposeClaims) => {
  const payload = encode(claims)
  return `${payload}.${reversed(payload)}`
}

/**
 * The whole token signer: opaque secrets hashed as `hash:` and the token reversed, successors
 * keyed from their token, access tokens naming their claims and instant, and purpose tokens whose
 * "signature" is their payload reversed (so an edited payload no longer verifies).
 */
export const signer: Layer.Layer<TokenSigner, never, Ids> = Layer.effect(
  TokenSigner,
  Effect.map(Effect.service(Ids), (ids) => {
    const hashOpaque = (token: string) => `hash:${reversed(token)}`
    return TokenSigner.of({
      opaque: Effect.map(ids.next, (id) => {
        const token = `secret_${id.replaceAll("-", "")}`
        return { token, hash: hashOpaque(token) }
      }),
      hashOpaque,
      successorOf: (token) => ({ token: `${token}~`, hash: hashOpaque(`${token}~`) }),
      issueAccess: (claims, issuedAt) =>
        Effect.map(Clock.currentTimeMillis, (now) => ({
          token: `access.${claims.accountId}.${claims.sessionId}.${issuedAt === undefined ? now : DateTime.toEpochMillis(issuedAt)}`,
          expiresIn: 900
        })),
      verifyAccess: (token) => {
        const [kind, accountId, sessionId] = token.split(".")
        return kind === "access" && accountId !== undefined && sessionId !== undefined
          ? Effect.succeed({ accountId, sessionId })
          : Effect.fail(new Unauthenticated({ reason: "bad access token" }))
      },
      signPurpose: (claims) => Effect.succeed(signed(claims)),
      verifyPurpose: (token, purpose) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const [payload, signature] = token.split(".")
          if (payload === undefined || signature !== reversed(payload)) {
            return Effect.fail(new TokenInvalid({ purpose }))
          }
          const claims = claimsOf(token)
          return claims.purpose !== purpose || DateTime.toEpochMillis(claims.expiresAt) <= now
            ? Effect.fail(new TokenInvalid({ purpose }))
            : Effect.succeed(claims)
        })
    })
  })
)

/** Both ports, on `Ids`. */
export const layer: Layer.Layer<PasswordHasher | TokenSigner, never, Ids> = Layer.merge(hasher, signer)
