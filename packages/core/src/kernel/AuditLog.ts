/**
 * The port behind the audit log.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect } from "effect"
import type { AuditEvent, Verification } from "./AuditEvent.ts"
import type { ValidationFailed } from "./Errors.ts"
import type { OrgId } from "./Ids.ts"
import type { Page, PageRequest } from "./Pagination.ts"

/**
 * Filters of the audit listing; all optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuditQuery extends PageRequest {
  readonly entityType?: ReadonlyArray<string> | undefined
  readonly entityId?: string | undefined
  readonly actorId?: string | undefined
  readonly action?: ReadonlyArray<string> | undefined
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
}

/**
 * @since 0.1.0
 * @category services
 */
export class AuditLog extends Context.Service<
  AuditLog,
  {
    /** Appends an event inside the caller's transaction. */
    readonly append: (event: AuditEvent) => Effect.Effect<void>
    /** Events of one org, newest first; a cursor it cannot read is `ValidationFailed`. */
    readonly list: (orgId: OrgId, query: AuditQuery) => Effect.Effect<Page<AuditEvent>, ValidationFailed>
    /** Seals the events committed since the last seal into the org's hash chain (all orgs when omitted); answers how many. */
    readonly seal: (orgId?: OrgId) => Effect.Effect<number>
    /** Seals what is pending, then recomputes the org's chain and names the first broken link. */
    readonly verify: (orgId: OrgId) => Effect.Effect<Verification>
  }
>()("@rota/core/AuditLog") {}
