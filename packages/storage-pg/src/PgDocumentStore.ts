/**
 * The default `DocumentStore`: documents' bytes in a `bytea` column of the database, so every
 * server of a deployment reads what any of them stored, and a document's bytes commit or roll
 * back with its metadata. Deployments with many large files can provide an object-store adapter
 * instead.
 *
 * @since 0.1.0
 */
import { InterventionRepos } from "@rota/core"
import { Clock, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<InterventionRepos.DocumentStore, never, SqlClient.SqlClient> = Layer.effect(
  InterventionRepos.DocumentStore,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return InterventionRepos.DocumentStore.of({
      put: (orgId, key, bytes) =>
        Effect.flatMap(
          Clock.currentTimeMillis,
          (millis) => sql`INSERT INTO document_blobs (org_id, key, bytes, created_at)
            VALUES (${orgId}, ${key}, ${bytes}, ${new Date(millis)})`
        ).pipe(Effect.asVoid, Effect.orDie),
      get: (orgId, key) =>
        sql<{
          bytes: Uint8Array
        }>`SELECT bytes FROM document_blobs WHERE org_id = ${orgId} AND key = ${key}`.pipe(
          // The driver answers a Buffer (PostgreSQL) or a Uint8Array (PGlite): both are bytes.
          Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), (row) => new Uint8Array(row.bytes))),
          Effect.orDie
        ),
      remove: (orgId, key) =>
        sql`DELETE FROM document_blobs WHERE org_id = ${orgId} AND key = ${key}`.pipe(
          Effect.asVoid,
          Effect.orDie
        )
    })
  })
)
