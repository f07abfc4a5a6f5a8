/**
 * CSV imports: all of a file's records are created, or none. Every record is decoded with its
 * kind's create schema and checked against the others (a barcode or SKU twice in one file);
 * then, in one transaction, each is created through its kind's own use case (so the same rules,
 * audit events and change events as a single create), each in a savepoint so that a refusal
 * (a taken barcode, an unknown tag or resource) is noted and the next record still checked.
 * Any problem rolls the whole import back and answers every problem at once.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Result } from "effect"
import { Parts } from "../inventory/Parts.ts"
import { Resources } from "../inventory/Resources.ts"
import { Units } from "../inventory/Units.ts"
import type { AlreadyExists, Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { ImportKind } from "./Columns.ts"
import * as Csv from "./Csv.ts"
import * as Rows from "./Rows.ts"
import * as Tables from "./Tables.ts"
import { ImportRejected, TooManyRows } from "./TransferErrors.ts"

/**
 * The most records one import takes.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRows = 10_000

/**
 * What an import did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Imported {
  readonly kind: ImportKind
  readonly created: number
}

/**
 * @since 0.1.0
 * @category services
 */
export class Imports extends Context.Service<
  Imports,
  {
    readonly csv: (
      kind: ImportKind,
      text: string
    ) => Effect.Effect<Imported, Forbidden | ImportRejected | TooManyRows, CurrentActor>
  }
>()("@rota/core/transfer/Imports") {}

type Refusal = AlreadyExists | ValidationFailed | NotFound

/**
 * A use case's refusal of one record, as that record's problems.
 *
 * @since 0.1.0
 * @category rules
 */
export const issuesOf = (row: number, refusal: Refusal): ReadonlyArray<Rows.RowIssue> => {
  switch (refusal._tag) {
    case "AlreadyExists":
      return [{ row, column: refusal.field, message: `Already taken by another ${refusal.entity}` }]
    case "NotFound":
      return [{ row, column: `${refusal.entity}Id`, message: `No such ${refusal.entity}` }]
    case "ValidationFailed":
      return refusal.errors.map((issue) => ({
        row,
        column: typeof issue.path[1] === "string" ? issue.path[1] : null,
        message: issue.message
      }))
  }
}

/**
 * The header and records of a file, or its problems.
 *
 * @since 0.1.0
 * @category rules
 */
export const read = <A>(
  table: Rows.Table<A>,
  text: string
): Result.Result<ReadonlyArray<Rows.Read<A>>, ReadonlyArray<Rows.RowIssue> | TooManyRows> => {
  const parsed = Csv.parse(text)
  if (Result.isFailure(parsed)) return Result.fail([{ ...parsed.failure, column: null }])
  const [header, ...records] = parsed.success
  if (header === undefined) return Result.fail([{ row: 1, column: null, message: "The file has no header" }])
  if (records.length > maxRows) return Result.fail(new TooManyRows({ limit: maxRows }))
  const headerIssues = Rows.headerIssues(table, header)
  if (headerIssues.length > 0) return Result.fail(headerIssues)
  const { reads, issues } = Rows.decode(table, header, records)
  return issues.length > 0 ? Result.fail(issues) : Result.succeed(reads)
}

// Creates every record, each in its savepoint; answers the refusals.
const createAll = <A>(
  transactor: Transactor["Service"],
  reads: ReadonlyArray<Rows.Read<A>>,
  create: (value: A) => Effect.Effect<unknown, Refusal | Forbidden, CurrentActor>
) =>
  Effect.gen(function* () {
    const issues: Array<Rows.RowIssue> = []
    const refused = (refusal: Refusal) => Effect.succeed(refusal)
    for (const { row, value } of reads) {
      const refusal = yield* transactor
        .savepoint(create(value))
        .pipe(
          Effect.as(undefined),
          Effect.catchTags({ AlreadyExists: refused, ValidationFailed: refused, NotFound: refused })
        )
      if (refusal !== undefined) issues.push(...issuesOf(row, refusal))
    }
    return issues
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Imports, never, Resources | Units | Parts | Transactor> = Layer.effect(
  Imports,
  Effect.gen(function* () {
    const resources = yield* Resources
    const units = yield* Units
    const parts = yield* Parts
    const transactor = yield* Transactor

    const run = <A>(
      kind: ImportKind,
      table: Rows.Table<A>,
      text: string,
      // In-file clashes of a kind with a unique field, compared as the store compares them.
      clashes: (reads: ReadonlyArray<Rows.Read<A>>) => ReadonlyArray<Rows.RowIssue>,
      create: (value: A) => Effect.Effect<unknown, Refusal | Forbidden, CurrentActor>
    ) =>
      Effect.gen(function* () {
        const file = read(table, text)
        if (Result.isFailure(file)) {
          const failure = file.failure
          return yield* failure instanceof TooManyRows ? failure : new ImportRejected({ errors: failure })
        }
        const inFile = clashes(file.success)
        if (inFile.length > 0) return yield* new ImportRejected({ errors: inFile })
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const issues = yield* createAll(transactor, file.success, create)
            if (issues.length > 0) return yield* new ImportRejected({ errors: issues })
            return { kind, created: file.success.length }
          })
        )
      })

    return Imports.of({
      csv: Effect.fn("Imports.csv")(function* (kind, text) {
        yield* Permissions.require("inventory.write")
        switch (kind) {
          case "resources":
            return yield* run(kind, Tables.resources, text, () => [], resources.create)
          case "units":
            return yield* run(
              kind,
              Tables.units,
              text,
              (reads) => Rows.repeated(reads, "barcode", (unit) => unit.barcode),
              ({ resourceId, ...fields }) => units.create(resourceId, fields)
            )
          case "parts":
            return yield* run(
              kind,
              Tables.parts,
              text,
              (reads) =>
                Rows.repeated(
                  reads,
                  "sku",
                  (part) => part.sku,
                  (sku) => sku.toLowerCase()
                ),
              parts.create
            )
        }
      })
    })
  })
)
