/**
 * What the logs know of a request beyond its method, path and status: who made it (account and
 * org, once authenticated) and, when it was refused, why. The edge gives each request its own
 * record, and writes it into the access log line and, for a refusal, a `WARN` security event;
 * authentication, the tenant check, the throttles and the error table fill it in. Secrets never
 * enter it: no password, no token, and a login name only as a digest.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Context, Effect, Option } from "effect"

/**
 * The security events the log carries, one per refused request.
 *
 * @since 0.1.0
 * @category models
 */
export type Event =
  | "security.login_failed"
  | "security.token_refused"
  | "security.refresh_reuse"
  | "security.access_denied"
  | "security.rate_limited"

/**
 * Why a request was refused: the event and a stable reason code (`wrong_password`,
 * `token_invalid`, `missing_permission`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export interface Refusal {
  readonly event: Event
  readonly reason: string
  /** The permission the caller lacked, for `missing_permission`. */
  readonly permission?: string
}

/**
 * The record of one request, filled in as it goes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Facts {
  accountId?: string
  orgId?: string
  /** The first refusal noted: the decision that answered. */
  refusal?: Refusal
  /** A digest of the login name a failed login tried, to correlate attempts without the name. */
  loginDigest?: string
}

/**
 * @since 0.1.0
 * @category services
 */
export class RequestFacts extends Context.Service<RequestFacts, Facts>()("@rota/http/RequestFacts") {}

/**
 * Adds to the current request's record (nothing outside a request). A refusal already noted is
 * kept: the first decision is the one that answered.
 *
 * @since 0.1.0
 * @category recording
 */
export const note = (facts: Facts): Effect.Effect<void> =>
  Effect.map(Effect.serviceOption(RequestFacts), (current) => {
    if (Option.isNone(current)) return
    const { refusal, ...rest } = facts
    Object.assign(current.value, rest)
    if (refusal !== undefined && current.value.refusal === undefined) current.value.refusal = refusal
  })

/**
 * A short digest of a login name (trimmed, lower case): the same name always gives the same
 * digest, so attempts against one account can be counted, and the name is not in the log.
 *
 * @since 0.1.0
 * @category recording
 */
export const loginDigest = (login: string): string =>
  createHash("sha256").update(login.trim().toLowerCase()).digest("hex").slice(0, 16)

const codeOf = (reason: string) => reason.toLowerCase().replace(/[^a-z0-9]+/g, "_")

// The reasons the authentication use case gives for refusing credentials at login.
const loginReasons = new Set(["unknown login", "wrong password", "inactive account"])

/**
 * The refusal of a failed authentication, from the reason the use case gave.
 *
 * @since 0.1.0
 * @category rules
 */
export const unauthenticated = (reason: string): Refusal => ({
  event: loginReasons.has(reason)
    ? "security.login_failed"
    : reason === "refresh token reuse"
      ? "security.refresh_reuse"
      : "security.token_refused",
  reason: codeOf(reason)
})

/**
 * The refusal an answer's status implies when nothing more precise was noted: 403 and 429 are
 * always security events; a 401 is one only when credentials were presented and refused (noted
 * where they were checked), so anonymous calls to protected routes do not flood the log.
 *
 * @since 0.1.0
 * @category rules
 */
export const refusalOf = (status: number, noted: Refusal | undefined): Refusal | undefined =>
  noted ??
  (status === 403
    ? { event: "security.access_denied", reason: "forbidden" }
    : status === 429
      ? { event: "security.rate_limited", reason: "rate_limited" }
      : undefined)
