/**
 * Signing keys made by `rota rotate-signing-key`, kept in the database so every server shares
 * them, each sealed (AES-256-GCM) with a key derived from the configured secret. The newest
 * signs; every stored and configured key still verifies, so tokens and links signed before a
 * rotation stay valid until they expire. A server picks up a rotation when it starts; until then
 * it signs with the previous key, and it finds the new key the first time a token names it.
 *
 * @since 0.1.0
 */
import { hkdfSync, randomBytes } from "node:crypto"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import type { ServerConfig } from "../ServerConfig.ts"
import { open, seal } from "./Sealing.ts"
import * as SigningKeys from "./SigningKeys.ts"

const derive = (key: SigningKeys.Key) =>
  Buffer.from(hkdfSync("sha256", key.secret, "rota", "rota signing keys v1", 32))

const sealingKeys = (configured: SigningKeys.SigningKeys["Service"]) =>
  new Map<string, Uint8Array>([...configured.byKid].map(([kid, key]) => [`j-${kid}`, derive(key)]))

type Row = { readonly kid: string; readonly sealed: string }

// A key sealed under a configured secret that is gone no longer opens: it is left out (its
// tokens fail as expired ones do) rather than stopping the server.
const opened = (rows: ReadonlyArray<Row>, keys: ReadonlyMap<string, Uint8Array>) =>
  rows.flatMap((row): Array<SigningKeys.Key> => {
    const secret = open(row.sealed, keys)
    return secret === undefined ? [] : [{ kid: row.kid, secret: new TextEncoder().encode(secret) }]
  })

/**
 * The configured keys plus the stored ones, the newest stored key signing.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SigningKeys.SigningKeys, never, ServerConfig | SqlClient.SqlClient> =
  Layer.effect(
    SigningKeys.SigningKeys,
    Effect.gen(function* () {
      const configured = yield* SigningKeys.SigningKeys
      const sql = yield* SqlClient.SqlClient
      const unseal = sealingKeys(configured)
      const stored = opened(
        yield* sql<Row>`SELECT kid, sealed FROM signing_keys ORDER BY created_at DESC, kid DESC`.pipe(
          Effect.orDie
        ),
        unseal
      )
      const byKid = new Map([...configured.byKid, ...stored.map((key) => [key.kid, key] as const)])
      const lookup = Effect.fn("SigningKeys.lookup")(function* (kid: string) {
        const rows = yield* sql<Row>`SELECT kid, sealed FROM signing_keys WHERE kid = ${kid}`.pipe(
          Effect.orElseSucceed((): ReadonlyArray<Row> => [])
        )
        const key = opened(rows, unseal)[0]
        if (key !== undefined) byKid.set(key.kid, key)
        return key
      })
      return SigningKeys.SigningKeys.of({ current: stored[0] ?? configured.current, byKid, lookup })
    })
  ).pipe(Layer.provide(SigningKeys.layer))

/**
 * Makes a new signing key (256 random bits) the one servers sign with from their next start;
 * the previous keys stay for verifying. Answers the new key's id.
 *
 * @since 0.1.0
 * @category rotation
 */
export const rotate: Effect.Effect<string, never, ServerConfig | SqlClient.SqlClient> = Effect.gen(
  function* () {
    const configured = yield* SigningKeys.SigningKeys
    const sql = yield* SqlClient.SqlClient
    const kid = `r${Date.now().toString(36)}${randomBytes(3).toString("hex")}`
    const sealingKid: string = `j-${configured.current.kid}`
    const sealed = seal(
      randomBytes(32).toString("base64url"),
      sealingKid,
      sealingKeys(configured).get(sealingKid)!
    )
    yield* sql`INSERT INTO signing_keys ${sql.insert({ kid, sealed })}`.pipe(Effect.orDie)
    return kid
  }
).pipe(Effect.provide(SigningKeys.layer))
