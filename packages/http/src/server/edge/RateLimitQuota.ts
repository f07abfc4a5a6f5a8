/**
 * What a rate limit tells about a request: what is left of its quota, or which quota ran out.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * What is left of one quota after a request.
 *
 * @since 0.1.0
 * @category models
 */
export const Quota = Schema.Struct({
  limit: Schema.Int,
  remaining: Schema.Int,
  /** Seconds until the quota is whole again. */
  resetSeconds: Schema.Int
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Quota extends Schema.Schema.Type<typeof Quota> {}

/**
 * Which quota ran out: the client address or login name on auth routes, the account, or the
 * client address or link token on the public link routes (calendar feeds, intake).
 *
 * @since 0.1.0
 * @category models
 */
export const Scope = Schema.Literals(["ip", "login", "account", "public_ip", "public_token"])

/**
 * @since 0.1.0
 * @category models
 */
export type Scope = typeof Scope.Type

/**
 * A quota is exhausted; the request must not run. Render it with `RateLimits.toResponse`.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitExceeded extends Schema.TaggedError<RateLimitExceeded>()("RateLimitExceeded", {
  scope: Scope,
  retryAfterSeconds: Schema.Int,
  quota: Quota
}) {}
