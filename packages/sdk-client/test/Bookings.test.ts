import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { DateTime } from "effect"
import type { PromiseClient } from "../src/index.ts"
import { owner, refusal, scenario, unique } from "./fixtures/Live.ts"

const hour = 3_600_000
const day = Date.now() + 24 * hour
const at = (hours: number) => DateTime.makeUnsafe(day + hours * hour)

// A resource with one unit, ready to book.
const kit = async (rota: PromiseClient) => {
  const resource = await rota.resources.create({
    headers: {},
    payload: { name: "Camera kit", type: "camera" }
  })
  const unit = await rota.resources.createUnit({
    params: { id: resource.id },
    headers: {},
    payload: { barcode: `SDK-${unique()}` }
  })
  return { resource, unit }
}

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the Promise SDK against a live server: bookings, fines and the schedule",
  (it) => {
    it.effect("books, sees a typed conflict, reads availability and conflicts, and walks the lifecycle", () =>
      scenario(async (url) => {
        const rota = await owner(url, "bk")
        const { resource, unit } = await kit(rota)
        const booking = await rota.bookings.create({
          headers: { "idempotency-key": `b-${unique()}` },
          payload: { startAt: at(0), endAt: at(2), purpose: "Shoot", items: [{ unitId: unit.id }] }
        })
        assert.strictEqual(booking.status, "APPROVED")
        assert.deepStrictEqual(
          booking.items.map((item) => item.unitId),
          [unit.id]
        )
        const clash = await refusal(
          rota.bookings.create({
            headers: { "idempotency-key": `b-${unique()}` },
            payload: { startAt: at(1), endAt: at(3), purpose: "Clash", items: [{ resourceId: resource.id }] }
          })
        )
        assert.deepStrictEqual([clash.code, clash.status], ["conflict", 409])

        const availability = await rota.bookings.availability({
          params: { id: resource.id },
          query: { from: at(0), to: at(4) }
        })
        assert.deepStrictEqual(availability.freeUnitIds, [])
        assert.strictEqual(DateTime.toEpochMillis(availability.units[0]!.free[0]!.startAt), day + 2 * hour)
        const conflicts = await rota.schedule.conflicts({
          query: { unitId: unit.id, from: at(-1), to: at(5) }
        })
        assert.deepStrictEqual(
          conflicts.items.map((item) => item.sourceId),
          [booking.id]
        )

        const moved = await rota.bookings.update({
          params: { id: booking.id },
          headers: { "if-match": `"${booking.version}"` },
          payload: { startAt: at(4), endAt: at(5) }
        })
        assert.strictEqual(DateTime.toEpochMillis(moved.startAt), day + 4 * hour)
        const stale = await refusal(
          rota.bookings.cancel({
            params: { id: booking.id },
            headers: { "if-match": `"${booking.version}"` }
          })
        )
        assert.strictEqual(stale.code, "precondition_failed")
        const out = await rota.bookings.checkOut({ params: { id: booking.id }, headers: {} })
        assert.strictEqual(out.status, "CHECKED_OUT")
        const back = await rota.bookings.return({ params: { id: booking.id }, headers: {} })
        assert.deepStrictEqual([back.status, back.lateMinutes], ["RETURNED", 0])
        const again = await refusal(rota.bookings.approve({ params: { id: booking.id }, headers: {} }))
        assert.strictEqual(again.code, "invalid_transition")

        const pending = await rota.bookings.create({
          headers: { "idempotency-key": `b-${unique()}` },
          payload: { startAt: at(6), endAt: at(7), purpose: "Later", items: [{ unitId: unit.id }] }
        })
        const cancelled = await rota.bookings.cancel({ params: { id: pending.id }, headers: {} })
        assert.strictEqual(cancelled.status, "CANCELLED")
        const listed = await rota.bookings.list({ query: { status: ["CANCELLED"] } })
        assert.deepStrictEqual(
          listed.items.map((item) => item.id),
          [pending.id]
        )
        const got = await rota.bookings.get({ params: { id: booking.id } })
        assert.strictEqual(got.status, "RETURNED")
        await rota.dispose()
      })
    )

    it.effect("sets a fine, takes idempotent payments to PAID, refuses overpayment, waives another", () =>
      scenario(async (url) => {
        const rota = await owner(url, "bk")
        // The owner's own membership carries the typed account id.
        const [me] = (await rota.members.list({ query: {} })).items
        const fine = await rota.fines.create({
          headers: {},
          payload: { accountId: me!.accountId, amount: 800, reason: "Scratched lens" }
        })
        assert.deepStrictEqual([fine.status, fine.currency], ["OPEN", "EUR"])
        const key = `pay-${unique()}`
        const first = await rota.fines.pay({
          params: { id: fine.id },
          headers: { "idempotency-key": key },
          payload: { amount: 300 }
        })
        const replay = await rota.fines.pay({
          params: { id: fine.id },
          headers: { "idempotency-key": key },
          payload: { amount: 300 }
        })
        assert.deepStrictEqual([first.paid, replay.paid], [300, 300])
        const over = await refusal(
          rota.fines.pay({
            params: { id: fine.id },
            headers: { "idempotency-key": `pay-${unique()}` },
            payload: { amount: 900 }
          })
        )
        assert.strictEqual(over.code, "validation_failed")
        const paid = await rota.fines.pay({
          params: { id: fine.id },
          headers: { "idempotency-key": `pay-${unique()}` },
          payload: { amount: 500 }
        })
        assert.strictEqual(paid.status, "PAID")
        const other = await rota.fines.create({
          headers: {},
          payload: { accountId: me!.accountId, amount: 100, reason: "Late" }
        })
        const waived = await rota.fines.waive({ params: { id: other.id }, headers: {} })
        assert.strictEqual(waived.status, "WAIVED")
        const open = await rota.fines.list({ query: { status: ["OPEN"] } })
        assert.deepStrictEqual(open.items, [])
        const read = await rota.fines.get({ params: { id: fine.id } })
        assert.strictEqual(read.paid, 800)
        await rota.dispose()
      })
    )
  }
)
