/**
 * One entry of the change feed: what changed (the outbox message's topic, the entity's type and
 * id), when, and where it sits in the org's feed. A public shape on purpose: payloads stay
 * inside, so nothing a message carries for delivery reaches an integrator.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Schema } from "effect"
import type { ValidationFailed } from "./Errors.ts"
import type { OrgId } from "./Ids.ts"

/**
 * A position in an org's feed: the decimal sequence number of a change. Opaque to clients.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChangeCursor = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^(0|[1-9][0-9]{0,17})$/, { message: "must be a cursor from the change feed" })
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export class Change extends Schema.Class<Change>("@rota/core/Change")({
  /** Pass it as `since` to read what changed after this change. */
  cursor: ChangeCursor,
  /** What happened, dotted: `booking.approved`, `site.created`, ... */
  topic: Schema.String,
  /** The kind of entity: the topic's first part. */
  entityType: Schema.String,
  /** The entity's id, when the change names one. */
  entityId: Schema.NullOr(Schema.String),
  occurredAt: Schema.DateTimeUtc
}) {}

/**
 * The entity type a topic is about: `booking` for `booking.approved`.
 *
 * @since 0.1.0
 * @category rules
 */
export const entityTypeOf = (topic: string): string => topic.split(".", 1)[0]!

/**
 * @since 0.1.0
 * @category models
 */
export interface ChangePage {
  readonly items: ReadonlyArray<Change>
  /** Set when more changes follow now; each item's `cursor` is where to resume later. */
  readonly nextCursor: string | null
}

/**
 * The store behind the feed: the org's changes after `since`, in the order they committed.
 *
 * @since 0.1.0
 * @category services
 */
export class ChangeLog extends Context.Service<
  ChangeLog,
  {
    readonly after: (
      orgId: OrgId,
      since: string | undefined,
      limit: number
    ) => Effect.Effect<ChangePage, ValidationFailed>
  }
>()("@rota/core/ChangeLog") {}
