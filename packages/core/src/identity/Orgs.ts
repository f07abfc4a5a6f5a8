/**
 * Organisations as their members see them: the caller's orgs, creating one, reading and
 * changing the current one's name, time zone and policies.
 *
 * The steps: `OrgWrites`, over `OrgDeps`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Forbidden, NotFound, PreconditionFailed, PreconditionRequired } from "../kernel/Errors.ts"
import type { AccountId, Ids } from "../kernel/Ids.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Role } from "../kernel/Role.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type * as Versioning from "../kernel/Versioning.ts"
import type { MembershipRepo, OrgRepo } from "./IdentityRepos.ts"
import type { Organization } from "./Organization.ts"
import * as OrgDeps from "./OrgDeps.ts"
import type { NewOrg, OrgChanges } from "./OrgWrites.ts"
import * as Writes from "./OrgWrites.ts"

export type {
  /** @since 0.1.0 */
  NewOrg,
  /** @since 0.1.0 */
  OrgChanges
} from "./OrgWrites.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Orgs extends Context.Service<
  Orgs,
  {
    readonly listMine: (
      accountId: AccountId
    ) => Effect.Effect<ReadonlyArray<{ readonly org: Organization; readonly role: Role }>>
    readonly create: (accountId: AccountId, input: NewOrg) => Effect.Effect<Organization>
    readonly current: Effect.Effect<Organization, Forbidden | NotFound, CurrentActor>
    readonly update: (
      expectedVersion: Versioning.Expected,
      changes: OrgChanges
    ) => Effect.Effect<
      Organization,
      Forbidden | NotFound | PreconditionFailed | PreconditionRequired,
      CurrentActor
    >
  }
>()("@rota/core/identity/Orgs") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Orgs, never, OrgRepo | MembershipRepo | Transactor | AuditLog | Ids> =
  Layer.effect(
    Orgs,
    Effect.gen(function* () {
      const deps = yield* OrgDeps.make
      return Orgs.of({
        listMine: deps.orgs.listForAccount,
        create: Effect.fn("Orgs.create")(Writes.create(deps)),
        current: Writes.current(deps),
        update: Effect.fn("Orgs.update")(Writes.update(deps))
      })
    })
  )
