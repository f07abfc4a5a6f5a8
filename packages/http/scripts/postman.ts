/**
 * Writes the Postman collection of the API, converted from its OpenAPI document by
 * openapi-to-postmanv2, with the sign-in flow filled in: `{{baseUrl}}` and `{{accessToken}}`
 * collection variables, bearer auth on the whole collection, and a "Sign in" request whose test
 * script stores the access token, and `{{orgId}}` sent as `X-Org-Id` when set. Usage: `node scripts/postman.ts [output file]`.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { OpenApi } from "effect/http-api"
import { convertV2 } from "openapi-to-postmanv2"
import { Api } from "../src/api/Api.ts"

interface Item {
  name?: string
  item?: Array<Item>
  request?: {
    method?: string
    url?: { path?: Array<string> } | string
    auth?: unknown
    body?: { raw?: string }
  }
  event?: Array<unknown>
}

const output =
  process.argv[2] ?? fileURLToPath(new URL("../dist/rota.postman_collection.json", import.meta.url))

const converted = await new Promise<{ item: Array<Item>; [key: string]: unknown }>((resolve, reject) =>
  convertV2(
    { type: "json", data: OpenApi.fromApi(Api) as never },
    { folderStrategy: "Tags", parametersResolution: "Example" },
    (error, result) =>
      error !== null && error !== undefined
        ? reject(error)
        : result.result
          ? resolve(result.output[0]!.data as never)
          : reject(new Error(result.reason))
  )
)

const requests = (items: Array<Item>): Array<Item> =>
  items.flatMap((item) => (item.item !== undefined ? requests(item.item) : [item]))
const pathOf = (item: Item) =>
  typeof item.request?.url === "string" ? item.request.url : `/${(item.request?.url?.path ?? []).join("/")}`

const open = new Set(["/v1/auth/login", "/v1/auth/register", "/v1/auth/token", "/v1/auth/refresh"])
for (const item of requests(converted.item)) {
  // Every request inherits the collection's bearer auth, except those that obtain a token.
  item.request!.auth = open.has(pathOf(item)) ? { type: "noauth" } : undefined
  if (item.request?.method === "POST" && pathOf(item) === "/v1/auth/login") {
    item.name = "Sign in"
    item.request.body = {
      ...item.request.body,
      raw: '{\n  "login": "{{login}}",\n  "password": "{{password}}"\n}'
    }
    item.event = [
      {
        listen: "test",
        script: {
          type: "text/javascript",
          exec: [
            "// Stores the access token: every other request sends it as its bearer token.",
            'pm.collectionVariables.set("accessToken", pm.response.json().accessToken)'
          ]
        }
      }
    ]
  }
}

const collection = {
  ...converted,
  // The org a request acts in travels in a header the OpenAPI document leaves to the caller.
  event: [
    {
      listen: "prerequest",
      script: {
        type: "text/javascript",
        exec: [
          'const orgId = pm.collectionVariables.get("orgId")',
          'if (orgId) pm.request.headers.upsert({ key: "X-Org-Id", value: orgId })'
        ]
      }
    }
  ],
  auth: { type: "bearer", bearer: [{ key: "token", value: "{{accessToken}}", type: "string" }] },
  variable: [
    { key: "baseUrl", value: "http://localhost:3000", type: "string" },
    { key: "login", value: "owner1", type: "string" },
    { key: "password", value: "", type: "string" },
    { key: "accessToken", value: "", type: "string" },
    { key: "orgId", value: "", type: "string" }
  ]
}
mkdirSync(dirname(output), { recursive: true })
writeFileSync(output, `${JSON.stringify(collection, null, 2)}\n`)
process.stdout.write(`${requests(collection.item).length} requests written to ${output}\n`)
