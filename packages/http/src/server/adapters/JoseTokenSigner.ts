/**
 * The `TokenSigner` port with jose: HS256 access tokens (pinned algorithm, `iss`, `aud`, `typ`,
 * 15-minute `exp` counted from `iat`, `kid`), purpose-bound tokens whose audience is their purpose, and opaque
 * refresh tokens (256 random bits) stored as SHA-256 hashes.
 *
 * @since 0.1.0
 */
import { Errors, IdentityErrors, TokenSigner } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import * as jose from "jose"
import * as OpaqueTokens from "./OpaqueTokens.ts"
import { SigningKeys } from "./SigningKeys.ts"

const issuer = "rota"
const accessAudience = "rota-api"
const accessType = "at+jwt"
const purposeType = "rota-purpose+jwt"
const accessTtlSeconds = 15 * 60
// Servers' clocks drift apart a little: a token issued by one may look a few seconds early to
// another. Anything beyond this was not issued by a server of ours in good order.
const clockToleranceSeconds = 30

/**
 * The claims jose leaves to the caller: `aud` exactly the expected string (jose also accepts an
 * array containing it), `iat` present and not in the future, and, for access tokens, a lifetime
 * no longer than the server issues. A token signed with the right key but minted outside these
 * rules (a leaked key, a bug) is refused rather than trusted for years.
 */
const claimsHold = (
  payload: jose.JWTPayload,
  audience: string,
  maxLifetimeSeconds: number | undefined
): boolean => {
  const now = Math.floor(Date.now() / 1000)
  const { aud, iat, exp } = payload
  return (
    aud === audience &&
    typeof iat === "number" &&
    typeof exp === "number" &&
    iat <= now + clockToleranceSeconds &&
    (maxLifetimeSeconds === undefined || exp - iat <= maxLifetimeSeconds)
  )
}

// jose asks for the key after reading the header, so rotated keys verify by `kid`; a kid this
// server has not seen may have been rotated in since it started.
const keyResolver =
  (keys: SigningKeys["Service"]): jose.JWTVerifyGetKey =>
  async (header) => {
    const kid = header.kid
    const key =
      kid === undefined
        ? undefined
        : (keys.byKid.get(kid) ??
          (keys.lookup === undefined ? undefined : await Effect.runPromise(keys.lookup(kid))))
    if (key === undefined) throw new jose.errors.JWKSNoMatchingKey()
    return key.secret
  }

const signer =
  (keys: SigningKeys["Service"]) =>
  (claims: jose.JWTPayload, typ: string, expiresAt: number | Date, issuedAt?: number) =>
    Effect.promise(() =>
      new jose.SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: keys.current.kid, typ })
        .setIssuer(issuer)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(keys.current.secret)
    )

const verifier = (keys: SigningKeys["Service"]) => {
  const keyFor = keyResolver(keys)
  return (token: string, typ: string, audience: string, maxLifetimeSeconds?: number) =>
    Effect.tryPromise({
      try: () => jose.jwtVerify(token, keyFor, { algorithms: ["HS256"], issuer, audience, typ }),
      catch: (error) => error
    }).pipe(
      Effect.filterOrFail(
        ({ payload }) => claimsHold(payload, audience, maxLifetimeSeconds),
        () => "claims out of bounds"
      )
    )
}

// Checking a signature costs more than the rest of authenticating a request, and a client sends
// the same access token many times: a verified one is remembered until it expires. Its session
// is still looked up on every request, so a revoked session is refused at once.
type Verified = { readonly accountId: string; readonly sessionId: string; readonly exp: number }
const rememberAtMost = 10_000

const remember = (verified: Map<string, Verified>, token: string, claims: Verified) => {
  if (verified.size >= rememberAtMost) {
    const oldest = verified.keys().next()
    if (oldest.done !== true) verified.delete(oldest.value)
  }
  verified.set(token, claims)
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<TokenSigner.TokenSigner, never, SigningKeys> = Layer.effect(
  TokenSigner.TokenSigner,
  Effect.gen(function* () {
    const keys = yield* SigningKeys
    const sign = signer(keys)
    const verify = verifier(keys)
    const verifiedAccess = new Map<string, Verified>()
    return TokenSigner.TokenSigner.of({
      issueAccess: Effect.fn("TokenSigner.issueAccess")(function* (claims, issuedAt) {
        const iat = Math.floor(
          (issuedAt === undefined ? Date.now() : DateTime.toEpochMillis(issuedAt)) / 1000
        )
        const token = yield* sign(
          { sub: claims.accountId, sid: claims.sessionId, aud: accessAudience },
          accessType,
          iat + accessTtlSeconds,
          iat
        )
        return { token, expiresIn: accessTtlSeconds }
      }),
      verifyAccess: Effect.fn("TokenSigner.verifyAccess")(
        function* (token) {
          const known = verifiedAccess.get(token)
          // jose's own rule: expired once the current second reaches `exp`.
          if (known !== undefined && Math.floor(Date.now() / 1000) < known.exp)
            return { accountId: known.accountId, sessionId: known.sessionId }
          const { payload } = yield* verify(token, accessType, accessAudience, accessTtlSeconds)
          if (
            typeof payload.sub !== "string" ||
            typeof payload.sid !== "string" ||
            typeof payload.exp !== "number"
          )
            return yield* Effect.fail("claims missing")
          const claims = { accountId: payload.sub, sessionId: payload.sid }
          remember(verifiedAccess, token, { ...claims, exp: payload.exp })
          return claims
        },
        Effect.mapError(
          (error) => new Errors.Unauthenticated({ reason: `invalid access token: ${String(error)}` })
        )
      ),
      signPurpose: Effect.fn("TokenSigner.signPurpose")((claims) =>
        sign(
          { sub: claims.subject, jti: claims.id, aud: claims.purpose },
          purposeType,
          DateTime.toDateUtc(claims.expiresAt)
        )
      ),
      verifyPurpose: Effect.fn("TokenSigner.verifyPurpose")(
        function* (token, purpose) {
          const { payload } = yield* verify(token, purposeType, purpose)
          if (
            typeof payload.sub !== "string" ||
            typeof payload.jti !== "string" ||
            typeof payload.exp !== "number"
          )
            return yield* Effect.fail("claims missing")
          return {
            purpose,
            subject: payload.sub,
            id: payload.jti,
            expiresAt: DateTime.makeUnsafe(payload.exp * 1000)
          }
        },
        (effect, _token, purpose) =>
          Effect.mapError(effect, () => new IdentityErrors.TokenInvalid({ purpose }))
      ),
      opaque: Effect.sync(OpaqueTokens.make),
      hashOpaque: OpaqueTokens.hash,
      successorOf: OpaqueTokens.successorUnder(keys)
    })
  })
)
