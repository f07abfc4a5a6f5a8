/**
 * Opaque refresh tokens: 256 random bits, stored only as their SHA-256 hash. A token's successor
 * is keyed from it with the server's signing key, so the same token always has the same
 * successor and nobody without the key can compute it. Plain functions: the `TokenSigner` port
 * hashes synchronously.
 *
 * @since 0.1.0
 */
import { createHash, createHmac, randomBytes } from "node:crypto"
import type { SigningKeys } from "./SigningKeys.ts"

/**
 * The hash stored instead of `token`.
 *
 * @since 0.1.0
 * @category hashing
 */
export const hash = (token: string): string => createHash("sha256").update(token).digest("hex")

/**
 * A new token and its hash.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): { readonly token: string; readonly hash: string } => {
  const token = randomBytes(32).toString("base64url")
  return { token, hash: hash(token) }
}

/**
 * The successor of a token, keyed with the current signing key of `keys`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const successorUnder =
  (keys: SigningKeys["Service"]) =>
  (token: string): { readonly token: string; readonly hash: string } => {
    const next = createHmac("sha256", keys.current.secret)
      .update(`refresh-successor\0${token}`)
      .digest("base64url")
    return { token: next, hash: hash(next) }
  }
