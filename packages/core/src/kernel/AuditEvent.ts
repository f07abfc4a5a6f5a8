/**
 * The audit event: what the audit log stores about one change of a business entity, and the
 * answer of a chain verification. Apart from the recording helpers (`Audit`) so the port
 * (`AuditLog`) and the helpers both depend on it rather than on each other.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId, ApiKeyId, OrgId } from "./Ids.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const AuditEventId = Schema.String.pipe(Schema.check(Schema.isUUID()), Schema.brand("AuditEventId"))
/** @since 0.1.0 @category ids */
export type AuditEventId = typeof AuditEventId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const AuditAction = Schema.Literals(["CREATE", "UPDATE", "SOFT_DELETE", "RESTORE", "STATUS_CHANGE"])
/** @since 0.1.0 @category models */
export type AuditAction = typeof AuditAction.Type

/**
 * @since 0.1.0
 * @category models
 */
export class AuditEvent extends Schema.Class<AuditEvent>("@rota/core/AuditEvent")({
  id: AuditEventId,
  orgId: OrgId,
  /** The account that made the change, or the API key it was made with; `null`: the system. */
  actorId: Schema.NullOr(Schema.Union([AccountId, ApiKeyId])),
  /** A singular lower-case noun: `resource`, `booking`, ... */
  entityType: Schema.String,
  entityId: Schema.String,
  action: AuditAction,
  before: Schema.NullOr(Schema.Json),
  after: Schema.NullOr(Schema.Json),
  at: Schema.DateTimeUtc,
  requestId: Schema.String
}) {}

/**
 * The answer of a chain verification: how many seals were checked and the first event whose
 * seal does not match, if any.
 *
 * @since 0.1.0
 * @category models
 */
export const Verification = Schema.Struct({
  ok: Schema.Boolean,
  checked: Schema.Int,
  brokenAt: Schema.NullOr(Schema.String)
})
/** @since 0.1.0 @category models */
export type Verification = typeof Verification.Type
