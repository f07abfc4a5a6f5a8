/**
 * Errors of authentication and tokens.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A signed token (invitation, password reset) is malformed, tampered with, expired, or for
 * another purpose.
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenInvalid extends Schema.TaggedError<TokenInvalid>()("TokenInvalid", {
  purpose: Schema.String
}) {}

/**
 * A single-use token was already used (or revoked).
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenUsed extends Schema.TaggedError<TokenUsed>()("TokenUsed", {
  purpose: Schema.String
}) {}

/**
 * Self-service sign-up is closed on this server.
 *
 * @since 0.1.0
 * @category errors
 */
export class SignupClosed extends Schema.TaggedError<SignupClosed>()("SignupClosed", {}) {}
