/**
 * The six routes every inventory record shares (sites, tags, resources, parts): the record
 * routes of {@link recordEndpoints} with the inventory permissions, numbered pages and the
 * inventory's errors.
 *
 * @since 0.1.0
 */
// biome-ignore lint/correctness/noUnusedImports: the declaration build names the type the Idempotent middleware requires (CurrentActor) through this import; without it, TS2883
import type { RequestContext } from "@rota/core"
import type { Schema } from "effect"
import { includeDeleted, ListPage, numberedPage, page, sort } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { recordEndpoints as record } from "./RecordEndpoints.ts"

/**
 * The six routes of a versioned, soft-deletable inventory record under `path`: list, create,
 * get, update (If-Match required), soft delete and restore.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const recordEndpoints = <
  const Path extends `/${string}`,
  S extends Schema.Top & { readonly Type: { readonly version: number } },
  C extends Schema.Top,
  U extends Schema.Top,
  Q extends Schema.Struct.Fields,
  P extends Schema.Struct.Fields,
  const SortFields extends ReadonlyArray<string>
>(options: {
  readonly path: Path
  /** The record's name in summaries: `site` gives "List sites", "Get a site". */
  readonly noun: { readonly one: string; readonly many: string }
  readonly entity: S
  readonly idParam: P
  readonly create: C
  readonly update: U
  readonly filters: Q
  readonly sortFields: SortFields
}) =>
  record({
    path: options.path,
    noun: options.noun,
    permissions: { read: "inventory.read", write: "inventory.write" },
    entity: options.entity,
    idParam: options.idParam,
    list: {
      query: { ...page, ...numberedPage, ...options.filters, ...includeDeleted, ...sort(options.sortFields) },
      success: ListPage(options.entity)
    },
    create: { payload: options.create, errors: [Problems.AlreadyExists, Problems.ValidationFailed] },
    update: { payload: options.update, errors: [Problems.AlreadyExists, Problems.ValidationFailed] },
    restoreErrors: [Problems.AlreadyExists]
  })
