/**
 * What the maintenance plans use case works with, gathered once when the service is built and
 * handed to its steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { Interventions } from "../interventions/Interventions.ts"
import { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import * as Catalog from "../kernel/Catalog.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { access } from "./Access.ts"
import { MaintenancePlanRepo } from "./MaintenanceRepos.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const plans = yield* MaintenancePlanRepo
  return {
    plans,
    catalog: yield* Catalog.make({ entity: "maintenance_plan", records: plans, access }),
    interventions: yield* Interventions,
    orgs: yield* OrgRepo,
    memberships: yield* MembershipRepo,
    resources: yield* ResourceRepo,
    units: yield* UnitRepo,
    transactor: yield* Transactor,
    ids: yield* Effect.context<Ids>(),
    outbox: yield* Effect.context<Outbox.Outbox>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
