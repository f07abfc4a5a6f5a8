import { assert, describe, it } from "@effect/vitest"
import { DateTime, Schema } from "effect"
import * as fc from "fast-check"
import { Interval } from "../../src/index.ts"

// The model: time as a grid of whole minutes, where an interval [s, e) covers minutes s..e-1.
const gridSize = 48
const base = Date.UTC(2030, 0, 1)
const at = (minute: number) => DateTime.makeUnsafe(base + minute * 60_000)
const minuteOf = (dateTime: DateTime.Utc) => (DateTime.toEpochMillis(dateTime) - base) / 60_000
const interval = (start: number, end: number): Interval.Interval => ({ startAt: at(start), endAt: at(end) })
const covers = (i: Interval.Interval, minute: number) =>
  minuteOf(i.startAt) <= minute && minute < minuteOf(i.endAt)
const minutesOf = (i: Interval.Interval) =>
  Array.from({ length: minuteOf(i.endAt) - minuteOf(i.startAt) }, (_, k) => minuteOf(i.startAt) + k)

const arbInterval = fc
  .integer({ min: 0, max: gridSize - 1 })
  .chain((start) => fc.integer({ min: start + 1, max: gridSize }).map((end) => interval(start, end)))

describe("Interval", () => {
  it("the schema refuses an interval that does not end after it starts", () => {
    const decode = Schema.decodeUnknownOption(Interval.Interval)
    assert.isTrue(decode(interval(1, 2))._tag === "Some")
    assert.isTrue(decode(interval(2, 2))._tag === "None")
    assert.isTrue(decode(interval(3, 2))._tag === "None")
  })

  it("back-to-back intervals do not overlap; one minute in common does", () => {
    assert.isFalse(Interval.overlaps(interval(10, 11), interval(11, 12)))
    assert.isFalse(Interval.overlaps(interval(11, 12), interval(10, 11)))
    assert.isTrue(Interval.overlaps(interval(10, 12), interval(11, 13)))
    assert.isTrue(Interval.overlaps(interval(10, 13), interval(11, 12)))
  })

  it("overlaps exactly when some minute lies in both", () => {
    fc.assert(
      fc.property(arbInterval, arbInterval, (a, b) => {
        const shared = Array.from({ length: gridSize }, (_, m) => m).some((m) => covers(a, m) && covers(b, m))
        assert.strictEqual(Interval.overlaps(a, b), shared)
        assert.strictEqual(Interval.overlaps(b, a), shared)
      })
    )
  })

  it("clashes keeps exactly the existing intervals that overlap the candidate", () => {
    fc.assert(
      fc.property(fc.array(arbInterval, { maxLength: 8 }), arbInterval, (existing, candidate) => {
        const expected = existing.filter((i) => minutesOf(i).some((m) => covers(candidate, m)))
        assert.deepStrictEqual(Interval.clashes(existing, candidate), expected)
      })
    )
  })

  it("freeIntervals covers exactly the free minutes of the window, with maximal sorted gaps", () => {
    fc.assert(
      fc.property(fc.array(arbInterval, { maxLength: 8 }), arbInterval, (busy, window) => {
        const free = Interval.freeIntervals(busy, window)
        const expectedMinutes = minutesOf(window).filter((m) => !busy.some((b) => covers(b, m)))
        assert.deepStrictEqual(free.flatMap(minutesOf), expectedMinutes)
        free.forEach((gap, index) => {
          assert.isTrue(minuteOf(gap.startAt) < minuteOf(gap.endAt), "a gap is not empty")
          const next = free[index + 1]
          if (next !== undefined)
            assert.isTrue(minuteOf(gap.endAt) < minuteOf(next.startAt), "gaps never touch")
        })
      })
    )
  })

  it("a window with nothing busy is free whole; a window busy throughout has no gap", () => {
    assert.deepStrictEqual(Interval.freeIntervals([], interval(2, 5)), [interval(2, 5)])
    assert.deepStrictEqual(Interval.freeIntervals([interval(0, 3), interval(3, 9)], interval(2, 5)), [])
    assert.deepStrictEqual(Interval.freeIntervals([interval(3, 4)], interval(2, 5)), [
      interval(2, 3),
      interval(4, 5)
    ])
  })
})
