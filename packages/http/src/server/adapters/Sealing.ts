/**
 * AES-256-GCM sealing of short secrets at rest, shared by webhook secrets and rotated signing
 * keys: a sealed value names the key it was sealed with, so several keys can open.
 *
 * @since 0.1.0
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"

/**
 * Seals `secret` with `key` (32 bytes) as `v1.<kid>.<iv>.<ciphertext>.<tag>`, base64url parts.
 *
 * @since 0.1.0
 * @category sealing
 */
export const seal = (secret: string, kid: string, key: Uint8Array): string => {
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  cipher.setAAD(Buffer.from(kid))
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()])
  return [
    "v1",
    kid,
    iv.toString("base64url"),
    sealed.toString("base64url"),
    cipher.getAuthTag().toString("base64url")
  ].join(".")
}

/**
 * Opens what {@link seal} sealed; `undefined` for an unknown key or a tampered value.
 *
 * @since 0.1.0
 * @category sealing
 */
export const open = (sealed: string, keys: ReadonlyMap<string, Uint8Array>): string | undefined => {
  const [version, kid, iv, data, tag] = sealed.split(".")
  const key = kid === undefined ? undefined : keys.get(kid)
  if (version !== "v1" || key === undefined || iv === undefined || data === undefined || tag === undefined)
    return undefined
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"))
    decipher.setAAD(Buffer.from(kid!))
    decipher.setAuthTag(Buffer.from(tag, "base64url"))
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8")
  } catch {
    return undefined
  }
}
