import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/** btree_gist lets one exclusion constraint mix equality on ids with overlap on time ranges. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE EXTENSION IF NOT EXISTS btree_gist`
})
