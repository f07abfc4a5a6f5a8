/**
 * A `Records` store over one table of versioned, soft-deletable tenant rows: the shared
 * implementation behind sites, tags, resources, units and parts. A repository says what is
 * particular to it (columns, filters, sort columns, unique indexes, linked rows) and gets
 * find, keyset lists, insert and compare-and-set writes.
 *
 * @since 0.1.0
 */
import { type Ids as CoreIds, Ids, type Pagination, type Records } from "@rota/core"
import { DateTime, Effect, Option, type Schema } from "effect"
import { SqlClient, type SqlError, type Statement } from "effect/sql"
import * as Keyset from "./Keyset.ts"
import { type UniqueConstraints, uniqueAsAlreadyExists } from "./SqlErrors.ts"
import * as VersionedRows from "./VersionedRows.ts"

/**
 * A row as the driver answers it.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = Readonly<Record<string, unknown>>

/**
 * What a repository tells the shared store about its table.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options<A extends Records.Versioned, Filters, SortField extends string> {
  readonly table: string
  /** The entity name errors report: `site`, `resource`. */
  readonly entity: string
  /**
   * The rows `decode` reads, when they are more than the table's own columns (a resource's
   * tag names); must keep the table's columns under their names.
   */
  readonly source?: ((sql: SqlClient.SqlClient) => Statement.Fragment) | undefined
  readonly decode: (row: Row) => A
  /** The table columns for the given entity fields (all of them on insert, the changed ones on update). */
  readonly encode: (fields: Readonly<Record<string, unknown>>) => Record<string, unknown>
  /**
   * The conditions of the entity's own filters; `undefined` entries are skipped. The org is
   * given for conditions that read the org's other rows (a window's longest record).
   */
  readonly filters: (
    sql: SqlClient.SqlClient,
    filters: Filters,
    orgId: CoreIds.OrgId
  ) => ReadonlyArray<Statement.Fragment | undefined>
  readonly sorts: Readonly<Record<SortField, Keyset.Column>>
  readonly defaultSort: Pagination.Sort<SortField>
  /** A filter on a set of values read one index range per value (see `Keyset.PageOptions`). */
  readonly split?:
    | ((filters: Filters) => { readonly column: string; readonly values: ReadonlyArray<unknown> | undefined })
    | undefined
  /** Unique indexes of the table, reported as `AlreadyExists` on insert, update and restore. */
  readonly unique: UniqueConstraints
  /**
   * Writes the rows linked to a record (a resource's tags) after it was inserted or changed;
   * `undefined` when there is nothing to write. `fresh` when it was just inserted: nothing links
   * to it yet, so there is nothing to replace.
   */
  readonly writeLinks?:
    | ((
        sql: SqlClient.SqlClient,
        key: { readonly orgId: CoreIds.OrgId; readonly id: string },
        fields: Readonly<Record<string, unknown>>,
        fresh: boolean
      ) => Effect.Effect<void, SqlError.SqlError> | undefined)
    | undefined
}

// Column names are few and repeat on every row of every read: each is converted once.
const memo = (convert: (name: string) => string) => {
  const known = new Map<string, string>()
  return (name: string): string => {
    let converted = known.get(name)
    if (converted === undefined) {
      converted = convert(name)
      known.set(name, converted)
    }
    return converted
  }
}

const snakeCase = memo((name) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`))
const camelCase = memo((name) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()))

/**
 * How rows read back become entities: their types and shape are still checked, but not the
 * filters (lengths, patterns, ranges) the rows passed on their way in and the database's
 * constraints keep true. Decoding is on every read's hot path.
 *
 * @since 0.1.0
 * @category mapping
 */
export const trusted = { disableChecks: true } as const

/**
 * Entity fields to columns by name (`serialNumber` -> `serial_number`), times as `Date`;
 * `undefined` fields and the `omit`ted ones are left out.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toColumns = (
  fields: Readonly<Record<string, unknown>>,
  omit: ReadonlyArray<string> = []
): Record<string, unknown> => {
  const columns: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || omit.includes(name)) continue
    columns[snakeCase(name)] = DateTime.isDateTime(value) ? DateTime.toDateUtc(value) : value
  }
  return columns
}

/**
 * Columns to entity fields by name (`created_at` -> `createdAt`), times as `DateTime.Utc`.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toFields = (row: Row): Record<string, unknown> => {
  const fields: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(row)) {
    fields[camelCase(name)] = value instanceof Date ? DateTime.fromDateUnsafe(value) : value
  }
  return fields
}

/**
 * A row's fields (from {@link toFields}) as an entity of `Class`. The class parses every field's
 * type as it constructs (with {@link trusted}, everything but the filters), so the record is
 * only handed over as the constructor's input here, and checked there.
 *
 * @since 0.1.0
 * @category mapping
 */
export const construct = <Props, A>(
  Class: new (props: Props, options?: Schema.MakeOptions) => A,
  fields: Readonly<Record<string, unknown>>,
  options?: Schema.MakeOptions
): A => new Class(fields as Props, options)

// What the store's statements are built from: the repository's options, and the rows it reads.
interface Store<A extends Records.Versioned, Filters, SortField extends string> {
  readonly sql: SqlClient.SqlClient
  readonly options: Options<A, Filters, SortField>
  readonly source: Statement.Fragment | undefined
  readonly from: Statement.Fragment
}

const readOne = <A extends Records.Versioned, Filters, SortField extends string>(
  { from, options, sql }: Store<A, Filters, SortField>,
  orgId: CoreIds.OrgId,
  id: string,
  includeDeleted: boolean
) =>
  Effect.map(
    sql`SELECT * FROM ${from} AS record WHERE org_id = ${orgId} AND id = ${id}
          ${includeDeleted ? sql`` : sql`AND deleted_at IS NULL`}`,
    (rows) => Option.map(Option.fromNullishOr(rows[0]), options.decode)
  )

// Rows of a joined source are read again after a write; plain tables answer from RETURNING.
const answer = <A extends Records.Versioned, Filters, SortField extends string>(
  store: Store<A, Filters, SortField>,
  orgId: CoreIds.OrgId,
  row: Row
) =>
  store.source === undefined
    ? Effect.succeed(store.options.decode(row))
    : Effect.map(readOne(store, orgId, String(row.id), true), Option.getOrThrow)

const find =
  <A extends Records.Versioned, Filters, SortField extends string>(
    store: Store<A, Filters, SortField>
  ): Records.Records<A, Filters, SortField>["find"] =>
  (orgId, id, findOptions) =>
    Effect.gen(function* () {
      const { sql, options } = store
      if (!Ids.isUuid(id)) return Option.none()
      const includeDeleted = findOptions?.includeDeleted === true
      if (findOptions?.forUpdate === true) {
        yield* sql`SELECT 1 FROM ${sql(options.table)} WHERE org_id = ${orgId} AND id = ${id} FOR UPDATE`
      }
      return yield* readOne(store, orgId, id, includeDeleted)
    }).pipe(Effect.orDie)

const list =
  <A extends Records.Versioned, Filters, SortField extends string>({
    from,
    options,
    sql
  }: Store<A, Filters, SortField>): Records.Records<A, Filters, SortField>["list"] =>
  (orgId, query) =>
    Effect.gen(function* () {
      const sort = query.sort ?? options.defaultSort
      const column = options.sorts[sort.field]
      const page = yield* Keyset.page<Row>(sql, {
        source: from,
        conditions: [
          sql`org_id = ${orgId}`,
          query.includeDeleted === true ? undefined : sql`deleted_at IS NULL`,
          ...options.filters(sql, query.filters, orgId)
        ],
        split: options.split?.(query.filters),
        column,
        direction: sort.direction,
        limit: query.limit,
        cursor: query.cursor
      })
      return { items: page.items.map(options.decode), nextCursor: page.nextCursor }
    })

const insert =
  <A extends Records.Versioned, Filters, SortField extends string>(
    store: Store<A, Filters, SortField>
  ): Records.Records<A, Filters, SortField>["insert"] =>
  (record) =>
    Effect.gen(function* () {
      const { sql, options, source } = store
      const fields = record as unknown as Readonly<Record<string, unknown>>
      const table = sql(options.table)
      const inserted = sql`INSERT INTO ${table} ${sql.insert(options.encode(fields))} RETURNING *`
      const links = options.writeLinks?.(sql, record, fields, true)
      if (source !== undefined && links === undefined) {
        // One round trip: the source read over the new row alone. The row is named as its table,
        // so the source's references to the table are to it; what links to a new row (tags,
        // assignees) is nothing yet.
        const [row] = yield* sql<Row>`WITH ${table} AS (${inserted}) ${source}`
        return options.decode(row!)
      }
      const [row] = yield* sql<Row>`${inserted}`
      if (links !== undefined) yield* links
      return yield* answer(store, record.orgId, row!)
    }).pipe(uniqueAsAlreadyExists(store.options.unique))

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = <A extends Records.Versioned, Filters, SortField extends string>(
  options: Options<A, Filters, SortField>
): Effect.Effect<Records.Records<A, Filters, SortField>, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const { table, entity, unique } = options
    const source = options.source?.(sql)
    const from = source === undefined ? sql`${sql(table)}` : sql`(${source})`
    const store: Store<A, Filters, SortField> = { sql, options, source, from }

    const target = (orgId: CoreIds.OrgId, id: string, expectedVersion: number | undefined) => ({
      table,
      entity,
      orgId,
      id,
      expectedVersion,
      unique
    })

    const update: Records.Records<A, Filters, SortField>["update"] = (orgId, id, expectedVersion, changes) =>
      Effect.gen(function* () {
        const fields = changes as Readonly<Record<string, unknown>>
        const row = yield* VersionedRows.update<Row>(
          target(orgId, id, expectedVersion),
          options.encode(fields)
        )
        const links = options.writeLinks?.(sql, { orgId, id }, fields, false)
        if (links !== undefined) yield* Effect.orDie(links)
        return yield* Effect.orDie(answer(store, orgId, row))
      }).pipe(Effect.provideService(SqlClient.SqlClient, sql))

    const softDelete: Records.Records<A, Filters, SortField>["softDelete"] = (
      orgId,
      id,
      expectedVersion,
      at
    ) =>
      VersionedRows.softDelete<Row>(target(orgId, id, expectedVersion), DateTime.toDateUtc(at)).pipe(
        Effect.flatMap((row) => Effect.orDie(answer(store, orgId, row))),
        // Hiding a row cannot collide with a unique index.
        Effect.catchTag("AlreadyExists", (error) => Effect.die(error)),
        Effect.provideService(SqlClient.SqlClient, sql)
      )

    const restore: Records.Records<A, Filters, SortField>["restore"] = (orgId, id, expectedVersion) =>
      VersionedRows.restore<Row>(target(orgId, id, expectedVersion)).pipe(
        Effect.flatMap((row) => Effect.orDie(answer(store, orgId, row))),
        Effect.provideService(SqlClient.SqlClient, sql)
      )

    return { find: find(store), list: list(store), insert: insert(store), update, softDelete, restore }
  })
