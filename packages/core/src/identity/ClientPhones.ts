/**
 * A client's phone identifies them at the counter, so within one organisation no two clients
 * share one (compared in normal form: digits and a leading `+`). Phones belong to accounts, which
 * may be clients of several organisations: every org the account is a client of is checked.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { AlreadyExists } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import { normalizePhone } from "./Account.ts"
import type { MembershipRepo } from "./IdentityRepos.ts"

/**
 * Refuses `phone` for `accountId` as a client of `orgId` when another client there has it. Run
 * inside the write's transaction: the phone stays locked in the org until it ends.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkFree = (
  memberships: MembershipRepo["Service"],
  orgId: OrgId,
  phone: string,
  accountId?: AccountId
): Effect.Effect<void, AlreadyExists> =>
  Effect.flatMap(memberships.lockClientPhone(orgId, normalizePhone(phone)), (holders) =>
    holders.some((holder) => holder !== accountId)
      ? Effect.fail(new AlreadyExists({ entity: "client", field: "phone" }))
      : Effect.void
  )
