/**
 * Self-service intake on PostgreSQL.
 *
 * @since 0.1.0
 */
import { IntakeRepo } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IntakeRepo.IntakeRepo, never, SqlClient.SqlClient> = Layer.effect(
  IntakeRepo.IntakeRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return IntakeRepo.IntakeRepo.of({
      generation: (orgId, unitId) =>
        sql<{ generation: number }>`SELECT generation FROM unit_intake_links
          WHERE org_id = ${orgId} AND unit_id = ${unitId}`.pipe(
          Effect.map((rows) => rows[0]?.generation ?? 0),
          Effect.orDie
        ),
      revoke: (orgId, unitId) =>
        sql<{ generation: number }>`INSERT INTO unit_intake_links (org_id, unit_id, generation)
          VALUES (${orgId}, ${unitId}, 1)
          ON CONFLICT (org_id, unit_id) DO UPDATE SET generation = unit_intake_links.generation + 1
          RETURNING generation`.pipe(
          Effect.map((rows) => rows[0]!.generation),
          Effect.orDie
        ),
      record: ({ orgId, unitId, interventionId, at }) =>
        sql`INSERT INTO intake_requests (org_id, intervention_id, unit_id, created_at)
          VALUES (${orgId}, ${interventionId}, ${unitId}, ${DateTime.toDateUtc(at)})`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      // Takes the unit's link row first, so concurrent requests to one unit count one by one
      // and the hourly share holds exactly; the count is a statement of its own, so it reads
      // what committed while it waited for the row (a statement sees the rows of its start).
      countSince: (orgId, unitId, since) =>
        Effect.gen(function* () {
          yield* sql`INSERT INTO unit_intake_links (org_id, unit_id) VALUES (${orgId}, ${unitId})
            ON CONFLICT (org_id, unit_id) DO UPDATE SET generation = unit_intake_links.generation`
          const rows = yield* sql<{ recent: number }>`SELECT count(*)::int AS recent FROM intake_requests
            WHERE org_id = ${orgId} AND unit_id = ${unitId} AND created_at >= ${DateTime.toDateUtc(since)}`
          return rows[0]?.recent ?? 0
        }).pipe(Effect.orDie)
    })
  })
)
