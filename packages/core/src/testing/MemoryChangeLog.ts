/**
 * The `ChangeLog` port on the {@link MemoryDatabase}: the memory outbox records each org message
 * in the feed as it is written, in the writer's transaction, as the trigger of PostgreSQL does at
 * commit. Memory transactions run one at a time, so the order of writing is the order of commit,
 * and a message rolled back takes its feed row with it. Purged messages keep their rows, as on
 * PostgreSQL. `ChangeLogContract` holds both adapters to the same answers.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Schema } from "effect"
import { Change, ChangeCursor, ChangeLog, entityTypeOf } from "../kernel/Change.ts"
import { ValidationFailed } from "../kernel/Errors.ts"
import type { OrgId } from "../kernel/Ids.ts"
import type { OutboxMessage } from "../kernel/Outbox.ts"
import { MemoryDatabase, table } from "./MemoryDatabase.ts"

interface Feed {
  /** The last number drawn, across orgs, as PostgreSQL's one sequence. */
  readonly last: number
  readonly byOrg: ReadonlyMap<string, ReadonlyArray<Change>>
}

const feed = table<Feed>("change_feed", { last: 0, byOrg: new Map() })

const isCursor = Schema.is(ChangeCursor)

const invalidSince = () =>
  new ValidationFailed({
    errors: [{ path: ["query", "since"], message: "must be a cursor from the change feed" }]
  })

// A payload value as PostgreSQL's `->>` reads it: text as is, JSON null as none, other values
// as JSON text (PostgreSQL spaces an object's text differently; ids are text or numbers).
const textOf = (value: unknown): string | null =>
  value === undefined || value === null ? null : typeof value === "string" ? value : JSON.stringify(value)

/**
 * The entity a message names, as `rota_change_entity_id` reads it: the payload's `id`, else its
 * `<kind>Id` (`webhookId` for `webhook.created`).
 *
 * @since 0.1.0
 * @category rules
 */
export const entityIdOf = (topic: string, payload: unknown): string | null => {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return null
  const fields = payload as Record<string, unknown>
  return textOf(fields.id) ?? textOf(fields[`${entityTypeOf(topic)}Id`])
}

/**
 * Records an org message in the feed, numbered after every change written so far; messages of
 * no org stay out. The memory outbox calls it in the transaction that writes the message.
 *
 * @since 0.1.0
 * @category tables
 */
export const record = (database: MemoryDatabase["Service"], message: OutboxMessage): Effect.Effect<void> => {
  const orgId = message.orgId
  return orgId === null
    ? Effect.void
    : database.modify(feed, (current) => {
        const seq = current.last + 1
        const change = new Change({
          cursor: String(seq),
          topic: message.topic,
          entityType: entityTypeOf(message.topic),
          entityId: entityIdOf(message.topic, message.payload),
          occurredAt: message.createdAt
        })
        const byOrg = new Map(current.byOrg).set(orgId, [...(current.byOrg.get(orgId) ?? []), change])
        return [undefined, { last: seq, byOrg }]
      })
}

const changeLogMethods = (database: MemoryDatabase["Service"]) => {
  const after = Effect.fn("MemoryChangeLog.after")(function* (
    orgId: OrgId,
    since: string | undefined,
    limit: number
  ) {
    if (since !== undefined && !isCursor(since)) return yield* Effect.fail(invalidSince())
    // Cursors may pass the safe integers: compared as big integers, as the bigint column does.
    const from = BigInt(since ?? "0")
    const later = ((yield* database.read(feed)).byOrg.get(orgId) ?? []).filter(
      (change) => BigInt(change.cursor) > from
    )
    const items = later.slice(0, limit)
    return { items, nextCursor: later.length > limit ? (items[items.length - 1]?.cursor ?? null) : null }
  })
  return { after }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ChangeLog, never, MemoryDatabase> = Layer.effect(
  ChangeLog,
  Effect.map(Effect.service(MemoryDatabase), (database) => ChangeLog.of({ ...changeLogMethods(database) }))
)
