import { assert, layer } from "@effect/vitest"
import { Effect, Layer, type Schema } from "effect"
import type { Change } from "../../src/kernel/Change.ts"
import * as ChangeFeed from "../../src/kernel/ChangeFeed.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import * as Outbox from "../../src/kernel/Outbox.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { Transactor } from "../../src/kernel/Transactor.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as } from "../support/UseCases.ts"

// The change feed on the memory adapters: what integrators read of their org's changes, in the
// order they committed, from a cursor.
const memory = ChangeFeed.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

const actorIn = (orgId: OrgId, role: Role, scopes?: ReadonlyArray<string>) =>
  Effect.map(
    nextId(AccountId),
    (accountId) => new Actor({ orgId, accountId, role, ...(scopes === undefined ? {} : { scopes }) })
  )

/** A new org and its manager. */
const orgManager = Effect.gen(function* () {
  const { id: orgId } = yield* Fixtures.org()
  return { orgId, manager: yield* actorIn(orgId, "manager") }
})

/** Writes the changes as the use cases do: one outbox message each. */
const wrote = (orgId: OrgId | null, changes: ReadonlyArray<readonly [string, Schema.Json]>) =>
  Effect.forEach(changes, ([topic, payload]) => Outbox.send({ orgId, topic, payload }), { discard: true })

const read = (actor: Actor, since: string | undefined, limit = 100) =>
  as(
    actor,
    Effect.flatMap(Effect.service(ChangeFeed.ChangeFeed), (feed) => feed.list(since, limit))
  )

const topicsOf = (items: ReadonlyArray<Change>) => items.map((change) => change.topic)

const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

layer(memory, { excludeTestServices: true })("ChangeFeed on memory storage", (it) => {
  it.effect("changes come oldest first, naming topic, entity type and id, never the payload", () =>
    Effect.gen(function* () {
      const { orgId, manager } = yield* orgManager
      yield* wrote(orgId, [
        ["booking.created", { id: "b-1", note: "for delivery only" }],
        ["webhook.created", { webhookId: "w-1" }],
        ["site.updated", { name: "no id here" }]
      ])
      const page = yield* read(manager, undefined)
      assert.deepStrictEqual(
        page.items.map((change) => [change.topic, change.entityType, change.entityId]),
        [
          ["booking.created", "booking", "b-1"],
          ["webhook.created", "webhook", "w-1"],
          ["site.updated", "site", null]
        ]
      )
      assert.deepStrictEqual(Object.keys(page.items[0]!).sort(), [
        "cursor",
        "entityId",
        "entityType",
        "occurredAt",
        "topic"
      ])
      assert.isNull(page.nextCursor)
    })
  )

  it.effect("reading after a cursor resumes there; a full page says where the next one starts", () =>
    Effect.gen(function* () {
      const { orgId, manager } = yield* orgManager
      yield* wrote(orgId, [
        ["site.created", { id: "1" }],
        ["site.created", { id: "2" }],
        ["site.created", { id: "3" }]
      ])
      const first = yield* read(manager, undefined, 2)
      assert.deepStrictEqual(
        first.items.map((change) => change.entityId),
        ["1", "2"]
      )
      assert.strictEqual(first.nextCursor, first.items[1]!.cursor)
      const rest = yield* read(manager, first.nextCursor ?? undefined, 2)
      assert.deepStrictEqual(
        rest.items.map((change) => change.entityId),
        ["3"]
      )
      assert.isNull(rest.nextCursor)
      const last = rest.items[0]!.cursor
      assert.deepStrictEqual((yield* read(manager, last)).items, [])
      yield* wrote(orgId, [["site.deleted", { id: "1" }]])
      assert.deepStrictEqual(topicsOf((yield* read(manager, last)).items), ["site.deleted"])
    })
  )

  it.effect("a cursor is a decimal position from the feed; anything else is refused", () =>
    Effect.gen(function* () {
      const { manager } = yield* orgManager
      for (const since of ["abc", "-1", "01", "1.5", ""]) {
        assert.strictEqual(yield* tagOf(read(manager, since)), "ValidationFailed")
      }
      assert.deepStrictEqual((yield* read(manager, "99999999999999999")).items, [])
    })
  )

  it.effect("each org reads its own changes only, and messages of no org are in no feed", () =>
    Effect.gen(function* () {
      const mine = yield* orgManager
      const theirs = yield* orgManager
      yield* wrote(mine.orgId, [["part.created", { id: "p-1" }]])
      yield* wrote(theirs.orgId, [["part.created", { id: "p-2" }]])
      yield* wrote(null, [["auth.password_reset_requested", { resetId: "r-1" }]])
      yield* wrote(mine.orgId, [["part.updated", { id: "p-1" }]])
      const own = (yield* read(mine.manager, undefined)).items
      assert.deepStrictEqual(
        own.map((change) => [change.topic, change.entityId]),
        [
          ["part.created", "p-1"],
          ["part.updated", "p-1"]
        ]
      )
      assert.isTrue(Number(own[0]!.cursor) < Number(own[1]!.cursor))
      assert.deepStrictEqual(topicsOf((yield* read(theirs.manager, undefined)).items), ["part.created"])
    })
  )

  it.effect("a write that rolls back leaves no change behind", () =>
    Effect.gen(function* () {
      const { orgId, manager } = yield* orgManager
      const transactor = yield* Transactor
      const failed = transactor.withTransaction(
        Effect.andThen(wrote(orgId, [["site.created", { id: "ghost" }]]), Effect.fail("refused" as const))
      )
      assert.strictEqual(yield* Effect.flip(failed), "refused")
      yield* wrote(orgId, [["site.created", { id: "real" }]])
      assert.deepStrictEqual(
        (yield* read(manager, undefined)).items.map((change) => change.entityId),
        ["real"]
      )
    })
  )

  it.effect("technicians and clients may not read the feed, nor a key without the changes scope", () =>
    Effect.gen(function* () {
      const { orgId } = yield* orgManager
      const refused = [
        yield* actorIn(orgId, "technician"),
        yield* actorIn(orgId, "member"),
        yield* actorIn(orgId, "admin", ["inventory.read"])
      ]
      for (const actor of refused) {
        const error = yield* Effect.flip(read(actor, undefined))
        assert.deepStrictEqual(
          [error._tag, error._tag === "Forbidden" && error.permission],
          ["Forbidden", "changes.read"]
        )
      }
      const scoped = yield* actorIn(orgId, "admin", ["changes.read"])
      assert.deepStrictEqual((yield* read(scoped, undefined)).items, [])
    })
  )
})
