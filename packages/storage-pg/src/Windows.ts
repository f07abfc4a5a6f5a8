/**
 * Windows over rows with a start and an end: `end_at > from` says which rows a window keeps, but
 * bounds nothing in start order, where a page would read the org's whole history first.
 *
 * @since 0.1.0
 */
import type { Ids } from "@rota/core"
import type { SqlClient, Statement } from "effect/sql"

/**
 * `start_at > from - (the org's longest row)`: implied by `end_at > from`, it bounds the index
 * range on `(org_id, start_at, ..)`. The longest is read from the end of an index on
 * `(org_id, (end_at - start_at))`, one row. It is taken no further back than year 0001: a row as
 * long as the calendar would otherwise push the bound out of PostgreSQL's range (an error, not an
 * empty page). `column` names the start column when the table has an alias.
 *
 * @since 0.1.0
 * @category sql
 */
export const startsAfter = (
  sql: SqlClient.SqlClient,
  options: {
    readonly table: string
    readonly orgId: Ids.OrgId | string
    readonly from: Date
    readonly column?: Statement.Fragment
  }
): Statement.Fragment =>
  sql`${options.column ?? sql`start_at`} > ${options.from}::timestamptz - LEAST(
    (SELECT max(end_at - start_at) FROM ${sql(options.table)} AS longest WHERE longest.org_id = ${options.orgId}),
    ${options.from}::timestamptz - '0001-01-01T00:00:00Z'::timestamptz)`
