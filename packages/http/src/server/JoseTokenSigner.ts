/**
 * The `TokenSigner` port with jose: HS256 access tokens (pinned algorithm, `iss`, `aud`, `typ`,
 * 15-minute `exp`, `kid`), purpose-bound tokens whose audience is their purpose, and opaque
 * refresh tokens (256 random bits) stored as SHA-256 hashes.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from "node:crypto"
import { Errors, IdentityErrors, TokenSigner } from "@rota/core"
import { Effect, Layer } from "effect"
import * as jose from "jose"
import { SigningKeys } from "./SigningKeys.ts"

const issuer = "rota"
const accessAudience = "rota-api"
const accessType = "at+jwt"
const purposeType = "rota-purpose+jwt"
const accessTtlSeconds = 15 * 60

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<TokenSigner.TokenSigner, never, SigningKeys> = Layer.effect(
  TokenSigner.TokenSigner,
  Effect.gen(function* () {
    const keys = yield* SigningKeys
    // jose asks for the key after reading the header, so rotated keys verify by `kid`.
    const keyFor: jose.JWTVerifyGetKey = (header) => {
      const key = header.kid === undefined ? undefined : keys.byKid.get(header.kid)
      if (key === undefined) throw new jose.errors.JWKSNoMatchingKey()
      return key.secret
    }
    const sign = (claims: jose.JWTPayload, typ: string, expiresAt: number | Date) =>
      Effect.promise(() =>
        new jose.SignJWT(claims)
          .setProtectedHeader({ alg: "HS256", kid: keys.current.kid, typ })
          .setIssuer(issuer)
          .setIssuedAt()
          .setExpirationTime(expiresAt)
          .sign(keys.current.secret)
      )
    const verify = (token: string, typ: string, audience: string) =>
      Effect.tryPromise({
        try: () => jose.jwtVerify(token, keyFor, { algorithms: ["HS256"], issuer, audience, typ }),
        catch: (error) => error
      })

    return TokenSigner.TokenSigner.of({
      issueAccess: (claims) =>
        Effect.map(
          sign(
            { sub: claims.accountId, sid: claims.sessionId, aud: accessAudience },
            accessType,
            Math.floor(Date.now() / 1000) + accessTtlSeconds
          ),
          (token) => ({ token, expiresIn: accessTtlSeconds })
        ),
      verifyAccess: (token) =>
        verify(token, accessType, accessAudience).pipe(
          Effect.flatMap(({ payload }) =>
            typeof payload.sub === "string" && typeof payload.sid === "string"
              ? Effect.succeed({ accountId: payload.sub, sessionId: payload.sid })
              : Effect.fail("claims missing")
          ),
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
        return { token, hash: createHash("sha256").update(token).digest("hex") }
      }),
      hashOpaque: (token) => createHash("sha256").update(token).digest("hex")
    })
  })
)
