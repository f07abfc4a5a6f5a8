/**
 * What the interventions use case works with: its stores, catalogs, the ledger and the
 * transactor, gathered once when the service is built and handed to its steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import { PartRepo, ResourceRepo, SiteRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as Catalog from "../kernel/Catalog.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Ledger } from "../ledger/Ledger.ts"
import { access } from "./Access.ts"
import { InterventionRepo, PartUseRepo, TimelineRepo } from "./InterventionRepos.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const interventions = yield* InterventionRepo
  const parts = yield* PartRepo
  return {
    interventions,
    catalog: yield* Catalog.make({ entity: "intervention", records: interventions, access }),
    parts,
    partCatalog: yield* Catalog.make({
      entity: "part",
      records: parts,
      access: { read: "inventory.read", write: "inventory.write", readDeleted: "inventory.read_deleted" }
    }),
    timeline: yield* TimelineRepo,
    partUses: yield* PartUseRepo,
    memberships: yield* MembershipRepo,
    sites: yield* SiteRepo,
    resources: yield* ResourceRepo,
    units: yield* UnitRepo,
    ledger: yield* Ledger,
    transactor: yield* Transactor,
    services: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>(),
    messages: yield* Effect.context<Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
