/**
 * The setting the bookings use-case tests share: an org with the default settings, a manager, a
 * member and a camera of two units, and requests for hours of a day safely in the future.
 */
import { DateTime, Effect } from "effect"
import type { RequestedItem } from "../../src/bookings/Booking.ts"
import { nextId, OrgId } from "../../src/kernel/Ids.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import { actorIn, unit } from "./UseCases.ts"

/** Hour `n` of 2040-01-01. */
export const at = (n: number) => DateTime.makeUnsafe(Date.UTC(2040, 0, 1, n))

/** A request for the items from hour `from` to hour `to`. */
export const request = (from: number, to: number, items: ReadonlyArray<RequestedItem>) => ({
  startAt: at(from),
  endAt: at(to),
  purpose: "Shoot",
  items
})

/** An org (unstored: the default settings) with a manager, a member and a camera of two units. */
export const shop = Effect.gen(function* () {
  const orgId = yield* nextId(OrgId)
  const camera = yield* resource(orgId, [])
  const unitIds = [(yield* unit(orgId, camera.id)).id, (yield* unit(orgId, camera.id)).id] as const
  return {
    manager: yield* actorIn(orgId, "manager"),
    member: yield* actorIn(orgId, "member"),
    camera,
    unitIds
  }
})
