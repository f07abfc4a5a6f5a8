import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { type Answer, body, call, registerOwner } from "./fixtures/Http.ts"
import { createTag } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

interface ListBody {
  readonly items: ReadonlyArray<{ readonly id: string }>
  readonly nextCursor: string | null
  readonly hasMore: boolean
  readonly page?: number
  readonly size?: number
}

const ids = (answer: Answer) => body<ListBody>(answer).items.map((item) => item.id)

for (const store of Stores.stores()) {
  describe(`page/size beside keyset (${store.name})`, () => {
    layer(TestServer.layer(store.layer), { timeout: 60_000, excludeTestServices: true })("", (it) => {
      it.effect("a numbered page is the same rows as the keyset walk, and its cursor continues it", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner("pages")
          for (let i = 0; i < 5; i++) yield* createTag(owner, `tag-${i}`)
          const list = (query: string) =>
            call("GET", `/v1/tags?${query}`, { token: owner.token, orgId: owner.orgId })

          const all = ids(yield* list("limit=100&sort=name"))
          assert.strictEqual(all.length, 5)

          const second = yield* list("page=2&size=2&sort=name")
          assert.strictEqual(second.status, 200, second.text)
          assert.deepStrictEqual(ids(second), all.slice(2, 4))
          assert.include(body<ListBody>(second), { hasMore: true, page: 2, size: 2 })

          const next = yield* list(`limit=2&sort=name&cursor=${body<ListBody>(second).nextCursor}`)
          assert.deepStrictEqual(ids(next), all.slice(4))

          const last = yield* list("page=3&size=2&sort=name")
          assert.deepStrictEqual(ids(last), all.slice(4))
          assert.include(body<ListBody>(last), { hasMore: false, nextCursor: null })

          const beyond = yield* list("page=9&size=2&sort=name")
          assert.deepStrictEqual(ids(beyond), [])
          assert.isFalse(body<ListBody>(beyond).hasMore)

          // `size` alone is page 1; the keyset answer says `hasMore` too.
          assert.deepStrictEqual(ids(yield* list("size=3&sort=name")), all.slice(0, 3))
          assert.include(body<ListBody>(yield* list("limit=3&sort=name")), { hasMore: true })
        })
      )

      it.effect(
        "refuses mixing with cursor/limit, deep pages and bad numbers with a 400 naming the parameter",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("pages")
            const refused = (query: string, parameter: string) =>
              Effect.gen(function* () {
                const answer = yield* call("GET", `/v1/tags?${query}`, {
                  token: owner.token,
                  orgId: owner.orgId
                })
                assert.strictEqual(answer.status, 400, `${query}: ${answer.text}`)
                const problem = body<{
                  code: string
                  errors: ReadonlyArray<{ path: ReadonlyArray<string> }>
                }>(answer)
                assert.strictEqual(problem.code, "validation_failed")
                assert.deepStrictEqual(problem.errors[0]?.path, ["query", parameter], query)
              })
            yield* refused("page=2&limit=10", "limit")
            yield* refused("page=1&cursor=abc", "cursor")
            yield* refused("page=11&size=100", "page")
            yield* refused("size=0", "size")
            yield* refused("size=101", "size")
            yield* refused("page=0", "page")
            yield* refused("page=two", "page")
          })
      )

      it.effect(
        "bookings, interventions, clients, technicians, resources, sites and parts take page/size",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("pages")
            for (const path of [
              "/v1/bookings",
              "/v1/interventions",
              "/v1/clients",
              "/v1/technicians",
              "/v1/resources",
              "/v1/sites",
              "/v1/parts"
            ]) {
              const answer = yield* call("GET", `${path}?page=1&size=5`, {
                token: owner.token,
                orgId: owner.orgId
              })
              assert.strictEqual(answer.status, 200, `${path}: ${answer.text}`)
              assert.include(body<ListBody>(answer), { hasMore: false, page: 1, size: 5 }, path)
            }
          })
      )
    })
  })
}
