import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import {
  createPart,
  createResource,
  createSite,
  createTag,
  createUnit,
  type Record
} from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
type Page = { readonly items: ReadonlyArray<Record>; readonly nextCursor: string | null }

const as = (org: Org, headers: globalThis.Record<string, string> = {}) => ({
  token: org.token,
  orgId: org.orgId,
  headers
})

const eventsOf = (org: Org, entityId: string) =>
  Effect.map(call("GET", `/v1/audit?entityId=${entityId}&limit=100`, as(org)), (answer) =>
    body<{ items: ReadonlyArray<{ action: string }> }>(answer)
      .items.map((event) => event.action)
      .reverse()
  )

// Every page of a listing, following `nextCursor` to the end.
const walk = (org: Org, path: string) =>
  Effect.gen(function* () {
    const seen: Array<Record> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const separator = path.includes("?") ? "&" : "?"
      const answer: Answer = yield* call(
        "GET",
        cursor === null ? path : `${path}${separator}cursor=${encodeURIComponent(cursor)}`,
        as(org)
      )
      assert.strictEqual(answer.status, 200, answer.text)
      const page: Page = body<Page>(answer)
      seen.push(...page.items)
      cursor = page.nextCursor
      pages++
    } while (cursor !== null && pages < 100)
    return { seen, pages }
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 90_000, excludeTestServices: true })(
      "inventory",
      (it) => {
        it.effect("12 parallel PATCHes with one ETag: one 200, eleven 412, version up by one", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const resource = yield* createResource(owner)
            const etag = `"${resource.version}"`
            const answers = yield* Effect.forEach(
              Array.from({ length: 12 }, (_, index) => index),
              (index) =>
                call("PATCH", `/v1/resources/${resource.id}`, {
                  ...as(owner, { "if-match": etag }),
                  body: { name: `Renamed ${index}` }
                }),
              { concurrency: "unbounded" }
            )
            const statuses = answers.map((answer) => answer.status).sort()
            assert.deepStrictEqual(statuses, [200, ...Array.from({ length: 11 }, () => 412)])
            const winner = answers.find((answer) => answer.status === 200)!
            assert.strictEqual(winner.headers.get("etag"), `"${resource.version + 1}"`)
            const after = yield* call("GET", `/v1/resources/${resource.id}`, as(owner))
            assert.strictEqual(body<Record>(after).version, resource.version + 1)
            assert.strictEqual(body<Record>(after).name, body<Record>(winner).name)
            assert.deepStrictEqual(yield* eventsOf(owner, resource.id), ["CREATE", "UPDATE"])
          })
        )

        it.effect("PATCH without If-Match is 428 and changes nothing; a stale one is 412", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const site = yield* createSite(owner)
            const missing = yield* call("PATCH", `/v1/sites/${site.id}`, {
              ...as(owner),
              body: { name: "X" }
            })
            assert.strictEqual(missing.status, 428)
            const stale = yield* call("PATCH", `/v1/sites/${site.id}`, {
              ...as(owner, { "if-match": '"7"' }),
              body: { name: "X" }
            })
            assert.strictEqual(stale.status, 412)
            assert.deepStrictEqual(yield* eventsOf(owner, site.id), ["CREATE"])
          })
        )

        it.effect(
          "DELETE hides a resource, includeDeleted shows it to managers only, restore brings it back; one event each",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const manager = yield* addMember(owner, "manager")
              const member = yield* addMember(owner, "member")
              const resource = yield* createResource(owner, { type: "soft-delete-probe" })
              const listed = (org: Org, extra = "") =>
                Effect.map(call("GET", `/v1/resources?type=soft-delete-probe${extra}`, as(org)), (answer) =>
                  answer.status === 200 ? body<Page>(answer).items.map((item) => item.id) : answer.status
                )

              const removed = yield* call("DELETE", `/v1/resources/${resource.id}`, as(manager))
              assert.strictEqual(removed.status, 204)
              assert.strictEqual((yield* call("GET", `/v1/resources/${resource.id}`, as(member))).status, 404)
              assert.deepStrictEqual(yield* listed(member), [])
              assert.deepStrictEqual(yield* listed(manager), [])
              assert.deepStrictEqual(yield* listed(manager, "&includeDeleted=true"), [resource.id])
              assert.strictEqual(yield* listed(member, "&includeDeleted=true"), 403)
              const shown = yield* call(
                "GET",
                `/v1/resources/${resource.id}?includeDeleted=true`,
                as(manager)
              )
              assert.strictEqual(shown.status, 200)
              assert.isNotNull(body<Record>(shown).deletedAt)
              // Deleting again finds nothing to delete, and records nothing.
              assert.strictEqual(
                (yield* call("DELETE", `/v1/resources/${resource.id}`, as(manager))).status,
                404
              )

              const restored = yield* call("POST", `/v1/resources/${resource.id}/restore`, as(manager))
              assert.strictEqual(restored.status, 200)
              assert.isNull(body<Record>(restored).deletedAt)
              assert.strictEqual(body<Record>(restored).version, resource.version + 2)
              assert.deepStrictEqual(yield* listed(member), [resource.id])
              assert.deepStrictEqual(yield* eventsOf(owner, resource.id), [
                "CREATE",
                "SOFT_DELETE",
                "RESTORE"
              ])

              // A refused write leaves no event.
              const refused = yield* call("DELETE", `/v1/resources/${resource.id}`, as(member))
              assert.strictEqual(refused.status, 403)
              const stale = yield* call(
                "DELETE",
                `/v1/resources/${resource.id}`,
                as(manager, { "if-match": '"1"' })
              )
              assert.strictEqual(stale.status, 412)
              assert.deepStrictEqual(yield* eventsOf(owner, resource.id), [
                "CREATE",
                "SOFT_DELETE",
                "RESTORE"
              ])
              const verified = yield* call("GET", "/v1/audit/verify", as(owner))
              assert.isTrue(body<{ ok: boolean }>(verified).ok)
            })
        )

        it.effect("cursor pagination over 27 resources returns every one exactly once, in every sort", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const created = yield* Effect.forEach(
              Array.from({ length: 27 }, (_, index) => index),
              // Few distinct names and types, so ties must be broken by id.
              (index) => createResource(owner, { name: `Kit ${index % 4}`, type: `type-${index % 3}` }),
              { concurrency: 4 }
            )
            const ids = created.map((resource) => resource.id).sort()
            for (const sort of ["", "&sort=name", "&sort=-name", "&sort=-createdAt", "&sort=type"]) {
              const { seen, pages } = yield* walk(owner, `/v1/resources?limit=5${sort}`)
              assert.deepStrictEqual(seen.map((item) => item.id).sort(), ids, sort)
              assert.strictEqual(pages, 6, sort)
            }
            const byName = (yield* walk(owner, "/v1/resources?limit=4&sort=-name")).seen.map(
              (item) => item.name
            )
            assert.deepStrictEqual(byName, [...byName].sort().reverse())
            const forged = yield* call("GET", "/v1/resources?cursor=bm90LWEtY3Vyc29y", as(owner))
            assert.strictEqual(forged.status, 400)
            const otherSort = (yield* call("GET", "/v1/resources?limit=2&sort=name", as(owner))).json as Page
            const mixed = yield* call(
              "GET",
              `/v1/resources?limit=2&sort=createdAt&cursor=${otherSort.nextCursor}`,
              as(owner)
            )
            assert.strictEqual(mixed.status, 400)
          })
        )

        it.effect("barcodes and SKUs are unique per org (409) but repeat across orgs", () =>
          Effect.gen(function* () {
            const first = yield* registerOwner()
            const second = yield* registerOwner()
            const resource = yield* createResource(first)
            yield* createUnit(first, resource.id, { barcode: "CAM-0001" })
            const again = yield* call("POST", `/v1/resources/${resource.id}/units`, {
              ...as(first),
              body: { barcode: "CAM-0001" }
            })
            assert.strictEqual(again.status, 409)
            assert.strictEqual(body<{ code: string }>(again).code, "already_exists")
            assert.strictEqual(body<{ field: string }>(again).field, "barcode")
            const elsewhere = yield* createResource(second)
            yield* createUnit(second, elsewhere.id, { barcode: "CAM-0001" })

            yield* createPart(first, { sku: "FLT-10" })
            const sameSku = yield* call("POST", "/v1/parts", {
              ...as(first),
              body: { sku: "flt-10", name: "Filter", unitPrice: { amount: 100, currency: "EUR" } }
            })
            assert.strictEqual(sameSku.status, 409)
            assert.strictEqual(body<{ field: string }>(sameSku).field, "sku")
            yield* createPart(second, { sku: "FLT-10" })

            yield* createTag(first, "Outdoor")
            const sameTag = yield* call("POST", "/v1/tags", { ...as(first), body: { name: "OUTDOOR" } })
            assert.strictEqual(sameTag.status, 409)
            yield* createTag(second, "outdoor")
          })
        )

        it.effect("a deleted unit's barcode can be reused; restoring the old unit then collides (409)", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const resource = yield* createResource(owner)
            const unit = yield* createUnit(owner, resource.id, { barcode: "REUSE-1" })
            assert.strictEqual((yield* call("DELETE", `/v1/units/${unit.id}`, as(owner))).status, 204)
            yield* createUnit(owner, resource.id, { barcode: "REUSE-1" })
            const restored = yield* call("POST", `/v1/units/${unit.id}/restore`, as(owner))
            assert.strictEqual(restored.status, 409)
            assert.deepStrictEqual(yield* eventsOf(owner, unit.id), ["CREATE", "SOFT_DELETE"])
          })
        )

        it.effect("resources filter by type, status, tag, site, text and creation time", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const site = yield* createSite(owner, { name: "North depot" })
            yield* createTag(owner, "4K")
            yield* createTag(owner, "Outdoor")
            const camera = yield* createResource(owner, {
              name: "Cinema camera",
              type: "camera",
              tags: ["4k", "outdoor"],
              siteId: site.id,
              serialNumber: "SN-777"
            })
            const van = yield* createResource(owner, { name: "Van", type: "vehicle", status: "MAINTENANCE" })
            const drone = yield* createResource(owner, { name: "Drone", type: "camera", tags: ["Outdoor"] })
            assert.deepStrictEqual(camera.tags, ["4K", "Outdoor"])
            const ids = (query: string) =>
              Effect.map(call("GET", `/v1/resources?${query}`, as(owner)), (answer) => {
                assert.strictEqual(answer.status, 200, answer.text)
                return body<Page>(answer)
                  .items.map((item) => item.id)
                  .sort()
              })
            const sorted = (...records: ReadonlyArray<Record>) => records.map((record) => record.id).sort()
            assert.deepStrictEqual(yield* ids("type=camera"), sorted(camera, drone))
            assert.deepStrictEqual(yield* ids("type=camera,vehicle"), sorted(camera, van, drone))
            assert.deepStrictEqual(yield* ids("status=MAINTENANCE"), sorted(van))
            assert.deepStrictEqual(yield* ids("tag=OUTDOOR"), sorted(camera, drone))
            assert.deepStrictEqual(yield* ids(`siteId=${site.id}`), sorted(camera))
            assert.deepStrictEqual(yield* ids("q=sn-7"), sorted(camera))
            assert.deepStrictEqual(yield* ids("q=cinema&type=camera"), sorted(camera))
            assert.deepStrictEqual(
              yield* ids(`createdFrom=${encodeURIComponent(String(van.createdAt))}`),
              sorted(van, drone)
            )
            assert.deepStrictEqual(
              yield* ids(`createdTo=${encodeURIComponent(String(van.createdAt))}`),
              sorted(camera)
            )
            assert.strictEqual((yield* call("GET", "/v1/resources?status=BROKEN", as(owner))).status, 400)
            assert.strictEqual((yield* call("GET", "/v1/resources?color=red", as(owner))).status, 400)
          })
        )

        it.effect("a resource names live tags and a site of its own org, or the write is a 400", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const stranger = yield* registerOwner()
            const theirSite = yield* createSite(stranger)
            const unknownTag = yield* call("POST", "/v1/resources", {
              ...as(owner),
              body: { name: "Kit", type: "camera", tags: ["nope"] }
            })
            assert.strictEqual(unknownTag.status, 400)
            assert.deepStrictEqual(
              body<{ errors: ReadonlyArray<{ path: ReadonlyArray<unknown> }> }>(unknownTag).errors[0]?.path,
              ["body", "tags", 0]
            )
            const foreignSite = yield* call("POST", "/v1/resources", {
              ...as(owner),
              body: { name: "Kit", type: "camera", siteId: theirSite.id }
            })
            assert.strictEqual(foreignSite.status, 400)
            const serverOwned = yield* call("POST", "/v1/resources", {
              ...as(owner),
              body: { name: "Kit", type: "camera", version: 9 }
            })
            assert.strictEqual(serverOwned.status, 400)
            // A deleted tag drops off its resources; renaming one renames it everywhere.
            const tag = yield* createTag(owner, "Temp")
            const kept = yield* createTag(owner, "Keep")
            const resource = yield* createResource(owner, { tags: ["temp", "keep"] })
            yield* call("PATCH", `/v1/tags/${kept.id}`, {
              ...as(owner, { "if-match": '"1"' }),
              body: { name: "Kept" }
            })
            assert.strictEqual((yield* call("DELETE", `/v1/tags/${tag.id}`, as(owner))).status, 204)
            const read = yield* call("GET", `/v1/resources/${resource.id}`, as(owner))
            assert.deepStrictEqual(body<Record>(read).tags, ["Kept"])
          })
        )

        it.effect("units live under a resource: listed and created there, 404 once it is deleted", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const member = yield* addMember(owner, "member")
            const resource = yield* createResource(owner)
            const unit = yield* createUnit(owner, resource.id, { condition: "NEW" })
            yield* createUnit(owner, resource.id, { status: "MAINTENANCE" })
            const all = yield* call("GET", `/v1/resources/${resource.id}/units`, as(member))
            assert.strictEqual(body<Page>(all).items.length, 2)
            const available = yield* call(
              "GET",
              `/v1/resources/${resource.id}/units?status=AVAILABLE`,
              as(member)
            )
            assert.deepStrictEqual(
              body<Page>(available).items.map((item) => item.id),
              [unit.id]
            )
            const patched = yield* call("PATCH", `/v1/units/${unit.id}`, {
              ...as(owner, { "if-match": '"1"' }),
              body: { condition: "DAMAGED", status: "MAINTENANCE" }
            })
            assert.strictEqual(patched.status, 200)
            assert.deepStrictEqual(yield* eventsOf(owner, unit.id), ["CREATE", "STATUS_CHANGE"])
            yield* call("DELETE", `/v1/resources/${resource.id}`, as(owner))
            assert.strictEqual(
              (yield* call("GET", `/v1/resources/${resource.id}/units`, as(member))).status,
              404
            )
            const orphan = yield* call("POST", `/v1/resources/${resource.id}/units`, {
              ...as(owner),
              body: { barcode: "ORPHAN-1" }
            })
            assert.strictEqual(orphan.status, 404)
          })
        )

        it.effect(
          "stock never goes negative: 20 parallel takes of one piece from 10 leave 0 and ten 409s",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const part = yield* createPart(owner, { quantityOnHand: 10, reorderLevel: 2 })
              const answers = yield* Effect.forEach(
                Array.from({ length: 20 }, (_, index) => index),
                (index) =>
                  call("POST", `/v1/parts/${part.id}/adjust`, {
                    ...as(owner),
                    body: { delta: -1, reason: `job ${index}` }
                  }),
                { concurrency: "unbounded" }
              )
              const statuses = answers.map((answer) => answer.status)
              assert.strictEqual(statuses.filter((status) => status === 200).length, 10)
              assert.strictEqual(statuses.filter((status) => status === 409).length, 10)
              const refused = answers.find((answer) => answer.status === 409)!
              assert.strictEqual(body<{ code: string }>(refused).code, "insufficient_stock")
              const after = body<Record>(yield* call("GET", `/v1/parts/${part.id}`, as(owner)))
              assert.strictEqual(after.quantityOnHand, 0)
              const low = yield* call("GET", "/v1/parts?lowStock=true", as(owner))
              assert.deepStrictEqual(
                body<Page>(low).items.map((item) => item.id),
                [part.id]
              )
              const sql = yield* SqlClient.SqlClient
              const [row] = yield* Effect.orDie(
                sql<{ quantity_on_hand: number }>`SELECT quantity_on_hand FROM parts WHERE id = ${part.id}`
              )
              assert.strictEqual(row?.quantity_on_hand, 0)
              const events = yield* eventsOf(owner, part.id)
              assert.strictEqual(events.filter((action) => action === "UPDATE").length, 10)
              const zero = yield* call("POST", `/v1/parts/${part.id}/adjust`, {
                ...as(owner),
                body: { delta: 0, reason: "nothing" }
              })
              assert.strictEqual(zero.status, 400)
              const stock = yield* call("PATCH", `/v1/parts/${part.id}`, {
                ...as(owner, { "if-match": `"${after.version}"` }),
                body: { quantityOnHand: 99 }
              })
              assert.strictEqual(stock.status, 400)
              // Nor above its ceiling: a 400 naming the delta, not a failure on the way out.
              const full = yield* createPart(owner, { quantityOnHand: 1_000_000_000 })
              const over = yield* call("POST", `/v1/parts/${full.id}/adjust`, {
                ...as(owner),
                body: { delta: 1, reason: "one more" }
              })
              assert.strictEqual(over.status, 400)
              assert.deepStrictEqual(
                body<{ errors: ReadonlyArray<{ path: ReadonlyArray<string> }> }>(over).errors[0]?.path,
                ["body", "delta"]
              )
            })
        )

        it.effect("members read inventory but cannot change it", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const member = yield* addMember(owner, "member")
            const part = yield* createPart(owner)
            assert.strictEqual((yield* call("GET", `/v1/parts/${part.id}`, as(member))).status, 200)
            const write = yield* call("POST", `/v1/parts/${part.id}/adjust`, {
              ...as(member),
              body: { delta: 5, reason: "restock" }
            })
            assert.strictEqual(write.status, 403)
            const site = yield* call("POST", "/v1/sites", { ...as(member), body: { name: "Mine" } })
            assert.strictEqual(site.status, 403)
          })
        )
      }
    )
  })
}
