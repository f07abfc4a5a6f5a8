/**
 * Bookings from a CSV file. Each record is a booking request, decoded as `POST /v1/bookings`
 * decodes its body, and created through the bookings use case for the caller (who may book for
 * no one else), so the time ledger refuses a record overlapping a booking of the org or an
 * earlier record of the same file. The export's status, id and creation time are ignored: every
 * record is a new request.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Schema } from "effect"
import { BookingRequest } from "../bookings/Booking.ts"
import type { Bookings } from "../bookings/Bookings.ts"
import type { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import { ResourceId } from "../inventory/Resource.ts"
import { type Clash, ValidationFailed } from "../kernel/Errors.ts"
import { AccountId } from "../kernel/Ids.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import { overlaps } from "../ledger/Interval.ts"
import { items, present, type Read, type RowIssue, type Table } from "./Rows.ts"

/**
 * A booking request, its requester as the export writes it (only the caller is accepted) and,
 * beside named units, the resources the export writes for them (checked, not booked again).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BookingRow = Schema.Struct({
  ...BookingRequest.fields,
  requesterId: Schema.optionalKey(AccountId),
  resourcesOfUnits: Schema.optionalKey(Schema.Array(ResourceId))
})
/** @since 0.1.0 @category models */
export type BookingRow = typeof BookingRow.Type

/**
 * The columns of the bookings export. A record books the units its `unitIds` names or, when it
 * names none, a free unit of each resource its `resourceIds` names.
 *
 * @since 0.1.0
 * @category tables
 */
export const table: Table<BookingRow> = {
  columns: ["purpose", "startAt", "endAt", "requesterId", "unitIds", "resourceIds"],
  required: ["purpose", "startAt", "endAt"],
  ignored: ["id", "status", "createdAt"],
  schema: BookingRow,
  input: (cells) => {
    const unitIds = items(cells.get("unitIds"))
    const resourceIds = items(cells.get("resourceIds"))
    return present({
      startAt: cells.get("startAt"),
      endAt: cells.get("endAt"),
      purpose: cells.get("purpose"),
      items:
        unitIds?.map((unitId) => ({ unitId })) ?? resourceIds?.map((resourceId) => ({ resourceId })) ?? [],
      requesterId: cells.get("requesterId"),
      resourcesOfUnits: unitIds === undefined ? undefined : resourceIds
    })
  },
  columnOf: (path) =>
    path[0] === "items"
      ? path[2] === "resourceId"
        ? "resourceIds"
        : "unitIds"
      : path[0] === "resourcesOfUnits"
        ? "resourceIds"
        : path.length === 0
          ? null
          : String(path[0])
}

/**
 * Records naming another requester, or a unit or resource the org does not have, or a resource
 * none of the record's units is of.
 *
 * @since 0.1.0
 * @category checks
 */
export const refused = (units: UnitRepo["Service"], resources: ResourceRepo["Service"]) =>
  Effect.fnUntraced(function* (reads: ReadonlyArray<Read<BookingRow>>) {
    const actor = yield* CurrentActor
    const issues: Array<RowIssue> = []
    for (const { row, value } of reads) {
      if (value.requesterId !== undefined && value.requesterId !== actor.accountId)
        issues.push({ row, column: "requesterId", message: "A booking is made for the importer only" })
      const resourcesOfUnits = new Set<string>()
      for (const item of value.items) {
        if ("unitId" in item) {
          const unit = yield* units.find(actor.orgId, item.unitId)
          if (Option.isSome(unit)) resourcesOfUnits.add(unit.value.resourceId)
          else issues.push({ row, column: "unitIds", message: `No such unit: ${item.unitId}` })
        } else if (Option.isNone(yield* resources.find(actor.orgId, item.resourceId)))
          issues.push({ row, column: "resourceIds", message: `No such resource: ${item.resourceId}` })
      }
      for (const resourceId of value.resourcesOfUnits ?? [])
        if (!resourcesOfUnits.has(resourceId))
          issues.push({
            row,
            column: "resourceIds",
            message: `Not the resource of a unit of unitIds: ${resourceId}`
          })
    }
    return issues
  })

interface Made {
  readonly row: number
  readonly unitIds: ReadonlyArray<string>
  readonly interval: { readonly startAt: DateTime.Utc; readonly endAt: DateTime.Utc }
}

// A clash as the importer can find it: the subject, the interval, and the record holding it.
const describe = (clash: Clash, made: ReadonlyArray<Made>): string => {
  const holder = made.find(
    (earlier) => earlier.unitIds.includes(clash.subjectId) && overlaps(earlier.interval, clash)
  )
  const interval = `${DateTime.formatIso(clash.startAt)}/${DateTime.formatIso(clash.endAt)}`
  return `Overlaps ${clash.subjectType} ${clash.subjectId} booked for ${interval} by ${
    holder === undefined ? "an existing booking" : `row ${holder.row}`
  }`
}

const refusal = (column: string, message: string) =>
  new ValidationFailed({ errors: [{ path: ["body", column], message }] })

/**
 * A creator for one import: each record is created in a savepoint (a refused one leaves no claim
 * behind to clash with the next), and a ledger refusal names the interval in the way and the
 * record of the file holding it, if one does.
 *
 * @since 0.1.0
 * @category steps
 */
export const creator = (bookings: Bookings["Service"], transactor: Transactor["Service"]) => () => {
  const made: Array<Made> = []
  return (value: BookingRow, row: number) => {
    const column = value.items.some((item) => "unitId" in item) ? "unitIds" : "resourceIds"
    const { startAt, endAt, purpose, items } = value
    return transactor.savepoint(bookings.create({ startAt, endAt, purpose, items })).pipe(
      Effect.tap((booking) =>
        Effect.sync(() =>
          made.push({ row, unitIds: booking.items.map((item) => item.unitId), interval: { startAt, endAt } })
        )
      ),
      Effect.catchTags({
        Conflict: (conflict) =>
          Effect.fail(refusal(column, conflict.conflicts.map((clash) => describe(clash, made)).join("; "))),
        NotBookable: (notBookable) => Effect.fail(refusal(column, notBookable.reason))
      })
    )
  }
}
