/**
 * What every write leaves beside its change: the audit event (who changed what, before and after)
 * and the outbox message integrations consume. Both are written by one call inside the change's
 * transaction, so neither can exist without the other or without the change.
 *
 * @since 0.1.0
 */
import { Effect, type Schema } from "effect"
import * as Audit from "./Audit.ts"
import type { AuditLog } from "./AuditLog.ts"
import type { Ids, OrgId } from "./Ids.ts"
import * as Outbox from "./Outbox.ts"
import type { CurrentActor } from "./RequestContext.ts"

/**
 * The message announcing a change. Its payload names the entity; what the org keeps secret (a
 * webhook's URL, a key's hash) stays out of it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Message {
  readonly orgId: OrgId
  readonly topic: string
  readonly payload: Schema.Json
}

/**
 * Records the change for the current actor and sends its message; call it inside the change's
 * transaction.
 *
 * @since 0.1.0
 * @category recording
 */
export const record = (
  change: Audit.Change,
  message: Message
): Effect.Effect<void, never, AuditLog | Outbox.Outbox | CurrentActor | Ids> =>
  Effect.andThen(Audit.record(change), Outbox.send(message))
