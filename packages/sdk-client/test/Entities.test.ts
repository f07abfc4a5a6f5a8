/**
 * The exported entity and id types are real types (neither `any` nor `never`), checked by the
 * package's type-check; the id constructors brand UUIDs and refuse anything else.
 */
import { assert, describe, it } from "@effect/vitest"
import type {
  AccountId,
  AuditEvent,
  Booking,
  BookingId,
  Document,
  Member,
  OrgId,
  PartUse,
  RateProfile,
  Resource,
  TimelineEvent,
  WaitlistEntry
} from "../src/index.ts"
import { Ids } from "../src/index.ts"
import type { Wire } from "../src/lite.ts"

type IsAny<T> = 0 extends 1 & T ? true : false
type IsNever<T> = [T] extends [never] ? true : false
type Real<T> = IsAny<T> extends true ? false : IsNever<T> extends true ? false : true

const real: ReadonlyArray<true> = [
  true satisfies Real<Booking>,
  true satisfies Real<Resource>,
  true satisfies Real<Member>,
  true satisfies Real<AuditEvent>,
  true satisfies Real<Document>,
  true satisfies Real<PartUse>,
  true satisfies Real<TimelineEvent>,
  true satisfies Real<WaitlistEntry>,
  true satisfies Real<RateProfile>,
  true satisfies Real<BookingId>,
  true satisfies Real<OrgId>,
  true satisfies Real<AccountId>
]

// Fields keep their types: a booking's purpose is a string, its times ISO strings on the wire.
const purpose = (booking: Booking): string => booking.purpose
const startAt = (booking: Wire<Booking>): string => booking.startAt

describe("entity types and ids", () => {
  it("brands a UUID as an entity id and refuses other strings", () => {
    assert.strictEqual(real.length, 12)
    assert.isFunction(purpose)
    assert.isFunction(startAt)
    const id: BookingId = Ids.bookingId("0190a4e2-7c1a-7cc4-9a5b-3f2f6a0c4d12")
    assert.strictEqual(id, "0190a4e2-7c1a-7cc4-9a5b-3f2f6a0c4d12")
    assert.throws(() => Ids.bookingId("0190a4e2"), TypeError, "not a booking id")
    assert.throws(() => Ids.orgId(""), TypeError)
  })
})
