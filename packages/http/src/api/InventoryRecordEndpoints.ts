/**
 * The six routes every inventory record shares (sites, tags, resources, parts): list, create,
 * get, update, soft delete and restore.
 *
 * @since 0.1.0
 */
import type { Schema } from "effect"
import { HttpApiEndpoint, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { includeDeleted, ListPage, numberedPage, page, sort } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { Requires } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]

/**
 * The six routes of a versioned, soft-deletable record under `path`: list, create, get,
 * update (If-Match required), soft delete and restore.
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
  [
    HttpApiEndpoint.get("list", options.path, {
      query: { ...page, ...numberedPage, ...options.filters, ...includeDeleted, ...sort(options.sortFields) },
      success: ListPage(options.entity)
    })
      .annotate(OpenApi.Summary, `List ${options.noun.many}`)
      .annotate(Requires, "inventory.read"),
    HttpApiEndpoint.post("create", options.path, {
      headers: IdempotencyKeyHeader,
      payload: options.create,
      // An annotation changes no type; TypeScript cannot see that through the generic schema.
      success: withEtag(options.entity.pipe(HttpApiSchema.status(201)) as S),
      error: [Problems.AlreadyExists, Problems.ValidationFailed]
    })
      .annotate(OpenApi.Summary, `Create ${options.noun.one}`)
      .annotate(Requires, "inventory.write")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", `${options.path}/:id`, {
      params: options.idParam,
      query: includeDeleted,
      success: withEtag(options.entity),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, `Get ${options.noun.one}`)
      .annotate(Requires, "inventory.read"),
    HttpApiEndpoint.patch("update", `${options.path}/:id`, {
      params: options.idParam,
      headers: IfMatch,
      payload: options.update,
      success: withEtag(options.entity),
      error: [...writeErrors, Problems.AlreadyExists, Problems.ValidationFailed]
    })
      .annotate(OpenApi.Summary, `Update ${options.noun.one}`)
      .annotate(Requires, "inventory.write"),
    HttpApiEndpoint.delete("remove", `${options.path}/:id`, {
      params: options.idParam,
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(OpenApi.Summary, `Delete ${options.noun.one}`)
      .annotate(Requires, "inventory.write"),
    HttpApiEndpoint.post("restore", `${options.path}/:id/restore`, {
      params: options.idParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(options.entity),
      error: [...writeErrors, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, `Restore a deleted ${options.noun.one.replace(/^an? /, "")}`)
      .annotate(Requires, "inventory.write")
      .middleware(Idempotent)
  ] as const
