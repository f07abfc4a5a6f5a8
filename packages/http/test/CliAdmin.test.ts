/**
 * The operator's commands on a store a server has used: rotating the token signing key without
 * signing anyone out, verifying the audit trail's hash chain (and catching a row changed behind
 * the triggers' back), and moving an organisation to a fresh database with export / import.
 * Each command is its own process, as an operator runs it; one store is shared to keep it lean.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as jose from "jose"
import { cleanUp, freshStore, rota, type Store } from "./fixtures/Cli.ts"
import { start, stop } from "./fixtures/ServerProcess.ts"

afterAll(cleanUp)

const password = "Operator-Secret-42"
const quiet = {
  ROTA_DEMO_DATA: "false",
  ROTA_JOBS: "false",
  ROTA_RATE_LIMIT_AUTH: "0",
  ROTA_RATE_LIMIT_API: "0",
  ROTA_RATE_LIMIT_PUBLIC: "0"
}

/** Runs `steps` against a server on `store`, then stops it. */
const withServer = async <A>(store: Store, steps: (url: string) => Promise<A>): Promise<A> => {
  const server = start({ ...quiet, ...store.env })
  try {
    const result = await steps(await server.listening)
    stop(server.child)
    assert.strictEqual(await server.exited, 0)
    return result
  } finally {
    server.child.kill("SIGKILL")
  }
}

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body)
  })

const login = async (url: string) => {
  const answer = await post(url, "/v1/auth/login", { login: "operator", password })
  assert.strictEqual(answer.status, 200)
  return ((await answer.json()) as { accessToken: string }).accessToken
}

describe("rota operator commands", () => {
  it("rotate-signing-key, verify-audit, export and import", async () => {
    const store = await freshStore()
    const before = await withServer(store, async (url) => {
      const registered = await post(url, "/v1/auth/register", {
        email: "operator@example.test",
        username: "operator",
        password,
        fullName: "The Operator",
        orgName: "Exported Org"
      })
      assert.strictEqual(registered.status, 201)
      const { accessToken, org } = (await registered.json()) as { accessToken: string; org: { id: string } }
      const headers = { authorization: `Bearer ${accessToken}`, "x-org-id": org.id }
      for (const name of ["North yard", "South yard"])
        assert.strictEqual((await post(url, "/v1/sites", { name }, headers)).status, 201)
      return { token: accessToken, orgId: org.id }
    })

    // Rotation: the token signed before keeps working; a new sign-in is signed with the new key.
    const rotated = await rota(store, ["rotate-signing-key"])
    assert.strictEqual(rotated.code, 0, rotated.stderr)
    const kid = /new signing key (\S+):/.exec(rotated.stdout)?.[1]
    assert.isDefined(kid)
    const sites = await withServer(store, async (url) => {
      const me = await fetch(`${url}/v1/auth/me`, { headers: { authorization: `Bearer ${before.token}` } })
      assert.strictEqual(me.status, 200)
      const fresh = await login(url)
      assert.strictEqual(jose.decodeProtectedHeader(fresh).kid, kid)
      assert.notStrictEqual(jose.decodeProtectedHeader(before.token).kid, kid)
      const listed = await fetch(`${url}/v1/sites`, {
        headers: { authorization: `Bearer ${fresh}`, "x-org-id": before.orgId }
      })
      return ((await listed.json()) as { items: Array<{ id: string; name: string }> }).items
    })
    assert.strictEqual(sites.length, 2)

    // The audit trail of a clean database verifies.
    const verified = await rota(store, ["verify-audit"])
    assert.strictEqual(verified.code, 0, verified.stderr)
    assert.match(verified.stdout, new RegExp(`org ${before.orgId}: \\d+ audit events, hash chain intact`))

    // Export, then import into a fresh database: the same records, the same ids, the same login.
    const file = join(store.env.ROTA_DATA_DIR!, "org.jsonl")
    const exported = await rota(store, ["export", "--org", before.orgId, "--out", file])
    assert.strictEqual(exported.code, 0, exported.stderr)
    const lines = readFileSync(file, "utf8").trim().split("\n")
    const header = JSON.parse(lines[0]!) as { format: string; version: number; orgId: string }
    assert.deepStrictEqual(
      [header.format, header.version, header.orgId],
      ["rota-org-export", 1, before.orgId]
    )
    const records = lines
      .slice(1)
      .map((line) => JSON.parse(line) as { table: string; row: Record<string, unknown> })
    const count = (table: string) => records.filter((record) => record.table === table).length
    assert.strictEqual(count("sites"), 2)
    assert.strictEqual(count("accounts"), 1)
    assert.isAbove(count("audit_events"), 2)
    assert.notInclude(readFileSync(file, "utf8"), password)

    const target = await freshStore()
    const imported = await rota(target, ["import", "--in", file])
    assert.strictEqual(imported.code, 0, imported.stderr)
    assert.include(imported.stdout, `imported ${records.length} records`)
    const again = await rota(target, ["import"], {}, readFileSync(file, "utf8"))
    assert.strictEqual(again.code, 1)
    assert.include(again.stderr, "already exists")
    await withServer(target, async (url) => {
      const token = await login(url)
      const listed = await fetch(`${url}/v1/sites`, {
        headers: { authorization: `Bearer ${token}`, "x-org-id": before.orgId }
      })
      const items = ((await listed.json()) as { items: Array<{ id: string; name: string }> }).items
      assert.deepStrictEqual(
        items.map((site) => [site.id, site.name]).sort(),
        sites.map((site) => [site.id, site.name]).sort()
      )
    })
    const copied = await rota(target, ["verify-audit", "--org", before.orgId])
    assert.strictEqual(copied.code, 0, copied.stderr)

    // A row changed behind the append-only triggers' back breaks the chain at that event.
    const [event] = await store.query(
      `SELECT id FROM audit_events WHERE entity_type = 'site' ORDER BY at LIMIT 1`
    )
    await store.query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete")
    await store.query(`UPDATE audit_events SET after = '{"name":"Forged"}' WHERE id = '${String(event!.id)}'`)
    const tampered = await rota(store, ["verify-audit"])
    assert.strictEqual(tampered.code, 1)
    assert.include(tampered.stderr, String(event!.id))
    assert.strictEqual(tampered.stderr.trim().split("\n").length, 1)
  }, 1_500_000)

  // On PostgreSQL the server loads no demo data by default; the command must load it anyway.
  it("seed-demo loads the demo organisations on the store the environment names", async () => {
    const store = await freshStore()
    const seeded = await rota(store, ["seed-demo"])
    assert.strictEqual(seeded.code, 0, seeded.stderr)
    assert.include(seeded.stdout, "sign in as owner1")
    const [{ owners }] = (await store.query(
      "SELECT count(*)::int AS owners FROM accounts WHERE username = 'owner1'"
    )) as [{ owners: number }]
    assert.strictEqual(owners, 1)
  }, 240_000)
})
