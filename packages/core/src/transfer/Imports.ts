/**
 * CSV imports: all of a file's records are created, or none. Every record is decoded with its
 * kind's create schema; its unique fields are checked against the other records of the file and,
 * in one query, against the org's records (a barcode, a SKU). Then, in one transaction, each is
 * created through its kind's own use case (so the same rules, audit events and change events as
 * a single create); a record the use case refuses (an unknown tag or resource, an address that
 * is a client already) is noted and the next one still tried. Any problem rolls the whole import
 * back and answers every problem at once, by row.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Result } from "effect"
import { Bookings } from "../bookings/Bookings.ts"
import { AccountRepo, MembershipRepo } from "../identity/IdentityRepos.ts"
import { Members } from "../identity/Members.ts"
import { PartRepo, ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import { Parts } from "../inventory/Parts.ts"
import { Resources } from "../inventory/Resources.ts"
import { Units } from "../inventory/Units.ts"
import type { AlreadyExists, Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import * as BookingRows from "./BookingRows.ts"
import * as ClientRows from "./ClientRows.ts"
import type { ImportKind } from "./Columns.ts"
import * as Csv from "./Csv.ts"
import * as Rows from "./Rows.ts"
import * as Tables from "./Tables.ts"
import { ImportRejected, ImportTooLarge } from "./TransferErrors.ts"
import * as UniqueChecks from "./UniqueChecks.ts"

/**
 * The most records one import takes.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRows = 10_000

/**
 * The largest file one import takes, in bytes (5 MiB).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxBytes = 5 * 1024 * 1024

/**
 * Who may import each kind: whoever may create it.
 *
 * @since 0.1.0
 * @category constants
 */
export const writePermission: Record<ImportKind, Permissions.Permission> = {
  resources: "inventory.write",
  units: "inventory.write",
  parts: "inventory.write",
  clients: "client.write",
  bookings: "booking.create"
}

/**
 * What an import did: for clients, the invitations sent.
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
    /**
     * Imports the file `body` reads, read only once the caller may import (so a refused caller's
     * upload is never parsed).
     */
    readonly csv: <E>(
      kind: ImportKind,
      body: Effect.Effect<string, E>
    ) => Effect.Effect<Imported, Forbidden | ImportRejected | ImportTooLarge | E, CurrentActor>
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
 * The records of a file that decode, and the problems of the others; or, when the file cannot be
 * read at all (not CSV, a bad header, too many records), why.
 *
 * @since 0.1.0
 * @category rules
 */
export const read = <A>(
  table: Rows.Table<A>,
  text: string
): Result.Result<
  { readonly reads: ReadonlyArray<Rows.Read<A>>; readonly issues: ReadonlyArray<Rows.RowIssue> },
  ReadonlyArray<Rows.RowIssue> | ImportTooLarge
> => {
  const parsed = Csv.parse(text)
  if (Result.isFailure(parsed)) return Result.fail([{ ...parsed.failure, column: null }])
  const [header, ...records] = parsed.success
  if (header === undefined) return Result.fail([{ row: 1, column: null, message: "The file has no header" }])
  if (records.length > maxRows) return Result.fail(new ImportTooLarge({ limit: maxRows, unit: "rows" }))
  const headerIssues = Rows.headerIssues(table, header)
  if (headerIssues.length > 0) return Result.fail(headerIssues)
  return Result.succeed(Rows.decode(table, header, records))
}

type Create<A> = (value: A, row: number) => Effect.Effect<unknown, Refusal | Forbidden, CurrentActor>

// Creates every record in the caller's transaction; answers the refusals. A refusal by the use
// case comes before it writes (a booking is tried in a savepoint, which undoes its claims), so
// the transaction goes on; a unique field the store refuses (a concurrent import took it since
// the check) has aborted the transaction, so it ends the run.
const createAll = <A>(reads: ReadonlyArray<Rows.Read<A>>, create: Create<A>) =>
  Effect.gen(function* () {
    const issues: Array<Rows.RowIssue> = []
    const refused = (refusal: Refusal) => Effect.succeed(refusal)
    for (const { row, value } of reads) {
      const refusal = yield* create(value, row).pipe(
        Effect.as(undefined),
        Effect.catchTags({ AlreadyExists: refused, ValidationFailed: refused, NotFound: refused })
      )
      if (refusal === undefined) continue
      issues.push(...issuesOf(row, refusal))
      if (refusal._tag === "AlreadyExists") break
    }
    return issues
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Imports,
  never,
  | Resources
  | Units
  | Parts
  | Members
  | Bookings
  | UnitRepo
  | ResourceRepo
  | PartRepo
  | AccountRepo
  | MembershipRepo
  | Transactor
> = Layer.effect(
  Imports,
  Effect.gen(function* () {
    const resources = yield* Resources
    const units = yield* Units
    const parts = yield* Parts
    const unitRepo = yield* UnitRepo
    const partRepo = yield* PartRepo
    const inviteClient = ClientRows.invite(yield* Members)
    const takenByClients = ClientRows.taken(yield* AccountRepo, yield* MembershipRepo)
    const transactor = yield* Transactor
    const bookingsRefused = BookingRows.refused(unitRepo, yield* ResourceRepo)
    const bookingCreator = BookingRows.creator(yield* Bookings, transactor)

    // `check` finds the records the file or the org already has a unique field of: they are
    // reported and not created, so the store never refuses them mid-transaction.
    const run = <A>(
      kind: ImportKind,
      table: Rows.Table<A>,
      text: string,
      check: UniqueChecks.Check<A>,
      create: Create<A>
    ) =>
      Effect.gen(function* () {
        const file = read(table, text)
        if (Result.isFailure(file)) {
          const failure = file.failure
          return yield* failure instanceof ImportTooLarge ? failure : new ImportRejected({ errors: failure })
        }
        const { reads, issues } = file.success
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const clashes = yield* check(reads)
            const clashing = new Set(clashes.map((issue) => issue.row))
            // The other records are tried even when some are refused already, so that one answer
            // lists every problem; it is all rolled back.
            const refused = yield* createAll(
              reads.filter((read) => !clashing.has(read.row)),
              create
            )
            const all = [...issues, ...clashes, ...refused].sort((x, y) => x.row - y.row)
            if (all.length > 0) return yield* new ImportRejected({ errors: all })
            return { kind, created: reads.length }
          })
        )
      })

    const unitChecks = UniqueChecks.units(unitRepo)
    const partChecks = UniqueChecks.parts(partRepo)
    const clientChecks: UniqueChecks.Check<ClientRows.ClientRow> = (reads) =>
      Effect.map(takenByClients(reads), (inStore) => [...ClientRows.clashes(reads), ...inStore])

    return Imports.of({
      csv: Effect.fn("Imports.csv")(function* <E>(kind: ImportKind, body: Effect.Effect<string, E>) {
        yield* Permissions.require(writePermission[kind])
        const text = yield* body
        switch (kind) {
          case "resources":
            return yield* run(
              kind,
              Tables.resources,
              text,
              () => Effect.succeed([]),
              (value) => resources.create(value)
            )
          case "units":
            return yield* run(kind, Tables.units, text, unitChecks, ({ resourceId, ...fields }) =>
              units.create(resourceId, fields)
            )
          case "parts":
            return yield* run(kind, Tables.parts, text, partChecks, (value) => parts.create(value))
          case "clients":
            return yield* run(kind, ClientRows.table, text, clientChecks, inviteClient)
          case "bookings":
            return yield* run(kind, BookingRows.table, text, bookingsRefused, bookingCreator())
        }
      })
    })
  })
)
