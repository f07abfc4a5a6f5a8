import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * A membership records how the person works for the org (employee, contractor, freelance or
 * intern), as the crew profile of a technician asks. Optional: existing members have none.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE memberships ADD COLUMN employment_type text
    CHECK (employment_type IN ('EMPLOYEE', 'CONTRACTOR', 'FREELANCE', 'INTERN'))`
})

/**
 * Reverses the migration. Drops the column: the employment types recorded since are lost.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE memberships DROP COLUMN employment_type`
})
