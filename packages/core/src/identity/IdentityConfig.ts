/**
 * Identity policies the embedding application sets (the HTTP server reads them from its
 * environment). `Auth` reads them once, when its layer is built: provide them to that layer
 * (`Auth.layer.pipe(Layer.provide(...))`, or to the composition root), not around its calls.
 *
 * @since 0.1.0
 */
import { Context, Duration } from "effect"

/**
 * @since 0.1.0
 * @category services
 */
export const IdentityConfig = Context.Reference<{
  /** Anyone may register an account and a new organisation. */
  readonly signupOpen: boolean
  /** How long a refresh token (and so a session without activity) lives. */
  readonly refreshTtl: Duration.Duration
  /**
   * How long a rotated refresh token may come back and get the same new pair (parallel
   * requests, a lost answer) before its return counts as theft and ends the session.
   */
  readonly refreshReuseGrace: Duration.Duration
  readonly passwordResetTtl: Duration.Duration
}>("@rota/core/identity/IdentityConfig", {
  defaultValue: () => ({
    signupOpen: true,
    refreshTtl: Duration.days(30),
    refreshReuseGrace: Duration.seconds(20),
    passwordResetTtl: Duration.minutes(30)
  })
})
