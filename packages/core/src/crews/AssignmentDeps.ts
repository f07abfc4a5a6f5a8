/**
 * What the assignments use case works with, gathered once when the service is built and handed
 * to its steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import { TokenSigner } from "../identity/TokenSigner.ts"
import * as Catalog from "../kernel/Catalog.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Ledger } from "../ledger/Ledger.ts"
import { assignmentAccess } from "./Access.ts"
import { AssignmentRepo, AvailabilityRepo, MissionRepo, ProjectRepo } from "./CrewRepos.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const assignments = yield* AssignmentRepo
  return {
    assignments,
    catalog: yield* Catalog.make({ entity: "assignment", records: assignments, access: assignmentAccess }),
    missions: yield* MissionRepo,
    projects: yield* ProjectRepo,
    availability: yield* AvailabilityRepo,
    memberships: yield* MembershipRepo,
    ledger: yield* Ledger,
    signer: yield* TokenSigner,
    transactor: yield* Transactor,
    context: yield* Effect.context<Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
