import { DateTime, Effect, Layer } from "effect"
import * as Interventions from "../../src/interventions/Interventions.ts"
import type { UnitId } from "../../src/inventory/ResourceUnit.ts"
import { AccountId, Ids, nextId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { PlanFields } from "../../src/maintenance/MaintenancePlan.ts"
import * as MaintenancePlans from "../../src/maintenance/MaintenancePlans.ts"
import * as Planning from "../../src/maintenance/Planning.ts"
import { account, join, org } from "../../src/testing/IdentityFixtures.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { unit as storedUnit } from "./UseCases.ts"

export { as } from "./UseCases.ts"

// What the maintenance tests share: the use cases on a fresh memory database for each test
// (due generation sweeps every org, so tests must not see each other's plans), and an org
// whose time zone is Europe/Paris, with a technician, a manager and a unit to maintain.

export const memory = Planning.layer.pipe(
  Layer.provideMerge(MaintenancePlans.layer),
  Layer.provideMerge(Interventions.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

/** An instant written in UTC: `"2031-01-10T12:00"`. */
export const utc = (text: string) => DateTime.makeUnsafe(`${text}:00Z`)

/** An instant as ISO text, to compare. */
export const iso = (instant: DateTime.Utc | null) => (instant === null ? null : DateTime.formatIso(instant))

/** A Paris org with a stored technician, a manager, and a resource with one unit. */
export const workshop = Effect.gen(function* () {
  const { id: orgId } = yield* org("Workshop")
  const tech = yield* account({ name: "tech" })
  yield* join(orgId, tech.id, "technician")
  const manager = new Actor({ orgId, accountId: yield* nextId(AccountId), role: "manager" })
  const technician = new Actor({ orgId, accountId: tech.id, role: "technician" })
  const pump = yield* resource(orgId, [])
  const unit = yield* storedUnit(orgId, pump.id)
  return { orgId, manager, technician, resourceId: pump.id, unitId: unit.id }
})

/** A daily plan at 09:00 (Paris) on the unit, from the first of January 2031. */
export const daily = (unitId: UnitId, fields: Partial<PlanFields> = {}): PlanFields => ({
  title: "Oil the pump",
  unitId,
  recurrence: { type: "interval", every: 1, unit: "day" },
  startsOn: "2031-01-01",
  ...fields
})
