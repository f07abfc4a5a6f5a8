import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit } from "effect"
import { TestClock } from "effect/testing"
import { leadTimeRow, utilisationRow } from "../../src/reports/Reports.ts"
import * as ReportWindow from "../../src/reports/ReportWindow.ts"

const at = (text: string) => DateTime.makeUnsafe(text)

describe("ReportWindow", () => {
  it("refuses an empty, reversed or longer than 366 days window, naming `to`", () => {
    const from = at("2030-01-01T00:00:00Z")
    assert.deepStrictEqual(
      ReportWindow.problems({ from, to: from }).map((issue) => issue.path),
      [["query", "to"]]
    )
    assert.lengthOf(ReportWindow.problems({ from, to: at("2029-12-31T00:00:00Z") }), 1)
    assert.lengthOf(ReportWindow.problems({ from, to: at("2031-01-02T00:00:00Z") }), 0)
    assert.lengthOf(ReportWindow.problems({ from, to: at("2031-01-02T00:00:01Z") }), 1)
  })

  it.effect("a filled-in end stops at the edge of years 0001-9999; a given end outside them is refused", () =>
    Effect.gen(function* () {
      const early = yield* ReportWindow.resolve({ to: at("0001-01-01T00:00:00.028Z") })
      assert.strictEqual(DateTime.formatIso(early.from), "0001-01-01T00:00:00.000Z")
      const late = yield* ReportWindow.resolve({ from: at("9999-12-20T00:00:00Z") })
      assert.strictEqual(DateTime.formatIso(late.to), "9999-12-31T23:59:59.999Z")
      assert.deepStrictEqual(
        ReportWindow.problems({ from: at("0000-12-02T00:00:00Z"), to: at("0001-01-01T00:00:00Z") }).map(
          (issue) => issue.path
        ),
        [["query", "from"]]
      )
    })
  )

  it.effect("fills missing ends with the 30 days up to now, or after from", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2030-02-01T00:00:00Z"))
      const both = yield* ReportWindow.resolve({})
      assert.deepStrictEqual(
        [DateTime.formatIso(both.from), DateTime.formatIso(both.to)],
        ["2030-01-02T00:00:00.000Z", "2030-02-01T00:00:00.000Z"]
      )
      const onlyFrom = yield* ReportWindow.resolve({ from: at("2030-01-01T00:00:00Z") })
      assert.strictEqual(DateTime.formatIso(onlyFrom.to), "2030-01-31T00:00:00.000Z")
      const refused = yield* Effect.exit(
        ReportWindow.resolve({ from: at("2030-01-01T00:00:00Z"), to: at("2032-01-01T00:00:00Z") })
      )
      assert.isTrue(Exit.isFailure(refused))
    })
  )
})

describe("report rows", () => {
  it("available time is the window for each unit less its blackouts", () => {
    const row = utilisationRow(
      {
        resourceId: "r",
        resourceName: "Drill",
        unitId: null,
        unitBarcode: null,
        units: 2,
        bookings: 3,
        bookedSeconds: 6 * 3600,
        blackoutSeconds: 24 * 3600
      },
      24 * 3600
    )
    assert.deepStrictEqual(
      [row.bookedHours, row.blackoutHours, row.availableHours, row.ratio],
      [6, 24, 24, 0.25]
    )
  })

  it("a unit closed the whole window has no ratio", () => {
    const row = utilisationRow(
      {
        resourceId: "r",
        resourceName: "Drill",
        unitId: "u",
        unitBarcode: "D-1",
        units: 1,
        bookings: 0,
        bookedSeconds: 0,
        blackoutSeconds: 3600
      },
      3600
    )
    assert.deepStrictEqual([row.availableHours, row.ratio], [0, null])
  })

  it("lead times turn seconds into hours and keep nothing measured as null", () => {
    const row = leadTimeRow({
      priority: "HIGH",
      kind: "CORRECTIVE",
      requested: 2,
      started: 1,
      startMean: 5400,
      startP50: 5400,
      startP90: 5400,
      completed: 0,
      completionMean: null,
      completionP50: null,
      completionP90: null
    })
    assert.deepStrictEqual([row.startMeanHours, row.completionP90Hours], [1.5, null])
  })
})
