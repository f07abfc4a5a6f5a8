/**
 * The domain's error vocabulary. Errors carry data, never HTTP statuses: `@rota/http` maps each
 * tag to a problem in one table. Features add their own errors next to their entities; these
 * are the ones every feature shares.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * No such entity in the caller's organisation, or one the caller may not see: the two are
 * indistinguishable on purpose, so ids of other tenants leak nothing.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.String,
  id: Schema.String
}) {}

/**
 * The actor's role lacks the permission the operation needs.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  permission: Schema.String
}) {}

/**
 * No valid credentials: unknown account, wrong password, or an expired, forged or revoked token.
 * The reason is for logs only; clients all see the same answer.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {
  reason: Schema.String
}) {}

/**
 * One clashing claim on the time ledger.
 *
 * @since 0.1.0
 * @category models
 */
export const Clash = Schema.Struct({
  subjectType: Schema.Literals(["unit", "person"]),
  subjectId: Schema.String,
  startAt: Schema.DateTimeUtc,
  endAt: Schema.DateTimeUtc
})
/** @since 0.1.0 @category models */
export type Clash = typeof Clash.Type

/**
 * Two active claims on the same subject would overlap (or no free subject was left).
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  conflicts: Schema.Array(Clash)
}) {}

/**
 * A state machine refused a move; `allowed` lists the states reachable from `from`.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTransition extends Schema.TaggedError<InvalidTransition>()("InvalidTransition", {
  entity: Schema.String,
  from: Schema.String,
  to: Schema.String,
  allowed: Schema.Array(Schema.String)
}) {}

/**
 * The caller's version of an entity is stale (optimistic locking).
 *
 * @since 0.1.0
 * @category errors
 */
export class PreconditionFailed extends Schema.TaggedError<PreconditionFailed>()("PreconditionFailed", {
  entity: Schema.String,
  id: Schema.String,
  expectedVersion: Schema.Int
}) {}

/**
 * A change to a versioned entity did not say which version it was based on, where that is
 * required (PATCH).
 *
 * @since 0.1.0
 * @category errors
 */
export class PreconditionRequired extends Schema.TaggedError<PreconditionRequired>()("PreconditionRequired", {
  entity: Schema.String
}) {}

/**
 * A natural key (email, username, barcode, SKU, slug...) is already taken in its scope.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyExists extends Schema.TaggedError<AlreadyExists>()("AlreadyExists", {
  entity: Schema.String,
  field: Schema.String
}) {}

/**
 * One field problem of a {@link ValidationFailed}.
 *
 * @since 0.1.0
 * @category models
 */
export const FieldIssue = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
  message: Schema.String
})
/** @since 0.1.0 @category models */
export type FieldIssue = typeof FieldIssue.Type

/**
 * Input that is well-formed but breaks a domain rule the schema cannot state alone (an interval
 * whose end is not after its start, a date in the past).
 *
 * @since 0.1.0
 * @category errors
 */
export class ValidationFailed extends Schema.TaggedError<ValidationFailed>()("ValidationFailed", {
  errors: Schema.Array(FieldIssue)
}) {}
