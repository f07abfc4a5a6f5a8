/**
 * The Postman collection the build writes: one request per API operation, bearer auth with the
 * `{{accessToken}}` variable on the collection, and a "Sign in" request that stores the token.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { OpenApi } from "effect/http-api"
import { Api } from "../src/api/Api.ts"

const script = fileURLToPath(new URL("../scripts/postman.ts", import.meta.url))
const dir = mkdtempSync(join(tmpdir(), "rota-postman-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Item {
  readonly name: string
  readonly item?: ReadonlyArray<Item>
  readonly request?: {
    readonly method: string
    readonly url: { readonly path: ReadonlyArray<string> }
    readonly auth?: { readonly type: string }
  }
  readonly event?: ReadonlyArray<{
    readonly listen: string
    readonly script: { readonly exec: ReadonlyArray<string> }
  }>
}
const requests = (items: ReadonlyArray<Item>): ReadonlyArray<Item> =>
  items.flatMap((item) => (item.item !== undefined ? requests(item.item) : [item]))

describe("Postman collection", () => {
  it("has every operation once, bearer {{accessToken}} auth and a sign-in that stores the token", async () => {
    const file = join(dir, "rota.postman_collection.json")
    await promisify(execFile)(process.execPath, ["--conditions=@rota/source", script, file])
    const collection = JSON.parse(readFileSync(file, "utf8")) as {
      item: ReadonlyArray<Item>
      auth: { type: string; bearer: ReadonlyArray<{ key: string; value: string }> }
      variable: ReadonlyArray<{ key: string }>
    }
    const operations = Object.entries(OpenApi.fromApi(Api).paths).flatMap(([path, item]) =>
      Object.keys(item as object).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`
      )
    )
    const all = requests(collection.item)
    const listed = all.map((item) => `${item.request!.method} /${item.request!.url.path.join("/")}`)
    assert.deepStrictEqual([...listed].sort(), [...operations].sort())

    assert.strictEqual(collection.auth.type, "bearer")
    assert.deepStrictEqual(
      collection.auth.bearer.map(({ key, value }) => [key, value]),
      [["token", "{{accessToken}}"]]
    )
    assert.includeMembers(
      collection.variable.map((variable) => variable.key),
      ["baseUrl", "accessToken"]
    )
    const signIn = all.find((item) => item.name === "Sign in")!
    assert.strictEqual(signIn.request!.auth?.type, "noauth")
    assert.match(signIn.event![0]!.script.exec.join("\n"), /collectionVariables\.set\("accessToken"/)
    const others = all.filter((item) => !item.request!.url.path.includes("auth"))
    for (const item of others) assert.isUndefined(item.request!.auth, item.name)
  }, 120_000)
})
