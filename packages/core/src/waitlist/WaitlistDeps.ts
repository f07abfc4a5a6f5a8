/**
 * What the waitlist use case works with, gathered once when the service is built and handed to
 * its steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { Bookings } from "../bookings/Bookings.ts"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Ids, OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Ledger } from "../ledger/Ledger.ts"
import { Offers } from "./Offers.ts"
import { WaitlistRepo } from "./WaitlistRepo.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const orgs = yield* OrgRepo
  return {
    repo: yield* WaitlistRepo,
    offers: yield* Offers,
    bookings: yield* Bookings,
    ledger: yield* Ledger,
    transactor: yield* Transactor,
    settingsOf: (orgId: OrgId) => OrgSettings.settingsOf(orgs, orgId),
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
