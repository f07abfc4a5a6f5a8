/**
 * The six routes of a versioned, soft-deletable record (inventory records, projects, missions,
 * interventions): list, create, get, update, soft delete and restore, declared once so they
 * cannot drift apart.
 *
 * @since 0.1.0
 */
// biome-ignore lint/correctness/noUnusedImports: the declaration build names the type the Idempotent middleware requires (CurrentActor) through this import; without it, TS2883
import type { RequestContext } from "@rota/core"
import type { Schema } from "effect"
import { HttpApiEndpoint, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { includeDeleted } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { Requires } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired] as const

type Versioned = Schema.Top & { readonly Type: { readonly version: number } }
type WithEtag<S extends Versioned> = ReturnType<typeof withEtag<S>>
type WriteErrors = typeof writeErrors

// The endpoint with `description`, when there is one to give.
const described = <E extends { readonly annotate: (key: typeof OpenApi.Description, value: string) => E }>(
  endpoint: E,
  description: string | undefined
): E => (description === undefined ? endpoint : endpoint.annotate(OpenApi.Description, description))

/**
 * Update, soft delete and restore: the routes that change an existing record, all guarded by
 * `If-Match`.
 */
const changeEndpoints = <
  const Path extends `/${string}`,
  S extends Versioned,
  P extends Schema.Struct.Fields,
  U extends Schema.Top,
  const UpdateErrors extends ReadonlyArray<Schema.Top>,
  const RemoveErrors extends ReadonlyArray<Schema.Top>,
  const RestoreErrors extends ReadonlyArray<Schema.Top>
>(options: {
  readonly path: Path
  readonly noun: { readonly one: string }
  readonly permissions: { readonly write: string }
  readonly entity: S
  readonly idParam: P
  readonly update: { readonly payload: U; readonly errors: UpdateErrors }
  readonly removeErrors?: RemoveErrors | undefined
  readonly removeDescription?: string | undefined
  readonly restoreErrors: RestoreErrors
}) =>
  [
    // The errors are problem schemas, never streams, which the endpoint checks; TypeScript cannot
    // decide that check for a generic list, so the types are given and the lists passed unchecked.
    HttpApiEndpoint.patch<
      "update",
      `${Path}/:id`,
      P,
      never,
      U,
      typeof IfMatch,
      WithEtag<S>,
      readonly [...WriteErrors, ...UpdateErrors]
    >("update", `${options.path}/:id`, {
      params: options.idParam,
      headers: IfMatch,
      payload: options.update.payload,
      success: withEtag(options.entity),
      error: [...writeErrors, ...options.update.errors] as never
    })
      .annotate(OpenApi.Summary, `Update ${options.noun.one}`)
      .annotate(Requires, options.permissions.write),
    described(
      HttpApiEndpoint.delete<
        "remove",
        `${Path}/:id`,
        P,
        never,
        never,
        typeof IfMatch,
        typeof HttpApiSchema.NoContent,
        readonly [...WriteErrors, ...RemoveErrors]
      >("remove", `${options.path}/:id`, {
        params: options.idParam,
        headers: IfMatch,
        success: HttpApiSchema.NoContent,
        error: [...writeErrors, ...(options.removeErrors ?? [])] as never
      })
        .annotate(OpenApi.Summary, `Delete ${options.noun.one}`)
        .annotate(Requires, options.permissions.write),
      options.removeDescription
    ),
    HttpApiEndpoint.post<
      "restore",
      `${Path}/:id/restore`,
      P,
      never,
      never,
      typeof IfMatch & typeof IdempotencyKeyHeader,
      WithEtag<S>,
      readonly [...WriteErrors, ...RestoreErrors]
    >("restore", `${options.path}/:id/restore`, {
      params: options.idParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(options.entity),
      error: [...writeErrors, ...options.restoreErrors] as never
    })
      .annotate(OpenApi.Summary, `Restore a deleted ${options.noun.one.replace(/^an? /, "")}`)
      .annotate(Requires, options.permissions.write)
      .middleware(Idempotent)
  ] as const

/**
 * The six routes of a versioned, soft-deletable record under `path`: list, create, get,
 * update (If-Match required), soft delete and restore. Update, soft delete and restore answer
 * the conditional-write errors, then the record's own ones.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const recordEndpoints = <
  const Path extends `/${string}`,
  S extends Versioned,
  P extends Schema.Struct.Fields,
  Q extends Schema.Struct.Fields,
  L extends Schema.Top,
  C extends Schema.Top,
  U extends Schema.Top,
  const CreateErrors extends ReadonlyArray<Schema.Top>,
  const UpdateErrors extends ReadonlyArray<Schema.Top>,
  const RestoreErrors extends ReadonlyArray<Schema.Top>,
  G extends Versioned = S,
  const RemoveErrors extends ReadonlyArray<Schema.Top> = readonly []
>(options: {
  readonly path: Path
  /** The record's name in summaries: `a site` gives "List sites", "Get a site". */
  readonly noun: { readonly one: string; readonly many: string }
  /** The permissions checked on reads (list, get) and on writes. */
  readonly permissions: { readonly read: string; readonly write: string }
  readonly entity: S
  /** What `get` answers when it is richer than the entity; the entity by default. */
  readonly view?: G
  readonly idParam: P
  /** The list's whole query (pagination, filters, `includeDeleted`, sort) and its page. */
  readonly list: { readonly query: Q; readonly success: L }
  readonly create: { readonly payload: C; readonly errors: CreateErrors }
  readonly update: { readonly payload: U; readonly errors: UpdateErrors }
  /** The record's own refusals of a soft delete, beside the conditional-write errors. */
  readonly removeErrors?: RemoveErrors | undefined
  /** What a soft delete does beyond hiding the record, when it does more. */
  readonly removeDescription?: string | undefined
  readonly restoreErrors: RestoreErrors
}) =>
  [
    HttpApiEndpoint.get("list", options.path, { query: options.list.query, success: options.list.success })
      .annotate(OpenApi.Summary, `List ${options.noun.many}`)
      .annotate(Requires, options.permissions.read),
    // As in changeEndpoints: the error types are given, the list passed unchecked.
    HttpApiEndpoint.post<
      "create",
      Path,
      never,
      never,
      C,
      typeof IdempotencyKeyHeader,
      WithEtag<S>,
      CreateErrors
    >("create", options.path, {
      headers: IdempotencyKeyHeader,
      payload: options.create.payload,
      // An annotation changes no type; TypeScript cannot see that through the generic schema.
      success: withEtag(options.entity.pipe(HttpApiSchema.status(201)) as S),
      error: options.create.errors as never
    })
      .annotate(OpenApi.Summary, `Create ${options.noun.one}`)
      .annotate(Requires, options.permissions.write)
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", `${options.path}/:id`, {
      params: options.idParam,
      query: includeDeleted,
      // Without a view, `G` is `S` and this is the entity.
      success: withEtag((options.view ?? options.entity) as G),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, `Get ${options.noun.one}`)
      .annotate(Requires, options.permissions.read),
    ...changeEndpoints(options)
  ] as const
