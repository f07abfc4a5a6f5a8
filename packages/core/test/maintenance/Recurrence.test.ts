import { assert, describe, it } from "@effect/vitest"
import { Cron, DateTime, Schema } from "effect"
import * as fc from "fast-check"
import * as Recurrence from "../../src/maintenance/Recurrence.ts"

const paris = "Europe/Paris"
const iso = (instant: DateTime.Utc) => DateTime.formatIso(instant)
const utc = (text: string) => DateTime.makeUnsafe(text)
const millis = DateTime.toEpochMillis

// The wall clock of an instant in a zone: `YYYY-MM-DD HH:MM`.
const wallClock = (instant: DateTime.Utc, timeZone: string) => {
  const p = DateTime.toParts(DateTime.makeZonedUnsafe(instant, { timeZone }))
  const two = (n: number) => String(n).padStart(2, "0")
  return { date: `${p.year}-${two(p.month)}-${two(p.day)}`, time: `${two(p.hour)}:${two(p.minute)}` }
}
const dayIndex = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000

const arbDate = fc
  .integer({ min: dayIndex("2025-01-01"), max: dayIndex("2027-12-31") })
  .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10))
const arbTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`)
const arbZone = fc.constantFrom(paris, "America/New_York", "Australia/Sydney", "UTC", "Asia/Kolkata")

// A simulated year of every-day occurrences: 366 from the first day.
const year = (rule: Recurrence.Rule) => Recurrence.upcoming(rule, utc("2020-01-01T00:00:00Z"), 366)

describe("Recurrence", () => {
  it("a daily plan at 02:30 in Paris over 2026: one occurrence a day, the gap moved past, the repeat once", () => {
    const occurrences = year({
      recurrence: { type: "interval", every: 1, unit: "day" },
      startsOn: "2026-01-01",
      at: "02:30",
      timeZone: paris
    })
    const clocks = occurrences.map((o) => wallClock(o, paris))
    // One per local day, 366 consecutive days.
    for (let i = 1; i < clocks.length; i++)
      assert.strictEqual(dayIndex(clocks[i]!.date) - dayIndex(clocks[i - 1]!.date), 1, clocks[i]!.date)
    // Spring forward, 29 March 2026: 02:30 does not exist, it is 03:30 CEST (01:30 UTC).
    const spring = occurrences.find((o) => wallClock(o, paris).date === "2026-03-29")!
    assert.strictEqual(iso(spring), "2026-03-29T01:30:00.000Z")
    assert.strictEqual(wallClock(spring, paris).time, "03:30")
    // Fall back, 25 October 2026: 02:30 happens twice, taken once, at the first (00:30 UTC).
    const autumn = occurrences.filter((o) => wallClock(o, paris).date === "2026-10-25")
    assert.deepStrictEqual(autumn.map(iso), ["2026-10-25T00:30:00.000Z"])
    // Every other day keeps 02:30 on the clock, whatever the offset.
    assert.deepStrictEqual(
      clocks.filter((c) => c.date !== "2026-03-29").every((c) => c.time === "02:30"),
      true
    )
    // Winter 01:30 UTC, summer 00:30 UTC: the UTC hour changes with the offset, the clock does not.
    assert.strictEqual(iso(occurrences[0]!), "2026-01-01T01:30:00.000Z")
    assert.strictEqual(iso(occurrences[180]!), "2026-06-30T00:30:00.000Z")
  })

  it("monthly on the 31st clamps to each month's end without drifting", () => {
    const occurrences = Recurrence.upcoming(
      {
        recurrence: { type: "interval", every: 1, unit: "month" },
        startsOn: "2026-01-31",
        at: "09:00",
        timeZone: paris
      },
      utc("2026-01-01T00:00:00Z"),
      5
    )
    assert.deepStrictEqual(
      occurrences.map((o) => wallClock(o, paris).date),
      ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]
    )
  })

  it("interval plans: at the plan's wall-clock time (or just past a gap), evenly spaced in local days, increasing", () => {
    fc.assert(
      fc.property(
        arbDate,
        arbTime,
        arbZone,
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom("day" as const, "week" as const),
        (startsOn, at, timeZone, every, unit) => {
          const rule: Recurrence.Rule = {
            recurrence: { type: "interval", every, unit },
            startsOn,
            at,
            timeZone
          }
          const occurrences = Recurrence.upcoming(rule, utc("2024-06-01T00:00:00Z"), 60)
          const step = every * (unit === "week" ? 7 : 1)
          assert.strictEqual(wallClock(occurrences[0]!, timeZone).date, startsOn)
          for (const [i, occurrence] of occurrences.entries()) {
            const clock = wallClock(occurrence, timeZone)
            assert.strictEqual(dayIndex(clock.date), dayIndex(startsOn) + i * step)
            if (clock.time !== at) {
              // Only a spring-forward gap moves it, and then exactly by the gap (one hour here).
              const [h, m] = at.split(":").map(Number) as [number, number]
              const shifted = `${String(h + 1).padStart(2, "0")}:${String(m).padStart(2, "0")}`
              assert.strictEqual(clock.time, shifted, `${timeZone} ${clock.date}`)
            }
            if (i > 0) assert.isTrue(millis(occurrence) > millis(occurrences[i - 1]!))
          }
        }
      ),
      { numRuns: 200 }
    )
  }, 120_000)

  it("nextAtOrAfter is the first occurrence: none is skipped between an instant and its answer", () => {
    fc.assert(
      fc.property(
        arbDate,
        arbTime,
        arbZone,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom("day" as const, "week" as const, "month" as const),
        fc.integer({ min: 0, max: 300 * 86_400_000 }),
        (startsOn, at, timeZone, every, unit, offset) => {
          const rule: Recurrence.Rule = {
            recurrence: { type: "interval", every, unit },
            startsOn,
            at,
            timeZone
          }
          const all = Recurrence.upcoming(rule, utc("2024-01-01T00:00:00Z"), 500)
          const from = DateTime.makeUnsafe(Date.parse("2025-01-01T00:00:00Z") + offset)
          const expected = all.find((o) => millis(o) >= millis(from))!
          assert.strictEqual(iso(Recurrence.nextAtOrAfter(rule, from)), iso(expected))
        }
      ),
      { numRuns: 40 }
    )
  }, 120_000)

  it("cron plans over a simulated year in Paris: each occurrence matches, once, increasing, both DST changes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("30 2 * * *", "0 9 * * 1", "15 */6 * * *", "0 3 1 * *", "30 1 * * *"),
        arbDate,
        (expression, startsOn) => {
          const rule: Recurrence.Rule = {
            recurrence: { type: "cron", expression },
            startsOn,
            at: "00:00",
            timeZone: paris
          }
          const from = utc("2026-01-01T00:00:00Z")
          const to = utc("2027-01-01T00:00:00Z")
          const occurrences = Recurrence.between(rule, from, to, 2000)
          const cron = Cron.parseUnsafe(expression, paris)
          const first = Recurrence.instantOf(
            { year: +startsOn.slice(0, 4), month: +startsOn.slice(5, 7), day: +startsOn.slice(8) },
            "00:00",
            paris
          )
          for (const [i, occurrence] of occurrences.entries()) {
            assert.isTrue(millis(occurrence) >= millis(first))
            if (i > 0) assert.isTrue(millis(occurrence) > millis(occurrences[i - 1]!))
          }
          // The same as stepping the cron itself from the later of the year's start and the first day.
          const expected: Array<string> = []
          let cursor = new Date(Math.max(millis(from), millis(first)) - 1)
          while (true) {
            const next = Cron.next(cron, cursor)
            if (next.getTime() >= millis(to)) break
            expected.push(next.toISOString())
            cursor = next
          }
          assert.deepStrictEqual(occurrences.map(iso), expected)
        }
      ),
      { numRuns: 60 }
    )
    // 02:30 daily: on the spring-forward day in Paris the expression does not land twice, and
    // on the fall-back day 02:30 happens once.
    const daily = Recurrence.between(
      {
        recurrence: { type: "cron", expression: "30 2 * * *" },
        startsOn: "2026-01-01",
        at: "00:00",
        timeZone: paris
      },
      utc("2026-01-01T00:00:00Z"),
      utc("2027-01-01T00:00:00Z"),
      2000
    )
    const days = daily.map((o) => wallClock(o, paris).date)
    assert.strictEqual(new Set(days).size, days.length)
    assert.strictEqual(days.filter((d) => d === "2026-10-25").length, 1)
    assert.isTrue(daily.length >= 364)
  }, 120_000)

  it("schemas: dates, times, cron and recurrence refuse what is not one", () => {
    const ok = (schema: Schema.Top, value: unknown) =>
      Schema.decodeUnknownOption(schema as Schema.Codec<unknown>)(value)._tag === "Some"
    assert.isTrue(ok(Recurrence.LocalDate, "2026-02-28"))
    assert.isFalse(ok(Recurrence.LocalDate, "2026-02-30"))
    assert.isFalse(ok(Recurrence.LocalDate, "26-02-01"))
    assert.isTrue(ok(Recurrence.LocalTime, "23:59"))
    assert.isFalse(ok(Recurrence.LocalTime, "24:00"))
    assert.isTrue(ok(Recurrence.Recurrence, { type: "cron", expression: "0 9 * * 1" }))
    assert.isFalse(ok(Recurrence.Recurrence, { type: "cron", expression: "not a cron" }))
    assert.isFalse(ok(Recurrence.Recurrence, { type: "interval", every: 0, unit: "day" }))
    assert.isTrue(Recurrence.isTimeZone(paris))
    assert.isFalse(Recurrence.isTimeZone("Mars/Olympus"))
  })
})
