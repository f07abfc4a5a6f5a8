/**
 * Reading an organisation's policy knobs (auto-approve, offer TTL, grace, fines, priority
 * weights) inside a use case.
 *
 * @since 0.1.0
 */
import { Context, Effect, Option } from "effect"
import type { OrgId } from "../kernel/Ids.ts"
import type { OrgRepo } from "./IdentityRepos.ts"
import { defaultSettings, type Settings } from "./Organization.ts"

/**
 * The settings of the caller's org when the request's authentication read them already (with
 * the caller's membership, in the same statement), so a use case does not read them again.
 *
 * @since 0.1.0
 * @category reading
 */
export const KnownSettings = Context.Reference<
  Option.Option<{ readonly orgId: OrgId; readonly settings: Settings }>
>("@rota/core/identity/KnownSettings", { defaultValue: () => Option.none() })

/**
 * The org's settings; the defaults for an org the store does not know (a use case run outside
 * the HTTP server, in a test or an embedding app).
 *
 * @since 0.1.0
 * @category reading
 */
export const settingsOf = (orgs: OrgRepo["Service"], orgId: OrgId): Effect.Effect<Settings> =>
  Effect.flatMap(KnownSettings, (known) =>
    Option.isSome(known) && known.value.orgId === orgId
      ? Effect.succeed(known.value.settings)
      : Effect.map(orgs.findById(orgId), (org) => (Option.isSome(org) ? org.value.settings : defaultSettings))
  )
