/**
 * API keys end to end: an owner makes a key with some scopes, shown once; a machine client
 * acts with it (as `Bearer` or `X-Api-Key`) in the key's org with exactly those scopes, audit
 * events name the key; its secret never rests in clear; revoked or expired, it is refused on the
 * next request; another org sees none of it; and keys are rate limited on their own quota.
 */
import { createHash } from "node:crypto"
import { assert, describe, layer } from "@effect/vitest"
import { Pagination } from "@rota/core"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

interface KeyView {
  readonly id: string
  readonly name: string
  readonly scopes: ReadonlyArray<string>
  readonly prefix: string
  readonly createdBy: string
  readonly expiresAt: string | null
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
}

const createKey = (org: Org, fields: { name: string; scopes: ReadonlyArray<string>; expiresAt?: string }) =>
  Effect.gen(function* () {
    const answer = yield* call("POST", "/v1/api-keys", { token: org.token, orgId: org.orgId, body: fields })
    assert.strictEqual(answer.status, 201, answer.text)
    return body<{ apiKey: KeyView; key: string }>(answer)
  })

// A request made with the key alone: no X-Org-Id, the key names its org.
const withKey = (key: string, method: string, path: string, payload?: unknown) =>
  call(method, path, { token: key, ...(payload === undefined ? {} : { body: payload }) })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "API keys",
      (it) => {
        it.effect("a key acts in its org with exactly its scopes, and audit events name it", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("keys")
            const { apiKey, key } = yield* createKey(owner, {
              name: "Inventory sync",
              scopes: ["inventory.read", "inventory.write"]
            })
            assert.match(key, /^rota_live_[0-9a-f]{32}_[\w-]{43}$/)
            assert.isTrue(key.startsWith(`${apiKey.prefix}_`))
            assert.strictEqual(apiKey.prefix, `rota_live_${apiKey.id.replaceAll("-", "")}`)
            assert.deepStrictEqual(apiKey.scopes, ["inventory.read", "inventory.write"])
            assert.strictEqual(apiKey.createdBy, owner.accountId)
            assert.isNull(apiKey.lastUsedAt)

            const site = yield* withKey(key, "POST", "/v1/sites", { name: "Depot by key" })
            assert.strictEqual(site.status, 201, site.text)
            const siteId = body<{ id: string }>(site).id
            const viaHeader = yield* call("GET", `/v1/sites/${siteId}`, { headers: { "x-api-key": key } })
            assert.strictEqual(viaHeader.status, 200, viaHeader.text)

            // The owner may read members; the key was not given that scope.
            const members = yield* withKey(key, "GET", "/v1/members")
            assert.strictEqual(members.status, 403, members.text)
            const keys = yield* withKey(key, "GET", "/v1/api-keys")
            assert.strictEqual(keys.status, 403, keys.text)

            const audit = yield* call("GET", `/v1/audit?entityType=site&entityId=${siteId}`, owner)
            const events = body<{ items: Array<{ actorId: string; action: string }> }>(audit).items
            assert.deepStrictEqual(
              events.map((event) => [event.action, event.actorId]),
              [["CREATE", apiKey.id]]
            )
            const created = yield* call("GET", `/v1/audit?entityType=api_key&entityId=${apiKey.id}`, owner)
            assert.deepStrictEqual(
              body<{ items: Array<{ actorId: string }> }>(created).items.map((event) => event.actorId),
              [owner.accountId]
            )

            const read = yield* call("GET", `/v1/api-keys/${apiKey.id}`, owner)
            assert.isNotNull(body<KeyView>(read).lastUsedAt)
          })
        )

        it.effect("the secret rests only as a hash, and never comes back", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("keyhash")
            const { apiKey, key } = yield* createKey(owner, { name: "CI", scopes: ["inventory.read"] })
            const secret = key.slice(apiKey.prefix.length + 1)
            const sql = yield* SqlClient.SqlClient
            const rows = yield* sql<{ row: string; secret_hash: string }>`
            SELECT row_to_json(k)::text AS row, secret_hash FROM api_keys k WHERE id = ${apiKey.id}`
            assert.notInclude(rows[0]!.row, secret)
            assert.strictEqual(rows[0]!.secret_hash, createHash("sha256").update(secret).digest("hex"))
            const listed = yield* call("GET", "/v1/api-keys", owner)
            assert.notInclude(listed.text, secret)
            assert.notInclude(listed.text, rows[0]!.secret_hash)
            const forged = yield* withKey(`${apiKey.prefix}_${"A".repeat(43)}`, "GET", "/v1/sites")
            assert.strictEqual(forged.status, 401, forged.text)
          })
        )

        it.effect("a revoked or expired key is refused at once", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("keyrevoke")
            const first = yield* createKey(owner, { name: "Old", scopes: ["inventory.read"] })
            assert.strictEqual((yield* withKey(first.key, "GET", "/v1/sites")).status, 200)
            const revoked = yield* call("DELETE", `/v1/api-keys/${first.apiKey.id}`, owner)
            assert.strictEqual(revoked.status, 200, revoked.text)
            assert.isNotNull(body<KeyView>(revoked).revokedAt)
            const after = yield* withKey(first.key, "GET", "/v1/sites")
            assert.strictEqual(after.status, 401, after.text)
            const again = yield* call("DELETE", `/v1/api-keys/${first.apiKey.id}`, owner)
            assert.strictEqual(body<KeyView>(again).revokedAt, body<KeyView>(revoked).revokedAt)

            const second = yield* createKey(owner, {
              name: "Temporary",
              scopes: ["inventory.read"],
              expiresAt: new Date(Date.now() + 3_600_000).toISOString()
            })
            assert.strictEqual((yield* withKey(second.key, "GET", "/v1/sites")).status, 200)
            const sql = yield* SqlClient.SqlClient
            yield* sql`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ${second.apiKey.id}`
            assert.strictEqual((yield* withKey(second.key, "GET", "/v1/sites")).status, 401)

            const past = yield* call("POST", "/v1/api-keys", {
              ...owner,
              body: { name: "Past", scopes: ["inventory.read"], expiresAt: "2020-01-01T00:00:00Z" }
            })
            assert.strictEqual(past.status, 400, past.text)
          })
        )

        it.effect("scopes are the creator's to give, and a key stops when its creator leaves", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("keyscope")
            const manager = yield* addMember(owner, "manager")
            const tooMuch = yield* call("POST", "/v1/api-keys", {
              ...manager,
              body: { name: "Hooks", scopes: ["webhook.manage"] }
            })
            assert.strictEqual(tooMuch.status, 403, tooMuch.text)
            const member = yield* addMember(owner, "member")
            const notAllowed = yield* call("POST", "/v1/api-keys", {
              ...member,
              body: { name: "Mine", scopes: ["inventory.read"] }
            })
            assert.strictEqual(notAllowed.status, 403, notAllowed.text)

            const { key } = yield* createKey(manager, { name: "Manager's", scopes: ["inventory.read"] })
            assert.strictEqual((yield* withKey(key, "GET", "/v1/sites")).status, 200)
            const removed = yield* call("DELETE", `/v1/members/${manager.accountId}`, owner)
            assert.strictEqual(removed.status, 204, removed.text)
            assert.strictEqual((yield* withKey(key, "GET", "/v1/sites")).status, 401)
          })
        )

        it.effect("a key never acts as the person who made it: person routes answer 403", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("keyperson")
            const { key } = yield* createKey(owner, { name: "Sync", scopes: ["org.read"] })
            const refused = [
              yield* withKey(key, "GET", "/v1/auth/me"),
              yield* withKey(key, "GET", "/v1/orgs"),
              yield* withKey(key, "POST", "/v1/orgs", { name: "Made by a key" }),
              yield* withKey(key, "POST", "/v1/auth/password", {
                currentPassword: owner.password,
                newPassword: "a-brand-new-passphrase-2026"
              }),
              yield* withKey(key, "POST", "/v1/auth/logout", {})
            ]
            assert.deepStrictEqual(
              refused.map((answer) => [answer.status, body<{ code: string }>(answer).code]),
              Array.from({ length: 5 }, () => [403, "forbidden"])
            )
            // Nothing happened in the owner's name: one org, the old password, the key still live.
            const orgs = yield* call("GET", "/v1/orgs", { token: owner.token })
            assert.strictEqual(body<{ items: Array<unknown> }>(orgs).items.length, 1)
            const login = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.email, password: owner.password }
            })
            assert.strictEqual(login.status, 200, login.text)
            assert.strictEqual((yield* withKey(key, "GET", "/v1/org")).status, 200)
          })
        )

        it.effect("another org sees none of it", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("keyorg")
            const other = yield* registerOwner("keyother")
            const { apiKey, key } = yield* createKey(owner, { name: "Ours", scopes: ["inventory.read"] })
            const theirs = yield* call("GET", `/v1/api-keys/${apiKey.id}`, other)
            assert.strictEqual(theirs.status, 404, theirs.text)
            const revoke = yield* call("DELETE", `/v1/api-keys/${apiKey.id}`, other)
            assert.strictEqual(revoke.status, 404, revoke.text)
            assert.deepStrictEqual(
              body<{ items: Array<unknown> }>(yield* call("GET", "/v1/api-keys", other)).items,
              []
            )
            const elsewhere = yield* call("GET", "/v1/sites", { token: key, orgId: other.orgId })
            assert.strictEqual(elsewhere.status, 403, elsewhere.text)
          })
        )

        it.effect("the list pages by cursor, oldest first", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("keypage")
            const made: Array<string> = []
            for (const name of ["one", "two", "three"]) {
              made.push((yield* createKey(owner, { name, scopes: ["inventory.read"] })).apiKey.id)
            }
            const first = body<{ items: Array<KeyView>; nextCursor: string | null }>(
              yield* call("GET", "/v1/api-keys?limit=2", owner)
            )
            assert.isNotNull(first.nextCursor)
            const second = body<{ items: Array<KeyView>; nextCursor: string | null }>(
              yield* call("GET", `/v1/api-keys?limit=2&cursor=${first.nextCursor}`, owner)
            )
            assert.isNull(second.nextCursor)
            assert.deepStrictEqual(
              [...first.items, ...second.items].map((key) => key.id),
              made
            )
            const bad = yield* call("GET", "/v1/api-keys?cursor=bogus", owner)
            assert.strictEqual(bad.status, 400, bad.text)
            // A cursor of the form issued before the list paged like the others (0 before the id),
            // and one whose key is not an id, are refused as cursors, never reaching SQL.
            for (const key of [0, "not-a-key"]) {
              const cursor = Pagination.encodeCursor([key, made[1]!])
              const refused = yield* call("GET", `/v1/api-keys?limit=2&cursor=${cursor}`, owner)
              assert.strictEqual(refused.status, 400, refused.text)
              assert.strictEqual(body<{ code: string }>(refused).code, "validation_failed")
            }
          })
        )
      }
    )
  })
}

describe("rate limits", () => {
  layer(TestServer.layer(Stores.stores()[0]!.layer, { rateLimitApi: 3 }), {
    timeout: 120_000,
    excludeTestServices: true
  })("per key", (it) => {
    it.effect("a key has its own quota, apart from its creator's", () =>
      Effect.gen(function* () {
        const owner = yield* registerOwner("keylimit")
        const { key } = yield* createKey(owner, { name: "Busy", scopes: ["inventory.read"] })
        const statuses: Array<number> = []
        for (let i = 0; i < 4; i++) statuses.push((yield* withKey(key, "GET", "/v1/sites")).status)
        assert.deepStrictEqual(statuses, [200, 200, 200, 429])
        const creator = yield* call("GET", "/v1/sites", owner)
        assert.strictEqual(creator.status, 200, creator.text)
      })
    )
  })
})
