import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Token signing keys made by `rota rotate-signing-key`, sealed with a key derived from the
 * configured secret. Kept in the database so every server shares them: the newest signs, all
 * verify, so tokens signed before a rotation stay valid until they expire.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE signing_keys (
      kid text PRIMARY KEY,
      sealed text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`
})

/**
 * Reverses the migration. Servers go back to the configured keys: tokens signed with a rotated
 * key stop verifying, and their holders sign in again.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP TABLE signing_keys`
})
