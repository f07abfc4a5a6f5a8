import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { DateTime } from "effect"
import { owner, refusal, scenario, unique } from "./fixtures/Live.ts"

const hour = 3_600_000
// A UTC midnight at least two days ahead: series start on whole minutes.
const day0 = Math.ceil((Date.now() + 48 * hour) / (24 * hour)) * 24 * hour
const on = (days: number, hours = 9) => DateTime.makeUnsafe(day0 + days * 24 * hour + hours * hour)

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the Promise SDK against a live server: booking series and blackouts",
  (it) => {
    it.effect("closes a unit, books a weekly series around it, and cancels the rest of the series", () =>
      scenario(async (url) => {
        const rota = await owner(url, "rs")
        const resource = await rota.resources.create({ headers: {}, payload: { name: "Room", type: "room" } })
        const unit = await rota.resources.createUnit({
          params: { id: resource.id },
          headers: {},
          payload: { barcode: `RS-${unique()}` }
        })
        const blackout = await rota.blackouts.create({
          headers: {},
          payload: { scope: "unit", scopeId: unit.id, startAt: on(7, 0), endAt: on(8, 0), reason: "Holiday" }
        })
        assert.deepStrictEqual(blackout.unitIds, [unit.id])
        const listed = await rota.blackouts.list({ query: { unitId: unit.id } })
        assert.deepStrictEqual(
          listed.items.map((item) => item.id),
          [blackout.id]
        )

        const series = await rota.bookingSeries.create({
          headers: { "idempotency-key": `s-${unique()}` },
          payload: {
            startAt: on(0),
            endAt: on(0, 10),
            purpose: "Weekly review",
            items: [{ unitId: unit.id }],
            rule: "FREQ=WEEKLY;COUNT=4"
          }
        })
        assert.deepStrictEqual(
          series.occurrences.map((occurrence) => occurrence.outcome),
          ["created", "conflict", "created", "created"]
        )
        const problem = await refusal(
          rota.bookingSeries.create({
            headers: { "idempotency-key": `s-${unique()}` },
            payload: {
              startAt: on(0),
              endAt: on(0, 10),
              purpose: "Clash",
              items: [{ unitId: unit.id }],
              rule: "FREQ=DAILY;COUNT=2",
              allOrNothing: true
            }
          })
        )
        assert.strictEqual(problem.code, "series_conflict")

        const cancelled = await rota.bookingSeries.cancelFrom({
          params: { id: series.id },
          query: { from: on(14, 0) },
          headers: {}
        })
        assert.deepStrictEqual<ReadonlyArray<string | null>>(cancelled.cancelled, [
          series.occurrences[2]!.bookingId,
          series.occurrences[3]!.bookingId
        ])
        const read = await rota.bookingSeries.get({ params: { id: series.id } })
        assert.strictEqual(read.occurrences.length, 4)

        await rota.blackouts.remove({ params: { id: blackout.id }, headers: {} })
        assert.strictEqual((await rota.blackouts.list({ query: { unitId: unit.id } })).items.length, 0)
        await rota.dispose()
      })
    )
  }
)
