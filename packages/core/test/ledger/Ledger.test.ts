import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import { Ids, type Interval, Ledger } from "../../src/index.ts"

const hours = (from: number, to: number): Interval.Interval => ({
  startAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1, from)),
  endAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1, to))
})
const orgId = Ids.OrgId.make("018f0000-0000-7000-8000-000000000000")
const unitA: Ledger.Subject = { type: "unit", id: "018f0000-0000-7000-8000-00000000000a" }
const unitB: Ledger.Subject = { type: "unit", id: "018f0000-0000-7000-8000-00000000000b" }
const personA: Ledger.Subject = { type: "person", id: unitA.id }
const source: Ledger.Source = { type: "booking", id: "018f0000-0000-7000-8000-000000000001" }

let counter = 0
const allocation = (subject: Ledger.Subject, interval: Interval.Interval, active = true) =>
  Ledger.Allocation.make({
    id: Ledger.AllocationId.make(`018f0000-0000-7000-8000-${String(++counter).padStart(12, "0")}`),
    orgId,
    subject,
    interval,
    source,
    active
  })
const clash = (subject: Ledger.Subject, interval: Interval.Interval) => ({
  subjectType: subject.type,
  subjectId: subject.id,
  ...interval
})

describe("Ledger rules", () => {
  it("names each active allocation of the same subject that a claim overlaps, once, in order", () => {
    const existing = [
      allocation(unitA, hours(12, 13)),
      allocation(unitA, hours(9, 11)),
      allocation(unitA, hours(11, 12), false),
      allocation(unitB, hours(10, 11)),
      allocation(personA, hours(10, 11)),
      allocation(unitA, hours(13, 14))
    ]
    const claims = [
      { subject: unitA, interval: hours(10, 13), source },
      { subject: unitA, interval: hours(10, 12), source }
    ]
    assert.deepStrictEqual(Ledger.clashesWith(existing, claims), [
      clash(unitA, hours(9, 11)),
      clash(unitA, hours(12, 13))
    ])
  })

  it("claims of one request clash when they overlap on the same subject, and only then", () => {
    assert.deepStrictEqual(
      Ledger.clashesWithin([
        { subject: unitA, interval: hours(10, 12), source },
        { subject: unitB, interval: hours(10, 12), source },
        { subject: unitA, interval: hours(12, 13), source },
        { subject: unitA, interval: hours(11, 13), source }
      ]),
      [clash(unitA, hours(10, 12)), clash(unitA, hours(12, 13))]
    )
    assert.deepStrictEqual(
      Ledger.clashesWithin([
        { subject: unitA, interval: hours(10, 12), source },
        { subject: personA, interval: hours(10, 12), source }
      ]),
      []
    )
  })

  it("a conflict exists only when something clashes", () => {
    assert.strictEqual(Ledger.conflictOf([]), undefined)
    assert.deepStrictEqual(Ledger.conflictOf([clash(unitA, hours(1, 2))])?.conflicts, [
      clash(unitA, hours(1, 2))
    ])
  })
})
