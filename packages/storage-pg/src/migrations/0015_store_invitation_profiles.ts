import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * An invitation keeps what the inviting org typed about the person (name, username, phone,
 * skills, tags): adding someone without a password now invites them instead of creating or
 * linking an account, and acceptance applies the profile then.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE invitations ADD COLUMN profile jsonb NOT NULL DEFAULT '{}'`
})
