/**
 * Interventions written through the intervention ports, for the contract suites. A store may
 * require the people they name to be members of the org and the parts to exist (PostgreSQL
 * does), so every setting starts from a stored org and members made through the identity ports.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import type { AccountRepo, MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { Intervention, InterventionId } from "../interventions/Intervention.ts"
import {
  type DocumentRepo,
  type DocumentStore,
  InterventionRepo,
  type PartUseRepo,
  type TimelineRepo
} from "../interventions/InterventionRepos.ts"
import { formatNumber } from "../interventions/InterventionRules.ts"
import type { PartRepo, ResourceRepo, SiteRepo, TagRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { AccountId, Ids, OrgId } from "../kernel/Ids.ts"
import { nextId } from "../kernel/Ids.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import { account, join, org } from "./IdentityFixtures.ts"

/**
 * The ports the suites run on.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | InterventionRepo
  | TimelineRepo
  | PartUseRepo
  | DocumentRepo
  | DocumentStore
  | Transactor
  | OrgRepo
  | AccountRepo
  | MembershipRepo
  | SiteRepo
  | TagRepo
  | ResourceRepo
  | UnitRepo
  | PartRepo
  | Ids

/**
 * The hour `n` of 2031-03-01.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const at = (n: number): DateTime.Utc => DateTime.makeUnsafe(Date.UTC(2031, 2, 1) + n * 3_600_000)

/**
 * A stored org with technicians named `names` (their usernames start with the name).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const workshop = (names: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* org("Workshop")
    const people: Array<{ readonly id: AccountId; readonly username: string }> = []
    for (const name of names) {
      const person = yield* account({ name })
      yield* join(orgId, person.id, "technician")
      people.push({ id: person.id, username: person.username })
    }
    return { orgId, people }
  })

/**
 * A stored intervention numbered `number`, created at hour `created`; the other fields are
 * given or plain defaults.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const intervention = (
  orgId: OrgId,
  number: number,
  fields: Partial<ConstructorParameters<typeof Intervention>[0]> & { readonly created?: number } = {}
) =>
  Effect.gen(function* () {
    const interventions = yield* InterventionRepo
    const { created, ...rest } = fields
    return yield* Effect.orDie(
      interventions.insert(
        new Intervention({
          id: yield* nextId(InterventionId),
          orgId,
          number: formatNumber(number),
          title: `Repair ${number}`,
          description: null,
          kind: "CORRECTIVE",
          priority: "NORMAL",
          status: "PENDING",
          clientId: null,
          resourceId: null,
          unitId: null,
          subject: null,
          siteId: null,
          assigneeIds: [],
          scheduledStart: null,
          scheduledEnd: null,
          dueAt: null,
          completedAt: null,
          completedBy: null,
          partsCost: null,
          version: 1,
          createdAt: at(created ?? 0),
          deletedAt: null,
          ...rest
        })
      )
    )
  })
