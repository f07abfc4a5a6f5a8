/**
 * Reading an organisation's policy knobs (auto-approve, offer TTL, grace, fines, priority
 * weights) inside a use case.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import type { OrgId } from "../Ids.ts"
import type { OrgRepo } from "./IdentityRepos.ts"
import { defaultSettings, type Settings } from "./Organization.ts"

/**
 * The org's settings; the defaults for an org the store does not know (a use case run outside
 * the HTTP server, in a test or an embedding app).
 *
 * @since 0.1.0
 * @category reading
 */
export const settingsOf = (orgs: OrgRepo["Service"], orgId: OrgId): Effect.Effect<Settings> =>
  Effect.map(orgs.findById(orgId), (org) => (Option.isSome(org) ? org.value.settings : defaultSettings))
