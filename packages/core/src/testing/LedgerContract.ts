/**
 * The contract of every `Ledger` adapter.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import type { Clash } from "../kernel/Errors.ts"
import { type Ids, nextId, OrgId, Uuid } from "../kernel/Ids.ts"
import type { Interval } from "../ledger/Interval.ts"
import * as Ledger from "../ledger/Ledger.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"

const day = Date.UTC(2030, 0, 1)
/** `[from, to)` in hours of one day, so intervals read like a diary. */
const hours = (from: number, to: number): Interval => ({
  startAt: DateTime.makeUnsafe(day + from * 3_600_000),
  endAt: DateTime.makeUnsafe(day + to * 3_600_000)
})

const freshId = nextId(Uuid)
const unit = Effect.map(freshId, (id): Ledger.Subject => ({ type: "unit", id }))
const booking = Effect.map(freshId, (id): Ledger.Source => ({ type: "booking", id }))

const clash = (subject: Ledger.Subject, interval: Interval): Clash => ({
  subjectType: subject.type,
  subjectId: subject.id,
  startAt: interval.startAt,
  endAt: interval.endAt
})

/** Claims one interval for one subject under a new source. */
const claimOne = (orgId: OrgId, subject: Ledger.Subject, interval: Interval) =>
  Effect.gen(function* () {
    const ledger = yield* Ledger.Ledger
    return yield* ledger.claim(orgId, [{ subject, interval, source: yield* booking }])
  })

const idsOf = (allocations: ReadonlyArray<Ledger.Allocation>) =>
  allocations.map((allocation) => allocation.id)

/**
 * @since 0.1.0
 * @category suites
 */
export const LedgerContract: ContractSuite<Ledger.Ledger | Ids> = {
  name: "Ledger",
  cases: [
    {
      name: "a claim answers active allocations carrying the claim",
      run: Effect.gen(function* () {
        const orgId = yield* nextId(OrgId)
        const subject = yield* unit
        const source = yield* booking
        const [allocation] = yield* (yield* Ledger.Ledger).claim(orgId, [
          { subject, interval: hours(10, 12), source }
        ])
        yield* expectEqual(
          allocation === undefined
            ? undefined
            : {
                orgId: allocation.orgId,
                subject: allocation.subject,
                source: allocation.source,
                active: allocation.active
              },
          { orgId, subject, source, active: true },
          "the allocation"
        )
        yield* expectEqual(allocation?.interval, hours(10, 12), "its interval")
      })
    },
    {
      name: "refuses a claim that overlaps an active one, naming the subject and the existing intervals",
      run: Effect.gen(function* () {
        const orgId = yield* nextId(OrgId)
        const subject = yield* unit
        yield* claimOne(orgId, subject, hours(10, 11))
        yield* claimOne(orgId, subject, hours(11, 12))
        const error = yield* Effect.flip(claimOne(orgId, subject, hours(10.5, 11.5)))
        yield* expectEqual(error._tag, "Conflict", "the error")
        yield* expectEqual(
          error.conflicts,
          [clash(subject, hours(10, 11)), clash(subject, hours(11, 12))],
          "the clashes"
        )
        const inside = yield* Effect.flip(claimOne(orgId, subject, hours(10.25, 10.75)))
        yield* expectEqual(
          inside.conflicts,
          [clash(subject, hours(10, 11))],
          "a claim inside an existing one"
        )
      })
    },
    {
      name: "accepts back-to-back claims, since intervals are half-open",
      run: Effect.gen(function* () {
        const orgId = yield* nextId(OrgId)
        const subject = yield* unit
        yield* claimOne(orgId, subject, hours(10, 11))
        yield* claimOne(orgId, subject, hours(11, 12))
        yield* claimOne(orgId, subject, hours(9, 10))
        const active = yield* (yield* Ledger.Ledger).activeFor(orgId, [subject], hours(0, 24))
        yield* expectEqual(active.length, 3, "active allocations")
      })
    },
    {
      name: "the same interval is free for another subject, a person, and another org",
      run: Effect.gen(function* () {
        const orgId = yield* nextId(OrgId)
        const subject = yield* unit
        yield* claimOne(orgId, subject, hours(10, 12))
        yield* claimOne(orgId, yield* unit, hours(10, 12))
        yield* claimOne(orgId, { type: "person", id: subject.id }, hours(10, 12))
        yield* claimOne(yield* nextId(OrgId), subject, hours(10, 12))
      })
    },
    {
      name: "release frees the source's time and answers how many it released",
      run: Effect.gen(function* () {
        const ledger = yield* Ledger.Ledger
        const orgId = yield* nextId(OrgId)
        const [a, b] = [yield* unit, yield* unit]
        const source = yield* booking
        const other = yield* claimOne(orgId, a, hours(8, 9))
        yield* ledger.claim(orgId, [
          { subject: a, interval: hours(10, 12), source },
          { subject: b, interval: hours(10, 12), source }
        ])
        yield* expectEqual(yield* ledger.release(orgId, source), 2, "released")
        yield* expectEqual(yield* ledger.release(orgId, source), 0, "released again")
        yield* expectEqual(
          idsOf(yield* ledger.activeFor(orgId, [a, b], hours(0, 24))),
          idsOf(other),
          "still active"
        )
        yield* claimOne(orgId, a, hours(10, 12))
        yield* claimOne(orgId, b, hours(11, 12))
      })
    },
    {
      name: "a claim of several is all-or-nothing: one clash stores none",
      run: Effect.gen(function* () {
        const ledger = yield* Ledger.Ledger
        const orgId = yield* nextId(OrgId)
        const [a, b] = [yield* unit, yield* unit]
        yield* claimOne(orgId, a, hours(10, 12))
        const source = yield* booking
        const error = yield* Effect.flip(
          ledger.claim(orgId, [
            { subject: b, interval: hours(10, 12), source },
            { subject: a, interval: hours(11, 13), source }
          ])
        )
        yield* expectEqual(error.conflicts, [clash(a, hours(10, 12))], "the clashes")
        yield* expectEqual((yield* ledger.activeFor(orgId, [b], hours(0, 24))).length, 0, "stored for b")
      })
    },
    {
      name: "refuses two claims in one call that overlap each other, storing neither",
      run: Effect.gen(function* () {
        const ledger = yield* Ledger.Ledger
        const orgId = yield* nextId(OrgId)
        const subject = yield* unit
        const source = yield* booking
        const error = yield* Effect.flip(
          ledger.claim(orgId, [
            { subject, interval: hours(10, 12), source },
            { subject, interval: hours(11, 13), source }
          ])
        )
        yield* expectEqual(error.conflicts, [clash(subject, hours(10, 12))], "the clashes")
        yield* expectEqual((yield* ledger.activeFor(orgId, [subject], hours(0, 24))).length, 0, "stored")
      })
    },
    {
      name: "activeFor answers exactly the active allocations of the subjects that overlap the window",
      run: Effect.gen(function* () {
        const ledger = yield* Ledger.Ledger
        const orgId = yield* nextId(OrgId)
        const [a, b, c] = [yield* unit, yield* unit, yield* unit]
        yield* claimOne(orgId, a, hours(8, 9))
        const [overlapping] = yield* claimOne(orgId, a, hours(9, 10))
        const released = yield* booking
        yield* ledger.claim(orgId, [{ subject: a, interval: hours(10, 11), source: released }])
        yield* ledger.release(orgId, released)
        yield* claimOne(orgId, a, hours(11, 12))
        const [ofB] = yield* claimOne(orgId, b, hours(10, 11))
        yield* claimOne(orgId, c, hours(10, 11))
        yield* claimOne(yield* nextId(OrgId), a, hours(10, 11))
        const found = yield* ledger.activeFor(orgId, [a, b], hours(9.5, 11))
        yield* expectEqual(
          [...idsOf(found)].sort(),
          [overlapping?.id, ofB?.id].sort(),
          "allocations in the window"
        )
        yield* expectEqual(yield* ledger.activeFor(orgId, [], hours(0, 24)), [], "no subjects")
      })
    },
    {
      name: "move re-claims a source's time at once, and on conflict keeps the old time",
      run: Effect.gen(function* () {
        const ledger = yield* Ledger.Ledger
        const orgId = yield* nextId(OrgId)
        const subject = yield* unit
        const source = yield* booking
        const [old] = yield* ledger.claim(orgId, [{ subject, interval: hours(10, 11), source }])
        yield* claimOne(orgId, subject, hours(12, 13))
        // The source's own old time is not in the way: only the other allocation is named.
        const error = yield* Effect.flip(ledger.move(orgId, source, hours(10.5, 12.5)))
        yield* expectEqual(error.conflicts, [clash(subject, hours(12, 13))], "the clashes")
        yield* expectEqual(
          idsOf(yield* ledger.activeFor(orgId, [subject], hours(10, 11))),
          [old?.id],
          "the old time after a refused move"
        )
        // Overlapping its own old time is no clash either: the move releases the old time.
        const moved = yield* ledger.move(orgId, source, hours(10.5, 11.5))
        yield* expectEqual(
          moved.map((allocation) => [allocation.subject, allocation.interval, allocation.source]),
          [[subject, hours(10.5, 11.5), source]],
          "the moved allocation"
        )
        yield* expectEqual(
          idsOf(yield* ledger.activeFor(orgId, [subject], hours(0, 12))),
          idsOf(moved),
          "active after the move"
        )
        yield* expectEqual(
          yield* ledger.move(orgId, yield* booking, hours(1, 2)),
          [],
          "a source with no time"
        )
      })
    }
  ]
}
