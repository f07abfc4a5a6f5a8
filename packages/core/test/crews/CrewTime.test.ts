import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import { checkPeriod, minutesOf, within } from "../../src/crews/CrewTime.ts"
import { at } from "../../src/testing/CrewFixtures.ts"

// The crew time rules CrewRules leaves out: bounds set on one side only, the exact edges, and
// how partial minutes count.
const interval = (start: number, end: number) => ({ startAt: at(start), endAt: at(end) })

describe("crew time", () => {
  it("a project bound applies only on the side it is set, and its own instant is inside", () => {
    const fromNoon = { startsAt: at(12), endsAt: null }
    assert.isTrue(within(interval(12, 1000), fromNoon), "starting exactly at the project's start")
    assert.isFalse(within(interval(11, 13), fromNoon), "starting an hour before it")
    const untilNoon = { startsAt: null, endsAt: at(12) }
    assert.isTrue(within(interval(-1000, 12), untilNoon), "ending exactly at the project's end")
    assert.isFalse(within(interval(11, 13), untilNoon), "ending an hour after it")
  })

  it("a period's end must be after its start, and the refusal names the end under the path given", () => {
    const problem = checkPeriod(at(3), at(2), ["body", "missions", 4])
    assert.deepStrictEqual(problem?.errors, [
      { path: ["body", "missions", 4, "endAt"], message: "must be after startAt" }
    ])
    assert.isDefined(checkPeriod(at(2), at(2)), "an empty period is no period")
  })

  it("work is counted in whole minutes: a started minute does not count", () => {
    const start = at(0)
    const plus = (millis: number) => DateTime.makeUnsafe(DateTime.toEpochMillis(start) + millis)
    assert.strictEqual(minutesOf({ startAt: start, endAt: plus(59_999) }), 0)
    assert.strictEqual(minutesOf({ startAt: start, endAt: plus(90 * 60_000 + 30_000) }), 90)
    assert.strictEqual(minutesOf(interval(0, 25)), 25 * 60)
  })
})
