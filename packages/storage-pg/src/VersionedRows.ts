/**
 * Writes to versioned, soft-deletable tenant rows (`org_id`, `id`, `version`, `deleted_at`):
 * compare-and-set updates, soft delete and restore. Each is one statement that both checks and
 * changes, so concurrent writers from one version can never both succeed.
 *
 * @since 0.1.0
 */
import { Errors } from "@rota/core"
import { Effect } from "effect"
import { SqlClient, type SqlError, type Statement } from "effect/sql"
import { constraintName, sqlState, type UniqueConstraints } from "./SqlErrors.ts"

/**
 * Which row, and the version the change was based on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly table: string
  /** The entity name errors report (`resource`, `booking`, ...). */
  readonly entity: string
  readonly orgId: string
  readonly id: string
  readonly expectedVersion: number | undefined
  /** Unique indexes a write may collide with, reported as `AlreadyExists`. */
  readonly unique?: UniqueConstraints | undefined
}

// Called after a guarded statement touched nothing, to say why: gone, or changed meanwhile.
const explain = (
  sql: SqlClient.SqlClient,
  target: Target,
  deleted: boolean
): Effect.Effect<never, Errors.NotFound | Errors.PreconditionFailed | SqlError.SqlError> =>
  Effect.flatMap(
    sql<{ version: number }>`SELECT version FROM ${sql(target.table)}
      WHERE org_id = ${target.orgId} AND id = ${target.id}
        AND deleted_at IS ${deleted ? sql.literal("NOT NULL") : sql.literal("NULL")}`,
    (rows): Effect.Effect<never, Errors.NotFound | Errors.PreconditionFailed> =>
      rows.length === 0
        ? Effect.fail(new Errors.NotFound({ entity: target.entity, id: target.id }))
        : Effect.fail(
            new Errors.PreconditionFailed({
              entity: target.entity,
              id: target.id,
              expectedVersion: target.expectedVersion ?? 0
            })
          )
  )

const versionGuard = (sql: SqlClient.SqlClient, expected: number | undefined): Statement.Fragment =>
  expected === undefined ? sql`TRUE` : sql`version = ${expected}`

const guarded = <Row extends object>(
  target: Target,
  deleted: boolean,
  statement: (sql: SqlClient.SqlClient) => Statement.Statement<Row>
): Effect.Effect<
  Row,
  Errors.NotFound | Errors.PreconditionFailed | Errors.AlreadyExists,
  SqlClient.SqlClient
> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows: ReadonlyArray<Row> = yield* statement(sql)
    if (rows[0] !== undefined) return rows[0]
    return yield* explain(sql, target, deleted)
  }).pipe(
    Effect.catchTag("SqlError", (error) => {
      const taken = sqlState(error) === "23505" ? target.unique?.[constraintName(error) ?? ""] : undefined
      return taken === undefined ? Effect.die(error) : Effect.fail(new Errors.AlreadyExists(taken))
    })
  )

/**
 * Sets `changes` on a live row if its version is the expected one, raising the version by one;
 * answers the updated row.
 *
 * @since 0.1.0
 * @category writes
 */
export const update = <Row extends object>(target: Target, changes: Readonly<Record<string, unknown>>) =>
  guarded<Row>(
    target,
    false,
    (sql) => sql<Row>`UPDATE ${sql(target.table)}
      SET ${Object.keys(changes).length === 0 ? sql`` : sql`${sql.update(changes)}, `}version = version + 1
      WHERE org_id = ${target.orgId} AND id = ${target.id} AND deleted_at IS NULL
        AND ${versionGuard(sql, target.expectedVersion)}
      RETURNING *`
  )

/**
 * Hides a live row (sets `deleted_at`), raising its version; answers the row.
 *
 * @since 0.1.0
 * @category writes
 */
export const softDelete = <Row extends object>(target: Target, at: Date) =>
  guarded<Row>(
    target,
    false,
    (sql) => sql<Row>`UPDATE ${sql(target.table)}
      SET deleted_at = ${at}, version = version + 1
      WHERE org_id = ${target.orgId} AND id = ${target.id} AND deleted_at IS NULL
        AND ${versionGuard(sql, target.expectedVersion)}
      RETURNING *`
  )

/**
 * Brings a soft-deleted row back, raising its version; answers the row.
 *
 * @since 0.1.0
 * @category writes
 */
export const restore = <Row extends object>(target: Target) =>
  guarded<Row>(
    target,
    true,
    (sql) => sql<Row>`UPDATE ${sql(target.table)}
      SET deleted_at = NULL, version = version + 1
      WHERE org_id = ${target.orgId} AND id = ${target.id} AND deleted_at IS NOT NULL
        AND ${versionGuard(sql, target.expectedVersion)}
      RETURNING *`
  )
