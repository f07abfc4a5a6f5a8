/**
 * The change feed end to end: an integrator reads everything, the org makes changes, and reading
 * since the last cursor answers exactly the new changes, in commit order, in their public shape
 * only; another org sees none; the feed is permission-gated and refuses a forged cursor.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createSite, createTag } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

interface ChangeView {
  readonly cursor: string
  readonly topic: string
  readonly entityType: string
  readonly entityId: string | null
  readonly occurredAt: string
}

type Page = { readonly items: Array<ChangeView>; readonly nextCursor: string | null }

// Reads every change after `since`, page by page; answers them and where to resume.
const readAll = (key: string, since: string | undefined) =>
  Effect.gen(function* () {
    const changes: Array<ChangeView> = []
    let cursor = since
    let next: string | null = null
    do {
      const query = [`limit=2`, ...(cursor === undefined ? [] : [`since=${cursor}`])].join("&")
      const answer = yield* call("GET", `/v1/changes?${query}`, { token: key })
      assert.strictEqual(answer.status, 200, answer.text)
      const page = body<Page>(answer)
      changes.push(...page.items)
      next = page.nextCursor
      cursor = page.items.at(-1)?.cursor ?? cursor
    } while (next !== null)
    return { changes, resumeAt: cursor }
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "change feed",
      (it) => {
        it.effect("an integrator reads all, then exactly the new changes in order", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("feed")
            const other = yield* registerOwner("feedother")
            const made = yield* call("POST", "/v1/api-keys", {
              ...owner,
              body: { name: "Sync", scopes: ["changes.read"] }
            })
            assert.strictEqual(made.status, 201, made.text)
            const key = body<{ key: string }>(made).key
            yield* createSite(owner)
            const before = yield* readAll(key, undefined)
            assert.isAbove(before.changes.length, 0)
            assert.isDefined(before.resumeAt)

            const site = yield* createSite(owner)
            const tag = yield* createTag(owner)
            const otherTag = yield* createTag(other)
            const second = yield* call("POST", "/v1/api-keys", {
              ...owner,
              body: { name: "Another", scopes: ["inventory.read"] }
            })
            assert.strictEqual(second.status, 201, second.text)
            const secondKey = body<{ apiKey: { id: string }; key: string }>(second)

            const after = yield* readAll(key, before.resumeAt)
            assert.deepStrictEqual(
              after.changes.map((change) => [change.topic, change.entityType, change.entityId]),
              [
                ["site.created", "site", site.id],
                ["tag.created", "tag", tag.id],
                ["api_key.created", "api_key", secondKey.apiKey.id]
              ]
            )
            const cursors = after.changes.map((change) => BigInt(change.cursor))
            assert.isTrue(cursors.every((cursor, i) => i === 0 || cursor > cursors[i - 1]!))
            for (const change of after.changes) {
              assert.deepStrictEqual(Object.keys(change).sort(), [
                "cursor",
                "entityId",
                "entityType",
                "occurredAt",
                "topic"
              ])
            }
            const raw = yield* call("GET", `/v1/changes?since=${before.resumeAt}`, { token: key })
            assert.notInclude(raw.text, secondKey.key.slice(-43))

            const nothingNew = yield* readAll(key, after.resumeAt)
            assert.deepStrictEqual(nothingNew.changes, [])
            assert.strictEqual(nothingNew.resumeAt, after.resumeAt)

            // The other org's feed holds its own changes only.
            const theirs = yield* call("GET", "/v1/changes?limit=100", other)
            const ids = body<Page>(theirs).items.map((change) => change.entityId)
            assert.notInclude(ids, site.id)
            assert.notInclude(ids, tag.id)
            assert.include(ids, otherTag.id)
          })
        )

        it.effect("the feed needs changes.read and a cursor it issued", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("feedgate")
            const member = yield* addMember(owner, "member")
            const refused = yield* call("GET", "/v1/changes", member)
            assert.strictEqual(refused.status, 403, refused.text)
            const manager = yield* addMember(owner, "manager")
            assert.strictEqual((yield* call("GET", "/v1/changes", manager)).status, 200)
            for (const since of ["abc", "-1", "99999999999999999999"]) {
              const bad = yield* call("GET", `/v1/changes?since=${since}`, owner)
              assert.strictEqual(bad.status, 400, bad.text)
            }
          })
        )
      }
    )
  })
}
