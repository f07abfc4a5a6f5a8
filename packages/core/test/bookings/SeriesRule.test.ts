import { assert, describe, it } from "@effect/vitest"
import { DateTime, Result } from "effect"
import * as SeriesRule from "../../src/bookings/SeriesRule.ts"

const utc = (iso: string) => DateTime.makeUnsafe(iso)

const expand = (
  rule: string,
  startAt: string,
  endAt: string,
  timeZone: string,
  exceptions: Array<string> = []
) => {
  const parsed = SeriesRule.parse(rule, timeZone)
  if (Result.isFailure(parsed)) throw new Error(parsed.failure)
  return SeriesRule.expand(parsed.success, { startAt: utc(startAt), endAt: utc(endAt), timeZone }, exceptions)
}

const occurrences = (...args: Parameters<typeof expand>) => {
  const result = expand(...args)
  if (Result.isFailure(result)) throw new Error(result.failure)
  return result.success.map((occurrence) => ({
    date: occurrence.date,
    startAt: DateTime.formatIso(occurrence.interval.startAt),
    endAt: DateTime.formatIso(occurrence.interval.endAt),
    excepted: occurrence.excepted
  }))
}

describe("SeriesRule", () => {
  it("keeps the wall-clock time across the spring-forward night in the org's zone", () => {
    // 2030-03-31 is the last Sunday of March: Paris goes from UTC+1 to UTC+2.
    const days = occurrences(
      "FREQ=DAILY;COUNT=4",
      "2030-03-29T08:00:00.000Z",
      "2030-03-29T09:30:00.000Z",
      "Europe/Paris"
    )
    assert.deepStrictEqual(
      days.map((day) => [day.date, day.startAt, day.endAt]),
      [
        ["2030-03-29", "2030-03-29T08:00:00.000Z", "2030-03-29T09:30:00.000Z"],
        ["2030-03-30", "2030-03-30T08:00:00.000Z", "2030-03-30T09:30:00.000Z"],
        ["2030-03-31", "2030-03-31T07:00:00.000Z", "2030-03-31T08:30:00.000Z"],
        ["2030-04-01", "2030-04-01T07:00:00.000Z", "2030-04-01T08:30:00.000Z"]
      ]
    )
  })

  it("weekly BYDAY lists the chosen weekdays from the first day on, every INTERVAL weeks", () => {
    // 2030-01-02 is a Wednesday: the Monday of that week comes before the first day and is left out.
    const days = occurrences(
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;COUNT=5",
      "2030-01-02T09:00:00Z",
      "2030-01-02T10:00:00Z",
      "UTC"
    )
    assert.deepStrictEqual(
      days.map((day) => day.date),
      ["2030-01-02", "2030-01-04", "2030-01-14", "2030-01-16", "2030-01-18"]
    )
  })

  it("monthly on the 31st skips the shorter months, as RFC 5545 says", () => {
    const days = occurrences("FREQ=MONTHLY;COUNT=4", "2030-01-31T09:00:00Z", "2030-01-31T10:00:00Z", "UTC")
    assert.deepStrictEqual(
      days.map((day) => day.date),
      ["2030-01-31", "2030-03-31", "2030-05-31", "2030-07-31"]
    )
  })

  it("COUNT counts the exceptions, which are marked; UNTIL is inclusive", () => {
    const counted = occurrences("FREQ=DAILY;COUNT=3", "2030-01-01T09:00:00Z", "2030-01-01T10:00:00Z", "UTC", [
      "2030-01-02"
    ])
    assert.deepStrictEqual(
      counted.map((day) => [day.date, day.excepted]),
      [
        ["2030-01-01", false],
        ["2030-01-02", true],
        ["2030-01-03", false]
      ]
    )
    const until = occurrences(
      "FREQ=WEEKLY;UNTIL=20300115",
      "2030-01-01T09:00:00Z",
      "2030-01-01T10:00:00Z",
      "UTC"
    )
    assert.deepStrictEqual(
      until.map((day) => day.date),
      ["2030-01-01", "2030-01-08", "2030-01-15"]
    )
    const untilInstant = occurrences(
      "FREQ=DAILY;UNTIL=20300102T085959Z",
      "2030-01-01T09:00:00Z",
      "2030-01-01T10:00:00Z",
      "UTC"
    )
    assert.deepStrictEqual(untilInstant.length, 1)
  })

  it("an occurrence spanning midnight keeps its end on the next local day", () => {
    const days = occurrences("FREQ=DAILY;COUNT=2", "2030-01-01T22:00:00Z", "2030-01-02T02:00:00Z", "UTC")
    assert.deepStrictEqual(days[1]?.endAt, "2030-01-03T02:00:00.000Z")
  })

  it("refuses more than 366 occurrences, and rules outside the subset", () => {
    const tooMany = expand("FREQ=DAILY;UNTIL=20320101", "2030-01-01T09:00:00Z", "2030-01-01T10:00:00Z", "UTC")
    assert.isTrue(Result.isFailure(tooMany))
    assert.isTrue(
      Result.isSuccess(expand("FREQ=DAILY;COUNT=366", "2030-01-01T09:00:00Z", "2030-01-01T10:00:00Z", "UTC"))
    )
    for (const rule of [
      "FREQ=YEARLY;COUNT=2",
      "FREQ=DAILY",
      "FREQ=DAILY;COUNT=2;UNTIL=20300101",
      "FREQ=DAILY;COUNT=0",
      "FREQ=DAILY;COUNT=367",
      "FREQ=MONTHLY;BYDAY=MO;COUNT=2",
      "FREQ=WEEKLY;BYDAY=XX;COUNT=2",
      "FREQ=DAILY;BYHOUR=3;COUNT=2",
      "FREQ=DAILY;UNTIL=2030-01-01",
      "FREQ=DAILY;COUNT=2;COUNT=3"
    ]) {
      assert.isTrue(Result.isFailure(SeriesRule.parse(rule, "UTC")), rule)
    }
    assert.isTrue(Result.isSuccess(SeriesRule.parse("RRULE:freq=weekly;byday=mo;count=2", "UTC")))
  })
})
