import { execFile } from "node:child_process"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { promisify } from "node:util"
import { assert, describe, it, layer } from "@effect/vitest"
import { Context, Effect } from "effect"
import { HttpApi, OpenApi } from "effect/http-api"
import { Api } from "../src/api/Api.ts"
import { TestServer } from "../src/testing.ts"
import { registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
const packageDir = dirname(here)
const outsideTool = join(here, "outside-tool")
const bin = (pkg: string, path: string) => join(dirname(require.resolve(`${pkg}/package.json`)), path)
// Tools run offline: no telemetry, no update check.
const toolEnv = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" }

const document = OpenApi.fromApi(Api)

interface OutsideClient {
  readonly loginAndListBookings: (
    baseUrl: string,
    login: string,
    password: string,
    orgId: string
  ) => Promise<{ tokenType: string; bookings: number; hasMore: boolean; badLimitStatus: number }>
}

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item as Record<string, { operationId?: string; summary?: string }>).map(
    ([method, operation]) => ({ path, method, ...operation })
  )
)

describe("the API definition", () => {
  it("gives every endpoint a summary", () => {
    // Read from the definition itself, so an endpoint excluded or renamed in the document still counts.
    const missing: Array<string> = []
    HttpApi.reflect(Api, {
      onGroup: () => {},
      onEndpoint: ({ group, endpoint }) => {
        const summary = Context.getOption(endpoint.annotations, OpenApi.Summary)
        if (summary._tag === "None" || summary.value.trim().length === 0) {
          missing.push(`${group.identifier}.${endpoint.name} (${endpoint.method} ${endpoint.path})`)
        }
      }
    })
    assert.deepStrictEqual(missing, [], 'annotate each with .annotate(OpenApi.Summary, "...")')
    assert.isAbove(operations.length, 100)
    assert.isTrue(operations.every((operation) => (operation.summary ?? "").length > 0))
  })

  it("names each operation group.endpoint, once", () => {
    const ids = operations.map((operation) => operation.operationId)
    assert.strictEqual(new Set(ids).size, ids.length)
    for (const id of ids) assert.match(id ?? "", /^([a-zA-Z]+\.)?[a-zA-Z]+$/)
    assert.include(ids, "bookings.list")
    assert.include(ids, "auth.token")
  })

  it("types numeric and boolean query parameters as such", () => {
    const parameters = (path: string) =>
      (document.paths[path]?.get?.parameters ?? []) as unknown as ReadonlyArray<Record<string, unknown>>
    const bookings = parameters("/v1/bookings")
    assert.deepInclude(bookings, {
      name: "limit",
      in: "query",
      schema: { type: "integer", minimum: 1, maximum: 100 },
      required: false
    })
    assert.deepInclude(bookings, {
      name: "page",
      in: "query",
      schema: { type: "integer", minimum: 1, maximum: 1000 },
      required: false
    })
    assert.deepInclude(parameters("/v1/parts"), {
      name: "lowStock",
      in: "query",
      schema: { type: "boolean" },
      required: false
    })
  })

  it("declares a server, the bearer JWT and the OAuth2 password flow", () => {
    assert.deepStrictEqual(
      document.servers?.map((server) => server.url),
      ["/"]
    )
    const schemes = document.components.securitySchemes as unknown as Record<string, Record<string, unknown>>
    assert.deepInclude(schemes.bearer, { type: "http", bearerFormat: "JWT" })
    assert.deepStrictEqual(schemes.oauth2?.flows, { password: { tokenUrl: "/v1/auth/token", scopes: {} } })
    const list = document.paths["/v1/bookings"]?.get
    assert.deepStrictEqual(list?.security, [{ bearer: [] }, { oauth2: [] }])
    const token = document.paths["/v1/auth/token"]?.post
    assert.property(token?.requestBody?.content, "application/x-www-form-urlencoded")
  })

  it("passes redocly lint with 0 errors", { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "rota-openapi-"))
    try {
      const file = join(dir, "openapi.json")
      await writeFile(file, JSON.stringify(document))
      const { stdout } = await run(
        process.execPath,
        [
          bin("@redocly/cli", "bin/cli.js"),
          "lint",
          file,
          "--format=json",
          `--config=${join(packageDir, "redocly.yaml")}`
        ],
        { env: toolEnv, maxBuffer: 64 * 1024 * 1024 }
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }))
      const report = JSON.parse(stdout) as {
        totals: { errors: number }
        problems: ReadonlyArray<{ ruleId: string; severity: string; message: string }>
      }
      const errors = report.problems.filter((problem) => problem.severity === "error")
      assert.deepStrictEqual(errors, [])
      assert.strictEqual(report.totals.errors, 0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

// The outside-tool check: openapi-typescript generates types from the document, tsc compiles an
// openapi-fetch client against them, and the same client then runs against a live server.
describe("an openapi-fetch client generated from the document", () => {
  it("compiles against the generated types", { timeout: 180_000 }, async () => {
    const generated = join(outsideTool, "generated")
    await mkdir(generated, { recursive: true })
    const source = join(generated, "openapi.json")
    await writeFile(source, JSON.stringify(document))
    await run(
      process.execPath,
      [bin("openapi-typescript", "bin/cli.js"), source, "--output", join(generated, "rota-api.ts")],
      { env: toolEnv }
    )
    const compiled = await run(
      process.execPath,
      [bin("typescript", "bin/tsc"), "-p", join(outsideTool, "tsconfig.json")],
      { env: toolEnv }
    ).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? "tsc failed"
    )
    assert.strictEqual(compiled, "")
  })

  layer(TestServer.layer(Stores.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
    "against a live server",
    (it) => {
      it.effect("logs in with the OAuth2 password grant and lists bookings with a numeric limit", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner("tool")
          const { url } = yield* TestServer.TestServer
          // Imported by path: the package's own type check must not follow it into generated types.
          const client: OutsideClient = yield* Effect.promise(
            () => import(pathToFileURL(join(outsideTool, "client.ts")).href)
          )
          const outcome = yield* Effect.promise(() =>
            client.loginAndListBookings(url, owner.username, owner.password, owner.orgId)
          )
          assert.deepStrictEqual(outcome, {
            tokenType: "Bearer",
            bookings: 0,
            hasMore: false,
            badLimitStatus: 400
          })
        })
      )
    }
  )
})
