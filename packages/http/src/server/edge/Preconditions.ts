/**
 * `If-Match` for writes to versioned entities: PATCH must send it (428 without), DELETE and
 * state-changing POSTs may. The use case compares the version atomically with its write.
 *
 * @since 0.1.0
 */
import { Versioning } from "@rota/core"

const strongEtag = /^"(\d{1,10})"$/

/**
 * The version named by an `If-Match` header, for the use case to check after its permission and
 * existence checks: `missing` when absent where required, `undefined` when absent and optional
 * or `*`. Anything but a strong `"<version>"` names no version that can ever match, so it fails
 * like a stale one (412).
 *
 * @since 0.1.0
 * @category preconditions
 */
export const expectedVersion = (
  ifMatch: string | undefined,
  options: { readonly required: boolean }
): Versioning.Expected => {
  if (ifMatch === undefined) return options.required ? Versioning.missing : undefined
  const value = ifMatch.trim()
  if (value === "*") return undefined
  const match = strongEtag.exec(value)
  return match === null ? neverMatches : Number(match[1])
}

// Versions start at 1, so this one is stale whatever the entity.
const neverMatches = 0

/**
 * True when an `If-None-Match` header names `etag` (or is `*`): the client's copy is current.
 *
 * @since 0.1.0
 * @category preconditions
 */
export const isNotModified = (ifNoneMatch: string | undefined, etag: string | undefined): boolean =>
  ifNoneMatch !== undefined &&
  etag !== undefined &&
  ifNoneMatch.split(",").some((candidate) => {
    const tag = candidate.trim()
    return tag === "*" || tag === etag || tag === `W/${etag}`
  })

/**
 * {@link expectedVersion} of a request's headers.
 *
 * @since 0.1.0
 * @category preconditions
 */
export const ifMatch = (headers: { readonly "if-match"?: string }, required: boolean): Versioning.Expected =>
  expectedVersion(headers["if-match"], { required })
