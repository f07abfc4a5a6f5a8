import { assert, describe, it } from "@effect/vitest"
import { CalendarFeed, Ids, Ledger } from "@rota/core"
import { DateTime } from "effect"

const org = Ids.OrgId.make("018f0000-0000-7000-8000-000000000001")
const unitA = "018f0000-0000-7000-8000-00000000000a"
const unitB = "018f0000-0000-7000-8000-00000000000b"
const source = "018f0000-0000-7000-8000-0000000000f1"

const allocation = (
  subjectId: string,
  type: Ledger.Source["type"],
  start: string,
  end: string,
  id = "018f0000-0000-7000-8000-000000000100"
) =>
  new Ledger.Allocation({
    id: Ledger.AllocationId.make(id),
    orgId: org,
    subject: { type: "unit", id: Ids.Uuid.make(subjectId) },
    interval: { startAt: DateTime.makeUnsafe(start), endAt: DateTime.makeUnsafe(end) },
    source: { type, id: Ids.Uuid.make(source) },
    active: true
  })

describe("calendar feed rules", () => {
  it("one entry per subject of a claim, by start, with a UID that survives a move", () => {
    const before = CalendarFeed.entriesOf(
      [
        allocation(unitB, "booking", "2030-01-02T10:00:00Z", "2030-01-02T12:00:00Z"),
        allocation(unitA, "booking", "2030-01-01T10:00:00Z", "2030-01-01T12:00:00Z")
      ],
      (id) => (id === unitA ? "A-1" : "B-1")
    )
    assert.deepStrictEqual(
      before.map((entry) => [entry.summary, DateTime.formatIso(entry.startAt)]),
      [
        ["Booking: A-1", "2030-01-01T10:00:00.000Z"],
        ["Booking: B-1", "2030-01-02T10:00:00.000Z"]
      ]
    )
    // Moved, the claim is a new allocation of the same source: the UID stays.
    const moved = CalendarFeed.entriesOf([
      allocation(
        unitA,
        "booking",
        "2030-01-05T10:00:00Z",
        "2030-01-05T12:00:00Z",
        "018f0000-0000-7000-8000-000000000200"
      )
    ])
    assert.strictEqual(moved[0]!.uid, before[0]!.uid)
    assert.notStrictEqual(before[0]!.uid, before[1]!.uid)
  })

  it("held waitlist offers are not calendar events", () => {
    assert.deepStrictEqual(
      CalendarFeed.entriesOf([
        allocation(unitA, "waitlist_offer", "2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z")
      ]),
      []
    )
  })

  it("the window is 30 days back and 180 ahead", () => {
    const window = CalendarFeed.windowAround(DateTime.makeUnsafe("2030-06-01T00:00:00Z"))
    assert.strictEqual(DateTime.formatIso(window.startAt), "2030-05-02T00:00:00.000Z")
    assert.strictEqual(DateTime.formatIso(window.endAt), "2030-11-28T00:00:00.000Z")
  })

  it("digests compare equal only when identical", () => {
    assert.isTrue(CalendarFeed.sameDigest("abc123", "abc123"))
    assert.isFalse(CalendarFeed.sameDigest("abc123", "abc124"))
    assert.isFalse(CalendarFeed.sameDigest("abc123", "abc12"))
  })
})
