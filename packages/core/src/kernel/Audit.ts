/**
 * The audit log: every CREATE, UPDATE, SOFT_DELETE, RESTORE and STATUS_CHANGE of a business
 * entity, written in the same transaction as the change, append-only and hash-chained per org.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, type Schema } from "effect"
import { type AuditAction, AuditEvent, AuditEventId } from "./AuditEvent.ts"
import { AuditLog } from "./AuditLog.ts"
import type { AccountId, ApiKeyId, Ids, OrgId } from "./Ids.ts"
import { nextId } from "./Ids.ts"
import { CurrentActor, CurrentRequestId } from "./RequestContext.ts"

export {
  /** @since 0.1.0 */
  AuditAction,
  /** @since 0.1.0 */
  AuditEvent,
  /** @since 0.1.0 */
  AuditEventId,
  /** @since 0.1.0 */
  Verification
} from "./AuditEvent.ts"

const secretKey = /pass(word)?|secret|token|hash|api[-_]?key/i

/**
 * Removes secrets (password hashes, tokens, keys) from a snapshot, at any depth, so they never
 * reach the audit log.
 *
 * @since 0.1.0
 * @category rules
 */
export const redact = (value: unknown): Schema.Json => {
  if (value === null || value === undefined) return null
  if (DateTime.isDateTime(value)) return DateTime.formatIso(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(redact)
  if (typeof value === "object") {
    const out: Record<string, Schema.Json> = {}
    for (const [key, field] of Object.entries(value)) {
      if (!secretKey.test(key) && field !== undefined) out[key] = redact(field)
    }
    return out
  }
  if (typeof value === "bigint") return value.toString()
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value
  return null
}

/**
 * What a use case says about a change; the rest (id, org, actor, time, request) is filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface Change {
  readonly entityType: string
  readonly entityId: string
  readonly action: AuditAction
  readonly before?: unknown
  readonly after?: unknown
}

/**
 * Records a change made by an explicit actor in an explicit org: for changes made before an
 * actor exists in the org (registration) or by the system (`actorId: null`).
 *
 * @since 0.1.0
 * @category recording
 */
export const recordAs = Effect.fnUntraced(function* (
  scope: { readonly orgId: OrgId; readonly actorId: AccountId | ApiKeyId | null },
  change: Change
) {
  const log = yield* AuditLog
  const event = new AuditEvent({
    id: yield* nextId(AuditEventId),
    orgId: scope.orgId,
    actorId: scope.actorId,
    entityType: change.entityType,
    entityId: change.entityId,
    action: change.action,
    before: change.before === undefined ? null : redact(change.before),
    after: change.after === undefined ? null : redact(change.after),
    at: DateTime.makeUnsafe(yield* Clock.currentTimeMillis),
    requestId: yield* CurrentRequestId
  })
  yield* log.append(event)
  return event
})

/**
 * Records a change made by the current actor in its org, naming the API key when one made it.
 * Call it inside the transaction that makes the change.
 *
 * @since 0.1.0
 * @category recording
 */
export const record = (change: Change): Effect.Effect<AuditEvent, never, AuditLog | CurrentActor | Ids> =>
  Effect.flatMap(Effect.service(CurrentActor), (actor) =>
    recordAs({ orgId: actor.orgId, actorId: actor.apiKeyId ?? actor.accountId }, change)
  )
