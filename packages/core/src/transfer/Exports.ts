/**
 * CSV exports: an org's records of one kind as a stream of CSV text, read a page at a time in
 * keyset order, so an export of any size holds one page in memory. Every cell passes the formula
 * guard ({@link Csv.neutralise}).
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option, Stream } from "effect"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import { roleOfKind } from "../identity/MemberKinds.ts"
import { PartRepo, ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { Forbidden } from "../kernel/Errors.ts"
import type { OrgId } from "../kernel/Ids.ts"
import type { Page } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import * as Columns from "./Columns.ts"
import * as Csv from "./Csv.ts"

/**
 * Who may export each kind: whoever may list it.
 *
 * @since 0.1.0
 * @category constants
 */
export const readPermission: Record<Columns.ExportKind, Permissions.Permission> = {
  resources: "inventory.read",
  units: "inventory.read",
  parts: "inventory.read",
  clients: "client.read",
  bookings: "booking.read_all"
}

/**
 * The most records read per page.
 *
 * @since 0.1.0
 * @category constants
 */
export const pageSize = 100

/**
 * @since 0.1.0
 * @category services
 */
export class Exports extends Context.Service<
  Exports,
  {
    /**
     * The kind's CSV: the header record, then one record per live record of the caller's org.
     * The permission is checked now; the stream reads the pages as it is consumed.
     */
    readonly csv: (kind: Columns.ExportKind) => Effect.Effect<Stream.Stream<string>, Forbidden, CurrentActor>
  }
>()("@rota/core/transfer/Exports") {}

/**
 * The CSV of pages read with `read` from the first cursor on: the header, then a chunk per page.
 *
 * @since 0.1.0
 * @category encoding
 */
export const csvOf = <A>(
  columns: ReadonlyArray<Columns.Column<A>>,
  read: (cursor: string | undefined) => Effect.Effect<Page<A>>
): Stream.Stream<string> =>
  Stream.concat(
    Stream.succeed(Csv.encodeRow(columns.map((column) => column.name))),
    Stream.paginate(undefined as string | undefined, (cursor) =>
      Effect.map(read(cursor), (page) => {
        const chunk = page.items
          .map((record) => Csv.encodeRow(columns.map((column) => Csv.neutralise(column.cell(record)))))
          .join("")
        return [
          chunk === "" ? [] : [chunk],
          page.nextCursor === null ? Option.none() : Option.some(page.nextCursor)
        ] as const
      })
    )
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Exports,
  never,
  ResourceRepo | UnitRepo | PartRepo | MembershipRepo | BookingRepo
> = Layer.effect(
  Exports,
  Effect.gen(function* () {
    const resources = yield* ResourceRepo
    const units = yield* UnitRepo
    const parts = yield* PartRepo
    const memberships = yield* MembershipRepo
    const bookings = yield* BookingRepo
    // Each kind in an order with a unique or text key, so pages neither skip nor repeat rows.
    // The cursors are the stores' own: a refusal of one is a defect.
    const streams = (orgId: OrgId): Record<Columns.ExportKind, Stream.Stream<string>> => ({
      resources: csvOf(Columns.resources, (cursor) =>
        Effect.orDie(
          resources.list(orgId, {
            limit: pageSize,
            cursor,
            filters: {},
            sort: { field: "name", direction: "asc" }
          })
        )
      ),
      units: csvOf(Columns.units, (cursor) =>
        Effect.orDie(
          units.list(orgId, {
            limit: pageSize,
            cursor,
            filters: {},
            sort: { field: "barcode", direction: "asc" }
          })
        )
      ),
      parts: csvOf(Columns.parts, (cursor) =>
        Effect.orDie(
          parts.list(orgId, {
            limit: pageSize,
            cursor,
            filters: {},
            sort: { field: "sku", direction: "asc" }
          })
        )
      ),
      clients: csvOf(Columns.clients, (cursor) =>
        Effect.orDie(memberships.list(orgId, { limit: pageSize, cursor, roles: [roleOfKind.client] }))
      ),
      bookings: csvOf(Columns.bookings, (cursor) =>
        Effect.orDie(
          bookings.list(orgId, {
            limit: pageSize,
            cursor,
            filters: {},
            sort: { field: "startAt", direction: "asc" }
          })
        )
      )
    })
    return Exports.of({
      csv: Effect.fn("Exports.csv")(function* (kind) {
        yield* Permissions.require(readPermission[kind])
        const actor = yield* CurrentActor
        return streams(actor.orgId)[kind]
      })
    })
  })
)
