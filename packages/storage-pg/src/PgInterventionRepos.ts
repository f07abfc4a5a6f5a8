/**
 * Interventions on PostgreSQL: the interventions (`PgInterventionRepo`), the append-only
 * timeline, the parts used and the documents' metadata.
 *
 * @since 0.1.0
 */
import { Document, Ids, InterventionRepos, type Pagination, PartUse, TimelineEvent } from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import * as Keyset from "./Keyset.ts"
import * as PendingWrites from "./PendingWrites.ts"
import { interventionRepo } from "./PgInterventionRepo.ts"
import * as PgRecords from "./PgRecords.ts"

const utc = (instant: DateTime.Utc) => DateTime.toDateUtc(instant)

export {
  /** @since 0.1.0 */
  interventionRepo
} from "./PgInterventionRepo.ts"

// --- pages of an intervention's rows ------------------------------------------------------------

// A page of one intervention's rows in `table`, oldest first by `column` then id.
const pageOf = <A>(
  sql: SqlClient.SqlClient,
  options: {
    readonly table: string
    readonly column: string
    readonly live?: boolean
    readonly decode: (row: PgRecords.Row) => A
  }
) => {
  const column: Keyset.Column = { name: options.column, kind: "timestamp" }
  return (orgId: Ids.OrgId, interventionId: string, page: Pagination.PageRequest) =>
    Effect.gen(function* () {
      const result = yield* Keyset.page<PgRecords.Row>(sql, {
        source: sql`${sql(options.table)}`,
        conditions: [
          sql`org_id = ${orgId}`,
          sql`intervention_id = ${interventionId}`,
          options.live === true ? sql`deleted_at IS NULL` : undefined
        ],
        column,
        direction: "asc",
        limit: page.limit,
        cursor: page.cursor
      })
      return { items: result.items.map(options.decode), nextCursor: result.nextCursor }
    })
}

// --- timeline -----------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const timelineRepo: Layer.Layer<InterventionRepos.TimelineRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    InterventionRepos.TimelineRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return InterventionRepos.TimelineRepo.of({
        // Nothing reads an event back in the transaction that appends it: it goes with the held
        // writes, just before COMMIT.
        append: (event) =>
          PendingWrites.write(
            sql,
            sql`INSERT INTO intervention_events ${sql.insert({
              org_id: event.orgId,
              id: event.id,
              intervention_id: event.interventionId,
              type: event.type,
              actor_id: event.actorId,
              at: utc(event.at),
              data: JSON.stringify(event.data)
            })}`
          ).pipe(Effect.orDie),
        list: pageOf(sql, {
          table: "intervention_events",
          column: "at",
          decode: (row) => PgRecords.construct(TimelineEvent.TimelineEvent, PgRecords.toFields(row))
        })
      })
    })
  )

// --- parts used ---------------------------------------------------------------------------------

const partUseOf = (row: PgRecords.Row) => {
  const { unitPriceAmount, currency, totalAmount, ...fields } = PgRecords.toFields(row)
  return PgRecords.construct(PartUse.PartUse, {
    ...fields,
    unitPrice: { amount: Number(unitPriceAmount), currency: String(currency) },
    total: { amount: Number(totalAmount), currency: String(currency) }
  })
}

/**
 * @since 0.1.0
 * @category layers
 */
export const partUseRepo: Layer.Layer<InterventionRepos.PartUseRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    InterventionRepos.PartUseRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return InterventionRepos.PartUseRepo.of({
        insert: (use) =>
          sql`INSERT INTO intervention_parts ${sql.insert({
            org_id: use.orgId,
            id: use.id,
            intervention_id: use.interventionId,
            part_id: use.partId,
            quantity: use.quantity,
            unit_price_amount: use.unitPrice.amount,
            currency: use.unitPrice.currency,
            total_amount: use.total.amount,
            used_by: use.usedBy,
            used_at: utc(use.usedAt)
          })}`.pipe(Effect.asVoid, Effect.orDie),
        list: pageOf(sql, { table: "intervention_parts", column: "used_at", decode: partUseOf })
      })
    })
  )

// --- documents ----------------------------------------------------------------------------------

const documentOf = (row: PgRecords.Row) => PgRecords.construct(Document.Document, PgRecords.toFields(row))

/**
 * @since 0.1.0
 * @category layers
 */
export const documentRepo: Layer.Layer<InterventionRepos.DocumentRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    InterventionRepos.DocumentRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return InterventionRepos.DocumentRepo.of({
        insert: (document) =>
          sql`INSERT INTO documents ${sql.insert(PgRecords.toColumns({ ...document }))}`.pipe(
            Effect.asVoid,
            Effect.orDie
          ),
        find: (orgId, id) =>
          Ids.isUuid(id)
            ? sql<PgRecords.Row>`SELECT * FROM documents
              WHERE org_id = ${orgId} AND id = ${id} AND deleted_at IS NULL`.pipe(
                Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), documentOf)),
                Effect.orDie
              )
            : Effect.succeedNone,
        list: pageOf(sql, { table: "documents", column: "created_at", live: true, decode: documentOf }),
        softDelete: (orgId, id, at) =>
          sql<PgRecords.Row>`UPDATE documents SET deleted_at = ${utc(at)}
          WHERE org_id = ${orgId} AND id = ${id} AND deleted_at IS NULL RETURNING *`.pipe(
            Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), documentOf)),
            Effect.orDie
          )
      })
    })
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(interventionRepo, timelineRepo, partUseRepo, documentRepo)
