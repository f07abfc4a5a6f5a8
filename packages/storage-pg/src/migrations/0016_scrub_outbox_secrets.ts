import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Outbox messages used to carry the tokens of secret links (password resets, invitations,
 * mission invitations); they now name their record and the token is signed at delivery. The
 * tokens already written are removed: such a message that was not yet delivered is then not
 * sent, and its person asks again.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`UPDATE outbox_messages SET payload = payload - 'token' WHERE payload ? 'token'`
})
