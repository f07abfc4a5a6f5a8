/**
 * The contract of every adapter of the `ChangeLog`: every outbox message of the org, once, in the
 * order its transaction committed (not the order of its time), with the entity type its topic
 * names and the entity id its payload's `id` or `<kind>Id` gives; none of another org, none of no
 * org, none rolled back; paged by an opaque cursor after which later messages appear; a malformed
 * cursor is `ValidationFailed`.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Schema } from "effect"
import { ChangeCursor, ChangeLog } from "../kernel/Change.ts"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { Outbox, OutboxMessage, OutboxMessageId, send } from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { type ContractSuite, expectEqual, expectTrue } from "./Contract.ts"

type Ports = ChangeLog | Outbox | Transactor | Ids

const isCursor = Schema.is(ChangeCursor)

/** The whole feed of the org, in one page. */
const feedOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(ChangeLog), (log) => log.after(orgId, undefined, 1000))

/** What a change says, without its cursor. */
const facts = (page: {
  readonly items: ReadonlyArray<{ topic: string; entityType: string; entityId: string | null }>
}) => page.items.map((change) => [change.topic, change.entityType, change.entityId])

/** A message written at `millis`, whatever the clock says. */
const sendAt = (orgId: OrgId, topic: string, payload: Schema.Json, millis: number) =>
  Effect.gen(function* () {
    const message = new OutboxMessage({
      id: yield* nextId(OutboxMessageId),
      orgId,
      topic,
      payload,
      createdAt: DateTime.makeUnsafe(millis),
      attempts: 0
    })
    yield* (yield* Outbox).enqueue(message)
    return message
  })

class Rollback extends Schema.TaggedError<Rollback>()("Rollback", {}) {}

const increasing = (cursors: ReadonlyArray<string>) =>
  cursors.every((cursor, i) => isCursor(cursor) && (i === 0 || BigInt(cursor) > BigInt(cursors[i - 1]!)))

/**
 * @since 0.1.0
 * @category suites
 */
export const ChangeLogContract: ContractSuite<Ports> = {
  name: "ChangeLog",
  cases: [
    {
      name: "every message of the org once, with the entity its topic and payload name; no other org's",
      run: Effect.gen(function* () {
        const transactor = yield* Transactor
        const [orgId, other] = [yield* nextId(OrgId), yield* nextId(OrgId)]
        const sent = yield* transactor.withTransaction(
          Effect.gen(function* () {
            const site = yield* send({ orgId, topic: "site.created", payload: { id: "s1", version: 1 } })
            yield* send({ orgId: null, topic: "auth.password_reset_requested", payload: { resetId: "r1" } })
            yield* send({ orgId: other, topic: "site.created", payload: { id: "s2" } })
            yield* send({ orgId, topic: "webhook.created", payload: { webhookId: "w1" } })
            return site
          })
        )
        yield* send({ orgId, topic: "booking.approved", payload: { id: "b1", bookingId: "b2" } })
        yield* send({ orgId, topic: "unit.moved", payload: { unitId: 42, id: null } })
        yield* send({ orgId, topic: "ping", payload: {} })
        yield* send({ orgId, topic: "list.sent", payload: ["id"] })
        const feed = yield* feedOf(orgId)
        yield* expectEqual(
          facts({ items: feed.items.slice(0, 2) }),
          [
            ["site.created", "site", "s1"],
            ["webhook.created", "webhook", "w1"]
          ],
          "the first transaction's changes"
        )
        yield* expectEqual(
          facts({ items: feed.items.slice(2) }),
          [
            ["booking.approved", "booking", "b1"],
            ["unit.moved", "unit", "42"],
            ["ping", "ping", null],
            ["list.sent", "list", null]
          ],
          "the later changes, in order"
        )
        yield* expectTrue(increasing(feed.items.map((change) => change.cursor)), "cursors increase")
        const site = feed.items.find((change) => change.topic === "site.created")
        yield* expectEqual(
          site === undefined ? null : DateTime.toEpochMillis(site.occurredAt),
          DateTime.toEpochMillis(sent.createdAt),
          "when the message was written"
        )
        yield* expectEqual(feed.nextCursor, null, "nothing more")
        yield* expectEqual(facts(yield* feedOf(other)), [["site.created", "site", "s2"]], "the other org's")
      })
    },
    {
      name: "changes follow the order of commit, not of their time; a rolled-back message never appears",
      run: Effect.gen(function* () {
        const transactor = yield* Transactor
        const orgId = yield* nextId(OrgId)
        const start = Date.UTC(2300, 0, 1)
        yield* transactor.withTransaction(sendAt(orgId, "late.created", { id: "late" }, start + 3_600_000))
        yield* Effect.flip(
          transactor.withTransaction(
            Effect.andThen(sendAt(orgId, "gone.created", { id: "gone" }, start), Effect.fail(new Rollback()))
          )
        )
        yield* transactor.withTransaction(sendAt(orgId, "early.created", { id: "early" }, start))
        yield* expectEqual(
          facts(yield* feedOf(orgId)),
          [
            ["late.created", "late", "late"],
            ["early.created", "early", "early"]
          ],
          "committed first, first"
        )
      })
    },
    {
      name: "a message delivered and purged keeps its change",
      run: Effect.gen(function* () {
        const outbox = yield* Outbox
        const orgId = yield* nextId(OrgId)
        const message = yield* send({ orgId, topic: "site.created", payload: { id: "s1" } })
        // Delivered long ago, so the purge takes nothing another case still needs.
        const delivered = DateTime.makeUnsafe(Date.UTC(1990, 0, 1))
        yield* outbox.markDelivered(message.id, delivered)
        const purged = yield* outbox.purgeDelivered(
          DateTime.makeUnsafe(DateTime.toEpochMillis(delivered) + 1000)
        )
        yield* expectTrue(purged >= 1, "the message purged")
        yield* expectEqual(facts(yield* feedOf(orgId)), [["site.created", "site", "s1"]], "its change kept")
      })
    },
    {
      name: "pages follow the cursor, and later messages appear after the last one read",
      run: Effect.gen(function* () {
        const log = yield* ChangeLog
        const [orgId, other] = [yield* nextId(OrgId), yield* nextId(OrgId)]
        for (const n of [1, 2, 3, 4, 5]) {
          yield* send({ orgId, topic: "site.created", payload: { id: `s${n}` } })
          yield* send({ orgId: other, topic: "site.created", payload: { id: `o${n}` } })
        }
        const ids = (page: { readonly items: ReadonlyArray<{ entityId: string | null }> }) =>
          page.items.map((change) => change.entityId)
        const first = yield* log.after(orgId, undefined, 2)
        yield* expectEqual(ids(first), ["s1", "s2"], "first page")
        yield* expectEqual(first.nextCursor, first.items[1]!.cursor, "resume after the last item")
        const second = yield* log.after(orgId, first.nextCursor!, 2)
        yield* expectEqual(ids(second), ["s3", "s4"], "second page")
        const last = yield* log.after(orgId, second.nextCursor!, 2)
        yield* expectEqual(ids(last), ["s5"], "last page")
        yield* expectEqual(last.nextCursor, null, "no more now")
        const end = last.items[0]!.cursor
        yield* expectEqual(ids(yield* log.after(orgId, end, 2)), [], "nothing after the end yet")
        yield* send({ orgId, topic: "site.updated", payload: { id: "s1" } })
        const later = yield* log.after(orgId, end, 2)
        yield* expectEqual(facts(later), [["site.updated", "site", "s1"]], "what came later")
        yield* expectEqual(ids(yield* log.after(orgId, "0", 10)).length, 6, "from the start with 0")
      })
    },
    {
      name: "a malformed cursor is ValidationFailed",
      run: Effect.gen(function* () {
        const log = yield* ChangeLog
        const orgId = yield* nextId(OrgId)
        for (const since of ["abc", "-1", "01", "1.5", "", " 1", "1234567890123456789"]) {
          const error = yield* Effect.flip(log.after(orgId, since, 10))
          yield* expectEqual(
            { tag: error._tag, errors: error.errors },
            {
              tag: "ValidationFailed",
              errors: [{ path: ["query", "since"], message: "must be a cursor from the change feed" }]
            },
            `since ${JSON.stringify(since)}`
          )
        }
      })
    }
  ]
}
