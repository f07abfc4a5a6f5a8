/**
 * Which GET answers the response cache may keep, and whom a kept answer may be given to. The
 * lists are explicit: a route that is not named here is cached per account, the narrowest
 * sharing there is, so a new route can never leak one person's answer to another.
 *
 * @since 0.1.0
 */

/**
 * Who may be given a kept answer: everyone of the same role in the org (`role`), only the same
 * account (`account`), or nobody (`none`: never kept).
 *
 * @since 0.1.0
 * @category models
 */
export type Sharing = "role" | "account" | "none"

// Answers that depend on the org's data and the caller's role only: their use cases read the
// actor's org and permissions, never the account (checked when a route joins this list).
const sharedByRole: ReadonlyArray<RegExp> = [
  /^\/v1\/org$/,
  /^\/v1\/(sites|tags|parts|units)(\/[^/]+)?$/,
  /^\/v1\/resources(\/[^/]+)?$/,
  /^\/v1\/resources\/[^/]+\/units$/,
  /^\/v1\/(projects|missions)(\/[^/]+)?$/,
  /^\/v1\/maintenance-plans(\/[^/]+(\/occurrences)?)?$/
]

// Never kept: private to an account and changed by deliveries rather than requests
// (notifications), the caller's own settings, the audit trail (read rarely, by few, and a record
// of security events), document downloads and CSV exports (large and streamed) and reports (they
// depend on the clock, an overdue booking's hours growing with no write, and answer JSON or CSV by
// `Accept`).
const neverKept: ReadonlyArray<RegExp> = [
  /^\/v1\/notifications(\/|$)/,
  /^\/v1\/exports\//,
  /^\/v1\/me(\/|$)/,
  /^\/v1\/audit(\/|$)/,
  /^\/v1\/documents\//,
  /^\/v1\/reports\//
]

/**
 * How the answer to a GET of `path` (without its query) may be shared.
 *
 * @since 0.1.0
 * @category rules
 */
export const sharingOf = (path: string): Sharing => {
  if (!path.startsWith("/v1/") || neverKept.some((pattern) => pattern.test(path))) return "none"
  return sharedByRole.some((pattern) => pattern.test(path)) ? "role" : "account"
}

/**
 * The request target with its query parameters sorted by name, so `?a=1&b=2` and `?b=2&a=1` name
 * the same answer. Values of a repeated name keep their order, which may matter.
 *
 * @since 0.1.0
 * @category rules
 */
export const normalizedTarget = (url: string): { readonly path: string; readonly target: string } => {
  const at = url.indexOf("?")
  if (at < 0) return { path: url, target: url }
  const path = url.slice(0, at)
  const params = [...new URLSearchParams(url.slice(at + 1))]
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const query = new URLSearchParams(params).toString()
  return { path, target: query.length === 0 ? path : `${path}?${query}` }
}

/**
 * Writes that name no org still change what some org shows (a member's own profile, an accepted
 * invitation): all cached answers go, except after the auth routes (sign-up, sign-in, tokens,
 * passwords), which change accounts and sessions, never what an org shows.
 *
 * @since 0.1.0
 * @category rules
 */
export const isSessionOnlyWrite = (path: string): boolean => path.startsWith("/v1/auth/")
