/**
 * The port that issues and checks tokens: short-lived access tokens, purpose-bound signed
 * tokens (invitations, password resets), and opaque refresh tokens stored only as hashes.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect } from "effect"
import type { Unauthenticated } from "../kernel/Errors.ts"
import type { TokenInvalid } from "./IdentityErrors.ts"

/**
 * What an access token says.
 *
 * @since 0.1.0
 * @category models
 */
export interface AccessClaims {
  readonly accountId: string
  readonly sessionId: string
}

/**
 * What a purpose-bound token says: what it is for, about whom, which record it redeems.
 *
 * @since 0.1.0
 * @category models
 */
export interface PurposeClaims {
  readonly purpose: string
  readonly subject: string
  readonly id: string
  readonly expiresAt: DateTime.Utc
}

/**
 * @since 0.1.0
 * @category services
 */
export class TokenSigner extends Context.Service<
  TokenSigner,
  {
    /**
     * A new access token; given `issuedAt`, the same claims and instant always give the same
     * token (a replayed refresh answers the pair it answered first).
     */
    readonly issueAccess: (
      claims: AccessClaims,
      issuedAt?: DateTime.Utc
    ) => Effect.Effect<{ readonly token: string; readonly expiresIn: number }>
    readonly verifyAccess: (token: string) => Effect.Effect<AccessClaims, Unauthenticated>
    readonly signPurpose: (claims: PurposeClaims) => Effect.Effect<string>
    readonly verifyPurpose: (token: string, purpose: string) => Effect.Effect<PurposeClaims, TokenInvalid>
    /** A new opaque secret (256 bits) and the hash to store instead of it. */
    readonly opaque: Effect.Effect<{ readonly token: string; readonly hash: string }>
    readonly hashOpaque: (token: string) => string
    /**
     * The opaque token that succeeds `token`: keyed with the server's signing key, so the same
     * token always has the same successor, and nobody without the key can compute it.
     */
    readonly successorOf: (token: string) => { readonly token: string; readonly hash: string }
  }
>()("@rota/core/identity/TokenSigner") {}
