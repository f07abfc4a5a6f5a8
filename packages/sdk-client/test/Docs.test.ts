/**
 * The snippets of docs/sdk.md marked "tested", run against a live server. Each snippet is
 * written here as printed there (imports aside), and the first test fails when a snippet in the
 * page and its copy here differ.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assert, describe, it, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect } from "effect"
import { createClient, Ids, isRotaProblem, RotaClient, type RotaError } from "../src/index.ts"
import { auth, bookings, connect, resources } from "../src/lite.ts"
import { owner, scenario, unique } from "./fixtures/Live.ts"

const docs = readFileSync(fileURLToPath(new URL("../../../docs/sdk.md", import.meta.url)), "utf8")
const self = readFileSync(fileURLToPath(import.meta.url), "utf8")

// Imports dropped (this file imports once, at the top), then whitespace and trailing commas: the
// formatter wraps lines of this file and of the page at different widths.
const normalize = (code: string) =>
  code
    .split("\n")
    .filter((line) => !line.trim().startsWith("import "))
    .join("")
    .replace(/\s+/g, "")
    .replace(/,([)\]}])/g, "$1")

const tested = [...docs.matchAll(/<!-- tested -->\n```ts\n([\s\S]*?)```/g)].map((match) => match[1]!)

describe("docs/sdk.md", () => {
  it("prints each tested snippet as this file runs it", () => {
    assert.isAtLeast(tested.length, 7)
    const here = normalize(self)
    for (const snippet of tested) assert.include(here, normalize(snippet), "a snippet of docs/sdk.md changed")
  })
})

const hour = 3_600_000

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the tested snippets of docs/sdk.md",
  (it) => {
    it.effect("each runs against a live server and does what the page says", () =>
      scenario(async (url) => {
        const baseUrl = url
        const rota = await owner(url, "doc")
        const login = (await rota.auth.me()).account.username
        const password = "Live-Test-Pass-1"
        try {
          await rota.members.create({
            headers: {},
            payload: {
              username: `m${unique()}`,
              email: `m${unique()}@example.test`,
              fullName: "Second Member",
              password: "Live-Test-Pass-2",
              role: "technician"
            }
          })
          const kit = await rota.resources.create({
            headers: {},
            payload: { name: "Doc kit", type: "camera" }
          })
          for (const n of [1, 2])
            await rota.resources.createUnit({
              params: { id: kit.id },
              headers: {},
              payload: { barcode: `DOC-${n}-${unique()}` }
            })
          const resourceId = kit.id
          const draftId = unique()

          // Lists and paging
          const usernames: Array<string> = []
          for await (const member of rota.members.list({ query: { limit: 50 } })) {
            usernames.push(member.username)
          }
          assert.strictEqual(usernames.length, 2)
          assert.include(usernames, login)

          // Retries, timeouts and cancellation
          const patient = createClient({ baseUrl, maxRetries: 3, timeout: 10_000 })
          const controller = new AbortController()
          const booking = await rota.bookings.create(
            {
              headers: {},
              payload: {
                startAt: "2030-01-07T10:00:00Z",
                endAt: new Date("2030-01-07T12:00:00Z"),
                purpose: "Morning shoot",
                items: [{ resourceId }]
              }
            },
            { timeout: 5_000, signal: controller.signal, idempotencyKey: `booking-${draftId}` }
          )
          assert.strictEqual(booking.purpose, "Morning shoot")
          assert.strictEqual(rota.lastResponse?.idempotencyKey, `booking-${draftId}`)
          assert.strictEqual((await patient.health()).status, "ok")
          await patient.dispose()

          // Request ids and headers
          const { data: org, response } = await rota.org.get().withResponse()
          const etag = response.headers.get("etag") // `"${org.version}"`
          const requestId = response.requestId
          const lastRequestId = rota.lastResponse?.requestId
          assert.strictEqual(etag, `"${org.version}"`)
          assert.match(String(requestId), /^[0-9a-f-]{36}$/)
          assert.strictEqual(lastRequestId, requestId)

          // Times, ids and entity types
          const link = `https://app.example.com/bookings?booking=${booking.id}`
          const fromUrl = Ids.bookingId(new URL(link).searchParams.get("booking") ?? "")
          const same = await rota.bookings.get({ params: { id: fromUrl } })
          assert.strictEqual(same.id, booking.id)

          // Errors
          const filter = await rota.parts.create({
            headers: {},
            payload: {
              sku: `FLT-${unique()}`,
              name: "Oil filter",
              unitPrice: { amount: 1250, currency: "EUR" },
              quantityOnHand: 5
            }
          })
          let shortBy = 0
          let fields: Array<string> = []
          let retryLater = false
          try {
            await rota.parts.adjust({
              params: { id: filter.id },
              headers: {},
              payload: { delta: -8, reason: "work order 42" }
            })
          } catch (error) {
            if (!isRotaProblem(error)) throw error
            switch (error.code) {
              case "insufficient_stock":
                shortBy = error.problem.requested - error.problem.onHand // both typed numbers
                break
              case "validation_failed":
                fields = error.errors.map((issue) => issue.path.join("."))
                break
              case "timeout":
              case "network":
                retryLater = true
                break
              default:
                throw new Error(`${error.message} (request ${error.requestId})`)
            }
          }
          assert.deepStrictEqual([shortBy, fields, retryLater], [3, [], false])

          const refused = await rota.auth
            .register({
              payload: {
                email: "no-at-sign",
                username: "k",
                password: "a long passphrase",
                fullName: "K",
                orgName: "K"
              }
            })
            .catch((error: unknown) => error)
          // refused.code === "validation_failed", refused.status === 0,
          // refused.errors: [{ path: ["email"], message: "..." }], the first field refused
          assert.isTrue(isRotaProblem(refused))
          const problem = refused as RotaError
          assert.deepStrictEqual([problem.code, problem.status], ["validation_failed", 0])
          assert.deepStrictEqual(
            problem.errors.map((issue) => issue.path.join(".")),
            ["email"]
          )
          assert.isNotEmpty(problem.errors[0]!.message)

          // Light clients
          const start = Date.parse("2030-01-08T10:00:00Z")
          const end = start + hour
          const api = connect({ baseUrl, timeout: 10_000 })
          await auth(api).login({ payload: { login, password } })
          const me = await auth(api).me()
          api.session.orgId = me.memberships[0]?.orgId
          const kits: Array<string> = []
          for await (const resource of resources(api).list({ query: {} })) kits.push(resource.name)
          const { data: lite, response: liteResponse } = await bookings(api)
            .create({
              headers: {},
              payload: {
                startAt: new Date(start),
                endAt: new Date(end),
                purpose: "From the light client",
                items: [{ resourceId }]
              }
            })
            .withResponse()
          // lite.startAt is an ISO string; liteResponse.requestId, liteResponse.idempotencyKey
          assert.deepStrictEqual(kits, ["Doc kit"])
          assert.strictEqual(lite.startAt, "2030-01-08T10:00:00.000Z")
          assert.isString(liteResponse.requestId)
          assert.isString(liteResponse.idempotencyKey)

          // The Effect client
          const seen: Array<string | undefined> = []
          const withOptions = Effect.gen(function* () {
            const client = yield* RotaClient
            return yield* client.org.get()
          }).pipe(
            RotaClient.withRequestOptions({ timeout: 5_000, onResponse: (info) => seen.push(info.requestId) })
          )
          const viaEffect = await Effect.runPromise(
            withOptions.pipe(
              Effect.provide(
                RotaClient.layer({
                  baseUrl,
                  accessToken: rota.session.accessToken,
                  orgId: rota.session.orgId
                })
              )
            )
          )
          assert.strictEqual(viaEffect.id, org.id)
          assert.strictEqual(seen.length, 1)
          assert.match(String(seen[0]), /^[0-9a-f-]{36}$/)
        } finally {
          await rota.dispose()
        }
      })
    )
  }
)
