/**
 * API keys and the change feed through the SDK against a live server: an owner makes a key, a
 * machine client built with `apiKey` (no login, no org id) writes and syncs the change feed with
 * `for await`, and stops at the key's revocation.
 */
import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { createClient } from "../src/index.ts"
import { apiKeys, changes, connect, tags } from "../src/lite.ts"
import { owner, refusal, scenario } from "./fixtures/Live.ts"

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the SDK with an API key against a live server",
  (it) => {
    it.effect("a machine client syncs the change feed with for await, until its key is revoked", () =>
      scenario(async (url) => {
        const rota = await owner(url, "keys")
        const made = await rota.apiKeys.create({
          payload: { name: "Sync job", scopes: ["inventory.read", "inventory.write", "changes.read"] }
        })
        assert.match(made.key, /^rota_live_/)
        const machine = createClient({ baseUrl: url, apiKey: made.key })

        // Everything so far, page by page.
        let since: string | undefined
        for await (const change of machine.changes.list({ query: { limit: 2 } })) since = change.cursor
        assert.isDefined(since)

        const created: Array<string> = []
        for (const name of ["north", "south", "east"]) {
          created.push((await machine.tags.create({ headers: {}, payload: { name } })).id)
        }
        const seen: Array<[string, string | null]> = []
        for await (const change of machine.changes.list({ query: { since: since!, limit: 2 } }))
          seen.push([change.topic, change.entityId])
        assert.deepStrictEqual(
          seen,
          created.map((id) => ["tag.created", id])
        )

        // The light client takes the key too.
        const lite = connect({ baseUrl: url, apiKey: made.key })
        const listed = await tags(lite).list({ query: {} })
        assert.sameMembers(
          listed.items.map((tag) => tag.id),
          created
        )
        const forbidden = await refusal(apiKeys(lite).list({ query: {} }))
        assert.strictEqual(forbidden.status, 403)

        const revoked = await rota.apiKeys.revoke({ params: { id: made.apiKey.id } })
        assert.isNotNull(revoked.revokedAt)
        const refused = await refusal(machine.tags.list({ query: {} }))
        assert.deepStrictEqual([refused.status, refused.code], [401, "unauthenticated"])
        const liteRefused = await refusal(changes(lite).list({ query: {} }))
        assert.strictEqual(liteRefused.status, 401)
        await machine.dispose()
      })
    )
  }
)
