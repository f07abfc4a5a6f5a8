/**
 * The HMAC keys that sign tokens. `ROTA_JWT_SECRET` is one secret, or `kid1:secret1,kid2:secret2`
 * for rotation (the first signs, all verify); each at least 32 bytes. In development without it,
 * a random key is generated once and kept in the data dir, so restarts keep sessions.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Context, Effect, Layer, Redacted } from "effect"
import { ServerConfig } from "../ServerConfig.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Key {
  readonly kid: string
  readonly secret: Uint8Array
}

/**
 * @since 0.1.0
 * @category services
 */
export class SigningKeys extends Context.Service<
  SigningKeys,
  {
    readonly current: Key
    readonly byKid: ReadonlyMap<string, Key>
    /** Finds a key made after the service was built (a rotation by another process), if any. */
    readonly lookup?: ((kid: string) => Effect.Effect<Key | undefined>) | undefined
  }
>()("@rota/http/SigningKeys") {}

/**
 * Parses `ROTA_JWT_SECRET`; refuses secrets shorter than 32 bytes.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (value: string): Effect.Effect<ReadonlyArray<Key>, Error> => {
  const entries = value.split(",").map((entry, index) => {
    const colon = entry.indexOf(":")
    // A bare secret (no kid) gets a fixed kid, so tokens keep verifying after adding a second key.
    return colon > 0
      ? { kid: entry.slice(0, colon).trim(), secret: entry.slice(colon + 1) }
      : { kid: `k${index}`, secret: entry }
  })
  const weak = entries.find((entry) => Buffer.byteLength(entry.secret) < 32)
  return weak !== undefined
    ? Effect.fail(new Error(`ROTA_JWT_SECRET key ${weak.kid} is shorter than 32 bytes`))
    : Effect.succeed(
        entries.map((entry) => ({ kid: entry.kid, secret: new TextEncoder().encode(entry.secret) }))
      )
}

const developmentSecret = (dataDir: string | undefined): string => {
  if (dataDir === undefined) return randomBytes(32).toString("base64url")
  const file = join(dataDir, "jwt-secret")
  if (existsSync(file)) return readFileSync(file, "utf8").trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString("base64url")
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SigningKeys, never, ServerConfig> = Layer.effect(
  SigningKeys,
  Effect.gen(function* () {
    const config = yield* ServerConfig
    const value =
      config.jwtSecret === undefined
        ? yield* Effect.sync(() => `dev:${developmentSecret(config.dataDir)}`)
        : Redacted.value(config.jwtSecret)
    // A weak or malformed key is a configuration mistake: refuse to start, saying why.
    const keys = yield* Effect.orDie(parse(value))
    return SigningKeys.of({ current: keys[0]!, byKid: new Map(keys.map((key) => [key.kid, key])) })
  })
)
