/**
 * The SDK on calendar feeds and dry runs, against a live server: a feed made, read as iCalendar
 * through the public route, listed and revoked; a booking rehearsed with `dryRun` answers as the
 * real one would and keeps nothing.
 */
import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Ids } from "../src/index.ts"
import { calendar, connect } from "../src/lite.ts"
import { bookedVan, owner, refusal, scenario, unique } from "./fixtures/Live.ts"

const hour = 3_600_000
const tomorrow = Math.ceil(Date.now() / hour) * hour + 24 * hour

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "calendar feeds and dry runs through the SDK",
  (it) => {
    it.effect("a resource's feed: created, read as iCalendar, listed, revoked", () =>
      scenario(async (url) => {
        const rota = await owner(url, "cal")
        const resource = await bookedVan(rota, tomorrow, 2)
        const created = await rota.calendarFeeds.create({
          payload: { kind: "resource", subjectId: resource.id }
        })
        const file = new URL(created.url).pathname.split("/").pop()!
        const ics = await rota.calendar.feed({ params: { file } })
        assert.strictEqual(ics.match(/BEGIN:VEVENT/g)?.length, 1)
        assert.include(ics, `DTSTART:${new Date(tomorrow).toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`)

        // The light client reads the same feed without a session.
        const anonymous = connect({ baseUrl: url })
        assert.include(String(await calendar(anonymous).feed({ params: { file } })), "BEGIN:VCALENDAR")

        const listed = await rota.calendarFeeds.list({ query: {} })
        assert.deepStrictEqual(
          listed.items.map((feed) => feed.id),
          [created.id]
        )
        await rota.calendarFeeds.revoke({ params: { id: created.id } })
        assert.strictEqual((await refusal(rota.calendar.feed({ params: { file } }))).status, 404)
      })
    )

    it.effect("dryRun: a booking answered as created, then nothing kept", () =>
      scenario(async (url) => {
        const rota = await owner(url, "dry")
        const resource = await rota.resources.create({
          headers: {},
          payload: { name: "Drill", type: "tool" }
        })
        await rota.resources.createUnit({
          params: { id: resource.id },
          headers: {},
          payload: { barcode: `DRY-${unique()}` }
        })
        const request = {
          headers: {},
          payload: {
            startAt: new Date(tomorrow),
            endAt: new Date(tomorrow + hour),
            purpose: "Repair",
            items: [{ resourceId: Ids.resourceId(resource.id) }]
          }
        }
        const { data, response } = await rota.bookings.create(request, { dryRun: true }).withResponse()
        assert.strictEqual(response.status, 201)
        assert.strictEqual(response.headers.get("preference-applied"), "dry-run")
        assert.strictEqual(data.purpose, "Repair")
        assert.deepStrictEqual((await rota.bookings.list({ query: {} })).items, [])
        const real = await rota.bookings.create(request)
        assert.deepStrictEqual(
          (await rota.bookings.list({ query: {} })).items.map((booking) => booking.id),
          [real.id]
        )
      })
    )
  }
)
