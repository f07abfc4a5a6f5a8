import { existsSync } from "node:fs"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { createServer, request } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { createClient } from "@rota/sdk-client"
import { TestDatabase } from "@rota/storage-pg/testing"
import Sparticuz from "@sparticuz/chromium"
import { Context, Effect, Layer } from "effect"
import { build } from "esbuild"
import { type Browser, chromium } from "playwright-core"

const example = fileURLToPath(new URL("..", import.meta.url))

// The example page, bundled from its sources the way an app would bundle it.
const bundled = Effect.acquireRelease(
  Effect.promise(async () => {
    const dir = await mkdtemp(join(tmpdir(), "rota-web-"))
    await build({
      entryPoints: [join(example, "src/main.ts")],
      outfile: join(dir, "app.js"),
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["@rota/source"],
      logLevel: "silent"
    })
    return {
      dir,
      html: await readFile(join(example, "public/index.html")),
      js: await readFile(join(dir, "app.js"))
    }
  }),
  ({ dir }) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/**
 * The page's own origin: serves the page, and passes every other path to the API once told where
 * it is, so the page can also call the API on its own origin.
 */
class Site extends Context.Service<
  Site,
  { readonly origin: string; readonly proxyTo: (api: string) => void }
>()("test/Site") {}

const SiteLive = Layer.effect(
  Site,
  Effect.gen(function* () {
    const page = yield* bundled
    let api: URL | undefined
    const server = createServer((incoming, outgoing) => {
      if (incoming.url === "/" || incoming.url === "/app.js") {
        const html = incoming.url === "/"
        outgoing.writeHead(200, { "content-type": html ? "text/html" : "text/javascript" })
        outgoing.end(html ? page.html : page.js)
        return
      }
      if (api === undefined) {
        outgoing.writeHead(404).end()
        return
      }
      const upstream = request(
        new URL(incoming.url ?? "/", api),
        { method: incoming.method, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(outgoing)
        }
      )
      upstream.on("error", () => outgoing.writeHead(502).end())
      incoming.pipe(upstream)
    })
    yield* Effect.acquireRelease(
      Effect.callback<void>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.callback<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const { port } = server.address() as AddressInfo
    return {
      origin: `http://127.0.0.1:${port}`,
      proxyTo: (url: string) => {
        api = new URL(url)
      }
    }
  })
)

// The flags Chromium needs on a machine with no outside network.
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/**
 * The first Chromium that starts: `$CHROMIUM_PATH` when set, the binary shipped in the
 * `@sparticuz/chromium` package, then a system Chromium. When none starts, the test fails and
 * says what was tried.
 */
class Chromium extends Context.Service<Chromium, Browser>()("test/Chromium") {}

const ChromiumLive = Layer.effect(
  Chromium,
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const candidates: Array<readonly [string, () => Promise<string>]> = [
          ...(process.env.CHROMIUM_PATH === undefined
            ? []
            : [["$CHROMIUM_PATH", async () => process.env.CHROMIUM_PATH!] as const]),
          ["@sparticuz/chromium", () => Sparticuz.executablePath()],
          [
            "/usr/bin/chromium",
            async () => {
              if (!existsSync("/usr/bin/chromium")) throw new Error("not installed")
              return "/usr/bin/chromium"
            }
          ]
        ]
        const tried: Array<string> = []
        for (const [name, path] of candidates) {
          try {
            // Playwright starts each launch on a new empty profile of its own.
            return await chromium.launch({ executablePath: await path(), args: flags })
          } catch (error) {
            tried.push(`${name}: ${String(error).split("\n")[0]}`)
          }
        }
        throw new Error(`No Chromium could be started for the browser test. Tried:\n${tried.join("\n")}`)
      },
      catch: (error) => error
    }),
    (browser) => Effect.promise(() => browser.close())
  )
)

// The API allows the page's origin, as a deployment would list it in ROTA_CORS_ORIGINS.
const ApiLive = Layer.unwrap(
  Effect.map(Effect.service(Site), ({ origin }) =>
    TestServer.layer(TestDatabase.stores()[0]!.layer, { corsOrigins: [origin] })
  )
)

const unique = () => Math.random().toString(36).slice(2, 8)

// An owner with one camera kit to book, set up the way an admin would, outside the page.
const seed = (api: string) =>
  Effect.promise(async () => {
    const rota = createClient({ baseUrl: api })
    const name = `web${unique()}`
    const password = "Web-Page-Pass-1"
    const registered = await rota.auth.register({
      payload: {
        email: `${name}@example.test`,
        username: name,
        password,
        fullName: "Web User",
        orgName: `Org ${name}`
      }
    })
    rota.session.orgId = registered.org.id
    const resource = await rota.resources.create({
      headers: {},
      payload: { name: "Camera kit", type: "camera" }
    })
    await rota.resources.createUnit({
      params: { id: resource.id },
      headers: {},
      payload: { barcode: `WEB-${unique()}` }
    })
    await rota.dispose()
    return { login: name, password }
  })

// Opens the page in a new browser profile, signs in through its form and reads each step's result.
const signInThroughThePage = (api: string | undefined, account: { login: string; password: string }) =>
  Effect.gen(function* () {
    const browser = yield* Chromium
    const { origin } = yield* Site
    return yield* Effect.promise(async () => {
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        // Generous: the machine running the suite may be busy; nothing here measures speed.
        page.setDefaultTimeout(50_000)
        const pageErrors: Array<string> = []
        page.on("pageerror", (error) => pageErrors.push(String(error)))
        await page.goto(`${origin}/`)
        if (api !== undefined) await page.fill("input[name=api]", api)
        await page.fill("input[name=login]", account.login)
        await page.fill("input[name=password]", account.password)
        await page.click("button[type=submit]")
        await page.waitForSelector("#steps[data-done]")
        const steps = await page.$$eval("#steps li", (lines) =>
          lines.map((line) => [line.dataset.step ?? "", JSON.parse(line.textContent ?? "null")] as const)
        )
        return {
          steps: Object.fromEntries(steps) as Record<string, Record<string, unknown>>,
          cookies: await context.cookies(),
          pageErrors
        }
      } finally {
        await context.close()
      }
    })
  })

const assertTheWholeFlow = (
  result: Effect.Success<ReturnType<typeof signInThroughThePage>>,
  login: string
) => {
  const { steps, cookies, pageErrors } = result
  assert.deepStrictEqual(pageErrors, [])
  assert.isUndefined(steps.failed, JSON.stringify(steps.failed))
  assert.strictEqual(steps.login?.username, login)
  assert.deepStrictEqual(steps.resources, { names: ["Camera kit"] })
  assert.deepStrictEqual(steps.booked, { status: "APPROVED", resource: "Camera kit" })
  assert.strictEqual(steps.conflict?.code, "conflict")
  assert.strictEqual(steps.conflict?.status, 409)
  assert.match(String(steps.conflict?.requestId), /^[0-9a-f-]{36}$/)
  // The problem is typed by its code: a conflict lists what it clashed with.
  assert.isAbove(Number(steps.conflict?.clashes), 0)
  assert.deepStrictEqual(steps.refreshed, { bookings: 1, requestId: true })
  // The refresh token lives in an HttpOnly cookie the page's scripts cannot read.
  const cookie = cookies.find((each) => each.name === "rota_refresh")
  assert.isDefined(cookie)
  assert.isTrue(cookie?.httpOnly)
}

layer(ApiLive.pipe(Layer.provideMerge(Layer.mergeAll(SiteLive, ChromiumLive))), {
  timeout: 120_000,
  excludeTestServices: true
})("the example page in headless Chromium", (it) => {
  it.effect(
    "a page on another origin signs in, lists, books, shows the typed 409 and refreshes from its cookie",
    () =>
      Effect.gen(function* () {
        const { url } = yield* TestServer.TestServer
        const account = yield* seed(url)
        assertTheWholeFlow(yield* signInThroughThePage(url, account), account.login)
      }),
    60_000
  )

  it.effect(
    "a page on the API's own origin does the same without CORS",
    () =>
      Effect.gen(function* () {
        const { url } = yield* TestServer.TestServer
        const site = yield* Site
        site.proxyTo(url)
        const account = yield* seed(url)
        assertTheWholeFlow(yield* signInThroughThePage(undefined, account), account.login)
      }),
    60_000
  )
})
