import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { clippedMillis, hours, mean, percentile, ratio } from "../../src/reports/ReportMath.ts"

const arbSpan = fc
  .integer({ min: 0, max: 1_000 })
  .chain((start) => fc.integer({ min: start + 1, max: 1_001 }).map((end) => ({ start, end })))

describe("ReportMath", () => {
  it("clipping keeps the part of a span inside the window", () => {
    const window = { start: 10, end: 20 }
    assert.strictEqual(clippedMillis({ start: 5, end: 15 }, window), 5)
    assert.strictEqual(clippedMillis({ start: 12, end: 18 }, window), 6)
    assert.strictEqual(clippedMillis({ start: 0, end: 100 }, window), 10)
    // Half-open: a span ending where the window starts has nothing inside it.
    assert.strictEqual(clippedMillis({ start: 0, end: 10 }, window), 0)
    assert.strictEqual(clippedMillis({ start: 20, end: 30 }, window), 0)
  })

  it("a clipped span is never longer than the span or the window, and clipping is symmetric", () => {
    fc.assert(
      fc.property(arbSpan, arbSpan, (span, window) => {
        const clipped = clippedMillis(span, window)
        assert.isAtLeast(clipped, 0)
        assert.isAtMost(clipped, Math.min(span.end - span.start, window.end - window.start))
        assert.strictEqual(clipped, clippedMillis(window, span))
      })
    )
  })

  it("splitting a window in two splits the clipped time in two", () => {
    fc.assert(
      fc.property(arbSpan, arbSpan, fc.double({ min: 0, max: 1, noNaN: true }), (span, window, at) => {
        const middle = window.start + Math.floor((window.end - window.start) * at)
        const parts =
          clippedMillis(span, { start: window.start, end: middle }) +
          clippedMillis(span, { start: middle, end: window.end })
        assert.strictEqual(parts, clippedMillis(span, window))
      })
    )
  })

  it("hours are rounded to two decimals", () => {
    assert.strictEqual(hours(3_600), 1)
    assert.strictEqual(hours(5_400), 1.5)
    assert.strictEqual(hours(60), 0.02)
    assert.strictEqual(hours(0), 0)
  })

  it("a ratio has four decimals and is null without a whole", () => {
    assert.strictEqual(ratio(1, 3), 0.3333)
    assert.strictEqual(ratio(6, 24), 0.25)
    assert.strictEqual(ratio(0, 10), 0)
    assert.isNull(ratio(5, 0))
  })

  it("percentiles interpolate between ranks as percentile_cont does", () => {
    const values = [4, 1, 3, 2]
    assert.strictEqual(percentile(values, 0.5), 2.5)
    assert.strictEqual(percentile(values, 0), 1)
    assert.strictEqual(percentile(values, 1), 4)
    assert.closeTo(percentile(values, 0.9)!, 3.7, 1e-9)
    assert.strictEqual(percentile([7], 0.9), 7)
    assert.isNull(percentile([], 0.5))
  })

  it("a percentile lies between the smallest and largest value and grows with p", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1_000, max: 1_000 }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p]
          const atLow = percentile(values, low)!
          assert.isAtLeast(atLow, Math.min(...values) - 1e-9)
          assert.isAtMost(percentile(values, high)!, Math.max(...values) + 1e-9)
          assert.isAtMost(atLow, percentile(values, high)! + 1e-9)
        }
      )
    )
  })

  it("the mean of no values is null", () => {
    assert.strictEqual(mean([1, 2, 6]), 3)
    assert.isNull(mean([]))
  })
})
