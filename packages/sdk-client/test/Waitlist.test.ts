import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { DateTime } from "effect"
import { RotaProblem } from "../src/index.ts"
import { owner, scenario, unique } from "./fixtures/Live.ts"

const hour = 3_600_000
const day = Date.now() + 24 * hour
const at = (hours: number) => DateTime.makeUnsafe(day + hours * hour)

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the Promise SDK against a live server: the waitlist",
  (it) => {
    it.effect(
      "joins when nothing is free, sees its rank, gets an offer on a cancellation and accepts it",
      () =>
        scenario(async (url) => {
          const rota = await owner(url, "wl")
          const resource = await rota.resources.create({
            headers: {},
            payload: { name: "Drone", type: "drone" }
          })
          const unit = await rota.resources.createUnit({
            params: { id: resource.id },
            headers: {},
            payload: { barcode: `WL-${unique()}` }
          })
          const free = await rota.waitlist
            .join({
              headers: {},
              payload: { resourceId: resource.id, startAt: at(0), endAt: at(1), purpose: "Survey" }
            })
            .then(
              () => assert.fail("a free unit must be booked, not waited for"),
              (error: unknown) => error as RotaProblem
            )
          assert.instanceOf(free, RotaProblem)
          assert.strictEqual(free.code, "unit_available")

          const booking = await rota.bookings.create({
            headers: { "idempotency-key": `b-${unique()}` },
            payload: { startAt: at(0), endAt: at(1), purpose: "First", items: [{ unitId: unit.id }] }
          })
          const entry = await rota.waitlist.join({
            headers: {},
            payload: { resourceId: resource.id, startAt: at(0), endAt: at(1), purpose: "Survey" }
          })
          assert.strictEqual(entry.status, "WAITING")
          const line = await rota.waitlist.list({ query: { resourceId: resource.id } })
          assert.deepStrictEqual(
            line.items.map((item) => [item.id, item.rank, item.scoreParts.role]),
            [[entry.id, 1, 300]]
          )
          const mine = await rota.waitlist.mine({ query: {} })
          assert.deepStrictEqual(
            mine.items.map((item) => item.id),
            [entry.id]
          )

          await rota.bookings.cancel({ params: { id: booking.id }, headers: {} })
          const [offered] = (await rota.waitlist.mine({ query: { status: ["OFFERED"] } })).items
          assert.strictEqual(offered?.offeredUnitId, unit.id)
          const accepted = await rota.waitlist.accept({ params: { id: entry.id }, headers: {} })
          assert.strictEqual(accepted.status, "ACCEPTED")
          const made = await rota.bookings.get({ params: { id: accepted.bookingId! } })
          assert.deepStrictEqual(
            made.items.map((item) => item.unitId),
            [unit.id]
          )
          await rota.dispose()
        })
    )

    it.effect(
      "staff refuse, offer an alternative, and force an expiry; the requester declines or cancels",
      () =>
        scenario(async (url) => {
          const rota = await owner(url, "wl")
          const resource = await rota.resources.create({ headers: {}, payload: { name: "Van", type: "van" } })
          const unit = await rota.resources.createUnit({
            params: { id: resource.id },
            headers: {},
            payload: { barcode: `WL-${unique()}` }
          })
          await rota.bookings.create({
            headers: { "idempotency-key": `b-${unique()}` },
            payload: { startAt: at(0), endAt: at(4), purpose: "Busy", items: [{ unitId: unit.id }] }
          })
          const join = (hours: number) =>
            rota.waitlist.join({
              headers: {},
              payload: { resourceId: resource.id, startAt: at(hours), endAt: at(hours + 1), purpose: "Move" }
            })
          const refused = await rota.waitlist.refuse({ params: { id: (await join(0)).id }, headers: {} })
          assert.strictEqual(refused.status, "REFUSED")
          const second = await join(1)
          const alternative = await rota.waitlist.offer({
            params: { id: second.id },
            headers: {},
            payload: { startAt: at(5), endAt: at(6) }
          })
          assert.deepStrictEqual(
            [
              alternative.status,
              alternative.offerStartAt && DateTime.toEpochMillis(alternative.offerStartAt)
            ],
            ["OFFERED", day + 5 * hour]
          )
          const declined = await rota.waitlist.decline({ params: { id: second.id }, headers: {} })
          assert.strictEqual(declined.status, "DECLINED")
          const third = await join(2)
          await rota.waitlist.offer({
            params: { id: third.id },
            headers: {},
            payload: { startAt: at(7), endAt: at(8) }
          })
          const expired = await rota.waitlist.expire({ params: { id: third.id }, headers: {} })
          assert.strictEqual(expired.status, "EXPIRED")
          const fourth = await join(3)
          const cancelled = await rota.waitlist.cancel({ params: { id: fourth.id }, headers: {} })
          assert.strictEqual(cancelled.status, "CANCELLED")
          await rota.dispose()
        })
    )
  }
)
