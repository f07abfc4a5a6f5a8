import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Self-service intake: a unit's link generation (revoking moves it on, ending every printed link
 * of the unit) and the requests its form took, counted per unit and hour.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE unit_intake_links (
      org_id uuid NOT NULL,
      unit_id uuid NOT NULL,
      generation integer NOT NULL DEFAULT 0 CHECK (generation >= 0),
      PRIMARY KEY (org_id, unit_id),
      FOREIGN KEY (org_id, unit_id) REFERENCES resource_units (org_id, id)
    )`
  yield* sql`
    CREATE TABLE intake_requests (
      org_id uuid NOT NULL,
      intervention_id uuid NOT NULL,
      unit_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, intervention_id),
      FOREIGN KEY (org_id, intervention_id) REFERENCES interventions (org_id, id),
      FOREIGN KEY (org_id, unit_id) REFERENCES resource_units (org_id, id)
    )`
  yield* sql`CREATE INDEX intake_requests_unit_time ON intake_requests (org_id, unit_id, created_at)`
})

/**
 * Drops the intake link generations (printed codes of revoked links work again) and the request log; the interventions stay.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP TABLE intake_requests`
  yield* sql`DROP TABLE unit_intake_links`
})
