import { assert, describe, it } from "@effect/vitest"
import { Timestamp } from "../src/index.ts"

describe("Timestamp.parse reads strict RFC 3339 only", () => {
  it("reads a date-time with Z or an offset, to the millisecond", () => {
    assert.strictEqual(Timestamp.parse("2026-03-01T09:30:00Z"), Date.UTC(2026, 2, 1, 9, 30))
    assert.strictEqual(Timestamp.parse("2026-03-01T10:30:00.25+01:00"), Date.UTC(2026, 2, 1, 9, 30, 0, 250))
    assert.strictEqual(
      Timestamp.parse("2026-03-01T09:30:00.123456789-00:30"),
      Date.UTC(2026, 2, 1, 10, 0, 0, 123)
    )
  })

  it("a day the month does not have is refused, not rolled into the next month", () => {
    assert.isUndefined(Timestamp.parse("2026-02-30T00:00:00Z"))
    assert.isUndefined(Timestamp.parse("2026-02-29T00:00:00Z"))
    assert.isUndefined(Timestamp.parse("2100-02-29T00:00:00Z"))
    assert.isDefined(Timestamp.parse("2000-02-29T00:00:00Z"))
    assert.isUndefined(Timestamp.parse("2026-04-31T00:00:00Z"))
  })

  it("an offset is required", () => {
    assert.isUndefined(Timestamp.parse("2026-03-01T09:30:00"))
    assert.isUndefined(Timestamp.parse("2026-03-01"))
  })

  it("years are 0001-9999, in the text and in UTC", () => {
    assert.isUndefined(Timestamp.parse("0000-01-01T00:00:00Z"))
    assert.isUndefined(Timestamp.parse("10000-01-01T00:00:00Z"))
    assert.isUndefined(Timestamp.parse("+010000-01-01T00:00:00Z"))
    assert.isUndefined(Timestamp.parse("9999-12-31T23:30:00-01:00"))
    assert.strictEqual(Timestamp.parse("0050-06-01T00:00:00Z"), Date.parse("0050-06-01T00:00:00Z"))
  })

  it("times and offsets stay within the clock", () => {
    for (const text of [
      "2026-03-01T24:00:00Z",
      "2026-03-01T10:60:00Z",
      "2026-03-01T10:00:60Z",
      "2026-03-01T10:00:00+24:00"
    ])
      assert.isUndefined(Timestamp.parse(text), text)
  })
})
