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
 * `(org_id, (end_at - start_at))`, one row.
 *
 * @since 0.1.0
 * @category sql
 */
export const startsAfter = (
  sql: SqlClient.SqlClient,
  options: { readonly table: string; readonly orgId: Ids.OrgId; readonly from: Date }
): Statement.Fragment =>
  sql`start_at > ${options.from}::timestamptz - (SELECT max(end_at - start_at) FROM ${sql(options.table)} AS longest
    WHERE longest.org_id = ${options.orgId})`
