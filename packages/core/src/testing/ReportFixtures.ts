/**
 * What the reports read, written through the ports that own it, for `ReportRepoContract`: named
 * resources and their units, bookings of them, blackout time on the ledger, and fines.
 *
 * @since 0.1.0
 */
import { type DateTime, Effect } from "effect"
import type { BookingStatus } from "../bookings/Booking.ts"
import { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import { Fine, FineId, type FineStatus } from "../bookings/Fine.ts"
import { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import { Resource, ResourceId } from "../inventory/Resource.ts"
import { ResourceUnit, UnitId } from "../inventory/ResourceUnit.ts"
import { type AccountId, nextId, type OrgId, Uuid } from "../kernel/Ids.ts"
import { Ledger } from "../ledger/Ledger.ts"
import { at, booking } from "./BookingFixtures.ts"
import { base } from "./InventoryFixtures.ts"

/**
 * Hour `n` of 2030-03-01 (negative or past 24: the days around it).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const hour = (n: number): DateTime.Utc => at(2030, 3, 1, n)

/**
 * The window `[hour from, hour to)`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const window = (from: number, to: number) => ({ from: hour(from), to: hour(to) })

/**
 * A stored resource named `name`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const resource = (orgId: OrgId, name: string) =>
  Effect.gen(function* () {
    const stored = new Resource({
      ...base,
      id: yield* nextId(ResourceId),
      orgId,
      siteId: null,
      type: "tool",
      name,
      description: null,
      serialNumber: null,
      status: "AVAILABLE",
      tags: [],
      createdAt: hour(-48)
    })
    return yield* Effect.orDie((yield* ResourceRepo).insert(stored))
  })

/**
 * A stored unit of the resource; its barcode starts with `label`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const unit = (resource: Resource, label: string) =>
  Effect.gen(function* () {
    const id = yield* nextId(UnitId)
    const stored = new ResourceUnit({
      ...base,
      id,
      orgId: resource.orgId,
      resourceId: resource.id,
      barcode: `${label}-${id}`,
      condition: "GOOD",
      status: "AVAILABLE",
      notes: null,
      createdAt: hour(-48)
    })
    return yield* Effect.orDie((yield* UnitRepo).insert(stored))
  })

/**
 * A stored booking of `units` by `requesterId`, from hour `from` for `hours` hours.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const booked = (
  requesterId: AccountId,
  units: ReadonlyArray<ResourceUnit>,
  fields: { readonly status: BookingStatus; readonly from: number; readonly hours: number }
) =>
  Effect.gen(function* () {
    const orgId = units[0]!.orgId
    const items = units.map((held) => ({ unitId: held.id, resourceId: held.resourceId }))
    const made = yield* booking(orgId, requesterId, items, {
      status: fields.status,
      start: hour(fields.from),
      hours: fields.hours
    })
    return yield* (yield* BookingRepo).insert(made)
  })

/**
 * The unit's time `[hour from, hour to)` closed by a blackout on the ledger; its id, to release it.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const closed = (
  held: ResourceUnit,
  from: number,
  to: number,
  type: "blackout" | "booking" = "blackout"
) =>
  Effect.gen(function* () {
    const source = { type, id: yield* nextId(Uuid) }
    yield* Effect.orDie(
      (yield* Ledger).claim(held.orgId, [
        { subject: { type: "unit", id: held.id }, interval: { startAt: hour(from), endAt: hour(to) }, source }
      ])
    )
    return source
  })

/**
 * A stored fine of the account, given at hour `given`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fine = (
  orgId: OrgId,
  accountId: AccountId,
  fields: {
    readonly amount: number
    readonly currency: string
    readonly paid?: number
    readonly status?: FineStatus
    readonly given: number
  }
) =>
  Effect.gen(function* () {
    const stored = new Fine({
      id: yield* nextId(FineId),
      orgId,
      accountId,
      bookingId: null,
      amount: fields.amount,
      currency: fields.currency,
      paid: fields.paid ?? 0,
      reason: "Late return",
      status: fields.status ?? "OPEN",
      version: 1,
      createdAt: hour(fields.given)
    })
    return yield* (yield* FineRepo).insert(stored)
  })
