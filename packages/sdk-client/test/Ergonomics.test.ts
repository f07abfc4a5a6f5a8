/**
 * The ergonomics of both Promise faces against a live server: times as `Date`s and ISO strings,
 * `for await` over every page, answers with their headers, problems typed by code, ids from
 * strings, one idempotency key per call; and the light clients' route table matches the API.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Api } from "@rota/http/api"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { DateTime } from "effect"
import { Ids, isRotaProblem } from "../src/index.ts"
import * as LiteRoutes from "../src/LiteRoutes.ts"
import * as Lite from "../src/lite.ts"
import { auth, bookings, connect, resources } from "../src/lite.ts"
import { owner, refusal, scenario, unique } from "./fixtures/Live.ts"

const hour = 3_600_000
const tomorrow = Math.ceil(Date.now() / hour) * hour + 24 * hour

describe("the light clients' routes", () => {
  it("name the method and path of every endpoint of the API, with one factory per group", () => {
    const expected: Record<string, Record<string, ReadonlyArray<string>>> = {}
    for (const group of Object.values(Api.groups) as unknown as ReadonlyArray<{
      readonly identifier: string
      readonly topLevel: boolean
      readonly endpoints: Readonly<
        Record<
          string,
          { readonly method: string; readonly path: string; readonly payload: ReadonlyMap<string, unknown> }
        >
      >
    }>) {
      const name = group.topLevel ? "system" : group.identifier
      expected[name] = Object.fromEntries(
        Object.entries(group.endpoints).map(([key, endpoint]) => {
          // A route taking text (a CSV import) also names its media type: the payload goes as is.
          const types = [...endpoint.payload.keys()]
          const text = types.length === 1 && types[0]!.startsWith("text/") ? [types[0]!] : []
          return [key, [endpoint.method, endpoint.path, ...text]]
        })
      )
    }
    assert.deepStrictEqual(
      JSON.parse(JSON.stringify(LiteRoutes)),
      expected,
      "src/LiteRoutes.ts is out of date: run npm run routes -w @rota/sdk-client"
    )
    for (const name of Object.keys(expected))
      assert.isFunction(
        (Lite as Record<string, unknown>)[name],
        `@rota/sdk-client/lite has no ${name} factory`
      )
  })
})

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the SDK's ergonomics against a live server",
  (it) => {
    it.effect(
      "light clients: sign in, book with Date and ISO times, page with for await, typed 409, replay",
      () =>
        scenario(async (url) => {
          const rota = connect({ baseUrl: url })
          const name = `lite${unique()}`
          const registered = await auth(rota).register({
            payload: {
              email: `${name}@example.test`,
              username: name,
              password: "Live-Test-Pass-1",
              fullName: "Lite Owner",
              orgName: `Org ${name}`
            }
          })
          rota.session.orgId = registered.org.id
          assert.isString(rota.session.accessToken)

          const made: Array<string> = []
          for (const kind of ["A", "B", "C"]) {
            const resource = await resources(rota).create({
              headers: {},
              payload: { name: `Kit ${kind}`, type: "camera" }
            })
            await resources(rota).createUnit({
              params: { id: resource.id },
              headers: {},
              payload: { barcode: `LITE-${unique()}` }
            })
            made.push(resource.name)
          }
          // Three pages of one: for await follows the cursor to the end.
          const seen: Array<string> = []
          for await (const resource of resources(rota).list({ query: { limit: 1 } })) seen.push(resource.name)
          assert.sameMembers(seen, made)
          assert.strictEqual(seen.length, 3)

          const kit = (await resources(rota).list({ query: { limit: 1 } })).items[0]!
          const resourceId = Ids.resourceId(kit.id)
          const { data: booking, response } = await bookings(rota)
            .create({
              headers: {},
              payload: {
                startAt: new Date(tomorrow),
                endAt: new Date(tomorrow + 2 * hour).toISOString(),
                purpose: "Shoot",
                items: [{ resourceId }]
              }
            })
            .withResponse()
          assert.strictEqual(response.status, 201)
          assert.match(String(response.requestId), /^[0-9a-f-]{36}$/)
          assert.strictEqual(booking.startAt, new Date(tomorrow).toISOString())
          assert.strictEqual(rota.lastResponse?.requestId, response.requestId)

          const got = await bookings(rota).get({ params: { id: Ids.bookingId(booking.id) } })
          assert.strictEqual(got.id, booking.id)
          assert.throws(() => Ids.bookingId("not-an-id"), TypeError)

          const clash = await refusal(
            bookings(rota).create({
              headers: {},
              payload: {
                startAt: new Date(tomorrow + hour),
                endAt: new Date(tomorrow + 3 * hour),
                purpose: "Clash",
                items: [{ resourceId }]
              }
            })
          )
          assert.isTrue(isRotaProblem(clash))
          if (isRotaProblem(clash) && clash.code === "conflict")
            assert.isAbove(clash.problem.conflicts.length, 0)
          else assert.fail(`expected a conflict, got ${clash.code}`)

          // The same key twice (as a retry would send it) books once: the first answer comes back.
          const key = `lite-${unique()}`
          const later = {
            headers: {},
            payload: {
              startAt: new Date(tomorrow + 10 * hour),
              endAt: new Date(tomorrow + 11 * hour),
              purpose: "Once",
              items: [{ resourceId }]
            }
          }
          const first = await bookings(rota).create(later, { idempotencyKey: key }).withResponse()
          const replay = await bookings(rota).create(later, { idempotencyKey: key }).withResponse()
          assert.strictEqual(replay.data.id, first.data.id)
          assert.strictEqual(first.response.idempotencyKey, key)
          assert.strictEqual(replay.response.headers.get("idempotency-replayed"), "true")
        })
    )

    it.effect("Promise client: ISO and Date times, for await, withResponse, client-side field errors", () =>
      scenario(async (url) => {
        const rota = await owner(url, "erg")
        try {
          for (const kind of ["A", "B"]) {
            const resource = await rota.resources.create({
              headers: {},
              payload: { name: `Kit ${kind}`, type: "camera" }
            })
            await rota.resources.createUnit({
              params: { id: resource.id },
              headers: {},
              payload: { barcode: `ERG-${unique()}` }
            })
          }
          const names: Array<string> = []
          for await (const resource of rota.resources.list({ query: { limit: 1 } })) names.push(resource.name)
          assert.sameMembers(names, ["Kit A", "Kit B"])

          const [a, b] = (await rota.resources.list({ query: {} })).items
          const iso = await rota.bookings.create({
            headers: {},
            payload: {
              startAt: new Date(tomorrow).toISOString(),
              endAt: new Date(tomorrow + hour).toISOString(),
              purpose: "ISO",
              items: [{ resourceId: a!.id }]
            }
          })
          assert.strictEqual(DateTime.toEpochMillis(iso.startAt), tomorrow)
          const { data: dated, response } = await rota.bookings
            .create({
              headers: {},
              payload: {
                startAt: new Date(tomorrow),
                endAt: DateTime.makeUnsafe(tomorrow + hour),
                purpose: "Date",
                items: [{ resourceId: b!.id }]
              }
            })
            .withResponse()
          assert.strictEqual(DateTime.toEpochMillis(dated.endAt), tomorrow + hour)
          assert.strictEqual(response.status, 201)
          assert.isString(response.idempotencyKey)
          assert.strictEqual(rota.lastResponse?.requestId, response.requestId)
          const window = await rota.bookings.availability({
            params: { id: a!.id },
            query: { from: new Date(tomorrow - hour).toISOString(), to: new Date(tomorrow + 2 * hour) }
          })
          assert.deepStrictEqual(window.freeUnitIds, [])

          const invalid = await refusal(
            rota.bookings.create({
              headers: {},
              payload: { startAt: "tomorrow at ten", endAt: new Date(), purpose: "Bad", items: [] }
            })
          )
          assert.strictEqual(invalid.code, "validation_failed")
          assert.strictEqual(invalid.status, 0)
          assert.isNotEmpty(invalid.errors)
          assert.isTrue(
            invalid.errors.some((issue) => issue.path[0] === "startAt"),
            JSON.stringify(invalid.errors)
          )
        } finally {
          await rota.dispose()
        }
      })
    )
  }
)
