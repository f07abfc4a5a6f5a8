/**
 * The `TokenSigner` port with jose: HS256 access tokens (pinned algorithm, `iss`, `aud`, `typ`,
 * 15-minute `exp` counted from `iat`, `kid`), purpose-bound tokens whose audience is their purpose, and opaque
 * refresh tokens (256 random bits) stored as SHA-256 hashes.
 *
 * @since 0.1.0
 */
import { createHash, createHmac, randomBytes } from "node:crypto"
import { Errors, IdentityErrors, TokenSigner } from "@rota/core"
import { Effect, Layer } from "effect"
import * as jose from "jose"
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

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<TokenSigner.TokenSigner, never, SigningKeys> = Layer.effect(
  TokenSigner.TokenSigner,
  Effect.gen(function* () {
    const keys = yield* SigningKeys
    // jose asks for the key after reading the header, so rotated keys verify by `kid`; a kid
    // this server has not seen may have been rotated in since it started.
    const keyFor: jose.JWTVerifyGetKey = async (header) => {
      const kid = header.kid
      const key =
        kid === undefined
          ? undefined
          : (keys.byKid.get(kid) ??
            (keys.lookup === undefined ? undefined : await Effect.runPromise(keys.lookup(kid))))
      if (key === undefined) throw new jose.errors.JWKSNoMatchingKey()
      return key.secret
    }
    const sign = (claims: jose.JWTPayload, typ: string, expiresAt: number | Date, issuedAt?: number) =>
      Effect.promise(() =>
        new jose.SignJWT(claims)
          .setProtectedHeader({ alg: "HS256", kid: keys.current.kid, typ })
          .setIssuer(issuer)
          .setIssuedAt(issuedAt)
          .setExpirationTime(expiresAt)
          .sign(keys.current.secret)
      )
    const hash = (token: string) => createHash("sha256").update(token).digest("hex")
    const verify = (token: string, typ: string, audience: string, maxLifetimeSeconds?: number) =>
      Effect.tryPromise({
        try: () => jose.jwtVerify(token, keyFor, { algorithms: ["HS256"], issuer, audience, typ }),
        catch: (error) => error
      }).pipe(
        Effect.filterOrFail(
          ({ payload }) => claimsHold(payload, audience, maxLifetimeSeconds),
          () => "claims out of bounds"
        )
      )

    // Checking a signature costs more than the rest of authenticating a request, and a client
    // sends the same access token many times: a verified one is remembered until it expires.
    // Its session is still looked up on every request, so a revoked session is refused at once.
    type Verified = { readonly accountId: string; readonly sessionId: string; readonly exp: number }
    const verifiedAccess = new Map<string, Verified>()
    const rememberAtMost = 10_000
    const remember = (token: string, claims: Verified) => {
      if (verifiedAccess.size >= rememberAtMost) {
        const oldest = verifiedAccess.keys().next()
        if (oldest.done !== true) verifiedAccess.delete(oldest.value)
      }
      verifiedAccess.set(token, claims)
    }

    return TokenSigner.TokenSigner.of({
      issueAccess: (claims, issuedAt) =>
        Effect.suspend(() => {
          const iat = Math.floor((issuedAt?.getTime() ?? Date.now()) / 1000)
          return Effect.map(
            sign(
              { sub: claims.accountId, sid: claims.sessionId, aud: accessAudience },
              accessType,
              iat + accessTtlSeconds,
              iat
            ),
            (token) => ({ token, expiresIn: accessTtlSeconds })
          )
        }),
      verifyAccess: (token) =>
        Effect.suspend(() => {
          const known = verifiedAccess.get(token)
          // jose's own rule: expired once the current second reaches `exp`.
          if (known !== undefined && Math.floor(Date.now() / 1000) < known.exp)
            return Effect.succeed({ accountId: known.accountId, sessionId: known.sessionId })
          return verify(token, accessType, accessAudience, accessTtlSeconds).pipe(
            Effect.flatMap(({ payload }) => {
              if (
                typeof payload.sub !== "string" ||
                typeof payload.sid !== "string" ||
                typeof payload.exp !== "number"
              )
                return Effect.fail("claims missing")
              const claims = { accountId: payload.sub, sessionId: payload.sid }
              remember(token, { ...claims, exp: payload.exp })
              return Effect.succeed(claims)
            })
          )
        }).pipe(
          Effect.mapError(
            (error) => new Errors.Unauthenticated({ reason: `invalid access token: ${String(error)}` })
          )
        ),
      signPurpose: (claims) =>
        sign({ sub: claims.subject, jti: claims.id, aud: claims.purpose }, purposeType, claims.expiresAt),
      verifyPurpose: (token, purpose) =>
        verify(token, purposeType, purpose).pipe(
          Effect.flatMap(({ payload }) =>
            typeof payload.sub === "string" &&
            typeof payload.jti === "string" &&
            typeof payload.exp === "number"
              ? Effect.succeed({
                  purpose,
                  subject: payload.sub,
                  id: payload.jti,
                  expiresAt: new Date(payload.exp * 1000)
                })
              : Effect.fail("claims missing")
          ),
          Effect.mapError(() => new IdentityErrors.TokenInvalid({ purpose }))
        ),
      opaque: Effect.sync(() => {
        const token = randomBytes(32).toString("base64url")
        return { token, hash: hash(token) }
      }),
      hashOpaque: hash,
      successorOf: (token) => {
        const next = createHmac("sha256", keys.current.secret)
          .update(`refresh-successor\0${token}`)
          .digest("base64url")
        return { token: next, hash: hash(next) }
      }
    })
  })
)
