/**
 * The memory counterpart of the PostgreSQL `Records` helper: versioned, soft-deletable records of
 * one org, listed in keyset pages, written compare-and-set on the version, with unique fields
 * checked among live records. The inventory and crew memory adapters are each a few lines on it.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Result } from "effect"
import { AlreadyExists, NotFound, PreconditionFailed } from "../kernel/Errors.ts"
import { isUuid, type OrgId } from "../kernel/Ids.ts"
import type { Changes, Records, Versioned } from "../kernel/Records.ts"
import { attempt, MemoryDatabase, put, rows, type Table } from "./MemoryDatabase.ts"
import { pageOf } from "./MemoryPages.ts"

/**
 * A field no two live records of an org share, compared by `key`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unique<A> {
  readonly field: string
  readonly key: (record: A) => string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options<
  A extends Versioned & { readonly createdAt: DateTime.Utc },
  Filters,
  SortField extends string
> {
  /** The table's name in the database. */
  readonly table: string
  /** The entity name errors report: `site`, `resource`. */
  readonly entity: string
  /** Builds the record from its fields (the entity's class constructor). */
  readonly make: (fields: A) => A
  readonly filters: (record: A, filters: Filters) => boolean
  /** Each sort's key; ties break on the id. */
  readonly sorts: Readonly<Record<SortField, (record: A) => string | number>>
  readonly defaultSort: { readonly field: NoInfer<SortField>; readonly direction: "asc" | "desc" }
  readonly unique?: ReadonlyArray<Unique<A>> | undefined
  /**
   * How a stored record reads, given the database (a resource's tag names come from the tags
   * it links); stored as written when omitted.
   */
  readonly view?: Effect.Effect<(record: A) => A, never, MemoryDatabase> | undefined
}

/**
 * Case-insensitive text, as PostgreSQL's `ILIKE` matches it: true when `q` is blank.
 *
 * @since 0.1.0
 * @category filters
 */
export const contains = (q: string | undefined, ...texts: ReadonlyArray<string | null>): boolean => {
  const text = q?.trim().toLowerCase()
  return (
    text === undefined || text === "" || texts.some((field) => field?.toLowerCase().includes(text) === true)
  )
}

/**
 * Epoch milliseconds of a timestamp, a sort key.
 *
 * @since 0.1.0
 * @category sorts
 */
export const millis = (at: DateTime.Utc): number => DateTime.toEpochMillis(at)

const keyOf = (orgId: string, id: string) => `${orgId}/${id}`

/**
 * The records' table, keyed by org and id, for adapters that read it beside the records.
 *
 * @since 0.1.0
 * @category tables
 */
export const tableOf = <A>(name: string): Table<ReadonlyMap<string, A>> => rows<A>(name)

// The unique field a live record of the org other than `record` already holds, as the error.
const taken = <A extends Versioned>(
  options: { readonly entity: string; readonly unique?: ReadonlyArray<Unique<A>> | undefined },
  all: ReadonlyMap<string, A>,
  record: A
): AlreadyExists | undefined => {
  const clash = (options.unique ?? []).find((unique) =>
    [...all.values()].some(
      (other) =>
        other.orgId === record.orgId &&
        other.id !== record.id &&
        other.deletedAt === null &&
        unique.key(other) === unique.key(record)
    )
  )
  return clash === undefined ? undefined : new AlreadyExists({ entity: options.entity, field: clash.field })
}

// Compare-and-set on a record that is live (or deleted, for a restore); says why otherwise.
const changed = <A extends Versioned>(
  options: {
    readonly entity: string
    readonly unique?: ReadonlyArray<Unique<A>> | undefined
    readonly make: (fields: A) => A
  },
  all: ReadonlyMap<string, A>,
  target: {
    readonly orgId: OrgId
    readonly id: string
    readonly expectedVersion: number | undefined
    readonly deleted: boolean
  },
  f: (record: A) => A
): Result.Result<readonly [A, ReadonlyMap<string, A>], NotFound | PreconditionFailed | AlreadyExists> => {
  const { entity, id, expectedVersion } = { ...target, entity: options.entity }
  const before = all.get(keyOf(target.orgId, id))
  if (before === undefined || (before.deletedAt !== null) !== target.deleted)
    return Result.fail(new NotFound({ entity, id }))
  if (expectedVersion !== undefined && before.version !== expectedVersion)
    return Result.fail(new PreconditionFailed({ entity, id, expectedVersion }))
  const after = options.make({ ...f(before), version: before.version + 1 })
  const clash = after.deletedAt === null ? taken(options, all, after) : undefined
  return clash === undefined
    ? Result.succeed([after, put(all, keyOf(target.orgId, id), after)])
    : Result.fail(clash)
}

// The org's records that match, as the store shows them, in keyset pages.
const lister =
  <A extends Versioned & { readonly createdAt: DateTime.Utc }, Filters, SortField extends string>(
    options: Options<A, Filters, SortField>,
    database: MemoryDatabase["Service"],
    table: Table<ReadonlyMap<string, A>>,
    view: Effect.Effect<(record: A) => A>
  ): Records<A, Filters, SortField>["list"] =>
  (orgId, query) =>
    Effect.gen(function* () {
      const show = yield* view
      const sort = query.sort ?? options.defaultSort
      const key = options.sorts[sort.field]
      const matching = [...(yield* database.read(table)).values()]
        .filter(
          (record) => record.orgId === orgId && (query.includeDeleted === true || record.deletedAt === null)
        )
        .map(show)
        .filter((record) => options.filters(record, query.filters))
      return yield* pageOf(matching, {
        positionOf: (record) => [key(record), record.id],
        direction: sort.direction,
        limit: query.limit,
        cursor: query.cursor
      })
    })

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = <
  A extends Versioned & { readonly createdAt: DateTime.Utc },
  Filters,
  SortField extends string
>(
  options: Options<A, Filters, SortField>
): Effect.Effect<Records<A, Filters, SortField>, never, MemoryDatabase> =>
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const table = tableOf<A>(options.table)
    const view =
      options.view === undefined
        ? Effect.succeed((record: A) => record)
        : Effect.provideService(options.view, MemoryDatabase, database)
    const shown = (record: A) => Effect.map(view, (show) => show(record))

    const change = (
      orgId: OrgId,
      id: string,
      expectedVersion: number | undefined,
      deleted: boolean,
      f: (record: A) => A
    ) =>
      Effect.flatMap(
        attempt(database, table, (all) => changed(options, all, { orgId, id, expectedVersion, deleted }, f)),
        shown
      )

    const find: Records<A, Filters, SortField>["find"] = (orgId, id, findOptions) =>
      Effect.gen(function* () {
        const record = isUuid(id) ? (yield* database.read(table)).get(keyOf(orgId, id)) : undefined
        if (record === undefined || (record.deletedAt !== null && findOptions?.includeDeleted !== true))
          return Option.none()
        return Option.some(yield* shown(record))
      })

    const insert: Records<A, Filters, SortField>["insert"] = (record) =>
      Effect.flatMap(
        attempt(database, table, (all) => {
          const clash = taken(options, all, record)
          return clash === undefined
            ? Result.succeed([record, put(all, keyOf(record.orgId, record.id), record)] as const)
            : Result.fail(clash)
        }),
        shown
      )

    return {
      find,
      list: lister(options, database, table, view),
      insert,
      update: (orgId, id, expectedVersion, changes: Changes<A>) =>
        change(orgId, id, expectedVersion, false, (before) => ({ ...before, ...changes })),
      softDelete: (orgId, id, expectedVersion, at) =>
        Effect.catchTag(
          change(orgId, id, expectedVersion, false, (before) => ({
            ...before,
            deletedAt: at
          })),
          // Hiding a record cannot collide with a unique field.
          "AlreadyExists",
          Effect.die
        ),
      restore: (orgId, id, expectedVersion) =>
        change(orgId, id, expectedVersion, true, (before) => ({ ...before, deletedAt: null }))
    }
  })
