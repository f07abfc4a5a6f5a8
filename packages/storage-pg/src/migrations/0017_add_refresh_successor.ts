import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * A rotated refresh token remembers the hash of the token that replaced it, so a replay within
 * the grace period can be recognised as the same rotation (and answered with the same pair)
 * rather than as a stolen copy.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE refresh_tokens ADD COLUMN successor_hash text`
})
