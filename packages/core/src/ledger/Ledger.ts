/**
 * The time ledger: every claim on time, of a resource unit or a person, is an allocation, and
 * two active allocations of the same subject never overlap. Bookings, waitlist offers, crew
 * assignments and interventions all claim time here, so one rule keeps things and people from
 * being in two places at once, whatever claimed them. Approved leave claims its person's time
 * too, so nothing can be scheduled over it.
 *
 * @since 0.1.0
 */
import { Array as Arr, Context, DateTime, type Effect, Order, Schema } from "effect"
import { type Clash, Conflict } from "../kernel/Errors.ts"
import { type Ids, OrgId, Uuid } from "../kernel/Ids.ts"
import { Interval, overlaps } from "./Interval.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const AllocationId = Uuid.pipe(Schema.brand("AllocationId"))
/** @since 0.1.0 @category ids */
export type AllocationId = typeof AllocationId.Type

/**
 * Whose time is claimed: a resource unit or a person.
 *
 * @since 0.1.0
 * @category models
 */
export const Subject = Schema.Struct({
  type: Schema.Literals(["unit", "person"]),
  id: Uuid
})
/** @since 0.1.0 @category models */
export type Subject = typeof Subject.Type

/**
 * What claimed the time: a booking item, a held waitlist offer, an accepted crew assignment, a
 * scheduled intervention (its assignees and its unit), approved leave (an `UNAVAILABLE`
 * availability window) or a blackout (a closure of units). Releasing the source frees all of its
 * time.
 *
 * @since 0.1.0
 * @category models
 */
export const Source = Schema.Struct({
  type: Schema.Literals(["booking", "waitlist_offer", "assignment", "intervention", "leave", "blackout"]),
  id: Uuid
})
/** @since 0.1.0 @category models */
export type Source = typeof Source.Type

/**
 * One request for time, as passed to {@link Ledger} `claim`.
 *
 * @since 0.1.0
 * @category models
 */
export const Claim = Schema.Struct({
  subject: Subject,
  interval: Interval,
  source: Source
})
/** @since 0.1.0 @category models */
export type Claim = typeof Claim.Type

/**
 * A claim the ledger holds. Released allocations stay, inactive, as history.
 *
 * @since 0.1.0
 * @category models
 */
export class Allocation extends Schema.Class<Allocation>("@rota/core/ledger/Allocation")({
  id: AllocationId,
  orgId: OrgId,
  subject: Subject,
  interval: Interval,
  source: Source,
  active: Schema.Boolean
}) {}

/**
 * @since 0.1.0
 * @category rules
 */
export const sameSubject = (a: Subject, b: Subject): boolean => a.type === b.type && a.id === b.id

/**
 * @since 0.1.0
 * @category rules
 */
export const sameSource = (a: Source, b: Source): boolean => a.type === b.type && a.id === b.id

const toClash = (subject: Subject, interval: Interval): Clash => ({
  subjectType: subject.type,
  subjectId: subject.id,
  startAt: interval.startAt,
  endAt: interval.endAt
})

const ClashOrder: Order.Order<Clash> = Order.Struct({
  subjectType: Order.String,
  subjectId: Order.String,
  startAt: DateTime.Order,
  endAt: DateTime.Order
})

const report = (clashes: ReadonlyArray<Clash>): Array<Clash> =>
  Arr.sort(
    Arr.dedupeWith(clashes, (a, b) => ClashOrder(a, b) === 0),
    ClashOrder
  )

const collides = (a: { readonly subject: Subject; readonly interval: Interval }, b: Claim): boolean =>
  sameSubject(a.subject, b.subject) && overlaps(a.interval, b.interval)

/**
 * The existing allocations the claims would overlap, each named once, ordered by subject and
 * time. Inactive allocations claim nothing.
 *
 * @since 0.1.0
 * @category rules
 */
export const clashesWith = (
  existing: ReadonlyArray<Allocation>,
  claims: ReadonlyArray<Claim>
): Array<Clash> =>
  report(
    existing
      .filter((allocation) => allocation.active && claims.some((claim) => collides(allocation, claim)))
      .map((allocation) => toClash(allocation.subject, allocation.interval))
  )

/**
 * Claims of one request that overlap each other on the same subject: each later claim reports
 * the earlier one it would overlap, as if that one were already held.
 *
 * @since 0.1.0
 * @category rules
 */
export const clashesWithin = (claims: ReadonlyArray<Claim>): Array<Clash> =>
  report(
    claims.flatMap((claim, index) =>
      claims
        .slice(0, index)
        .filter((earlier) => collides(earlier, claim))
        .map((earlier) => toClash(earlier.subject, earlier.interval))
    )
  )

/**
 * The conflict to fail with, if any clash was found.
 *
 * @since 0.1.0
 * @category rules
 */
export const conflictOf = (clashes: ReadonlyArray<Clash>): Conflict | undefined =>
  clashes.length === 0 ? undefined : new Conflict({ conflicts: clashes })

/**
 * The ledger of allocations. Every method joins the caller's transaction when there is one, and a
 * refused claim leaves that transaction usable.
 *
 * @since 0.1.0
 * @category services
 */
export class Ledger extends Context.Service<
  Ledger,
  {
    /**
     * Claims all the intervals or none. Fails with `Conflict` naming every active allocation in
     * the way, or the request's own claims that overlap each other.
     */
    readonly claim: (
      orgId: OrgId,
      claims: ReadonlyArray<Claim>
    ) => Effect.Effect<ReadonlyArray<Allocation>, Conflict, Ids>
    /** Frees the time of the source's active allocations; answers how many. */
    readonly release: (orgId: OrgId, source: Source) => Effect.Effect<number>
    /**
     * Moves every active allocation of the source, each keeping its subject, to `interval`: the
     * old time is released and the new claimed at once, or, on `Conflict`, nothing changes. The
     * source's own old time never clashes with its new time. Answers the new allocations.
     */
    readonly move: (
      orgId: OrgId,
      source: Source,
      interval: Interval
    ) => Effect.Effect<ReadonlyArray<Allocation>, Conflict, Ids>
    /**
     * The active allocations of the subjects that overlap `window`, ordered by subject and start.
     */
    readonly activeFor: (
      orgId: OrgId,
      subjects: ReadonlyArray<Subject>,
      window: Interval
    ) => Effect.Effect<ReadonlyArray<Allocation>>
    /**
     * Every active allocation of the org overlapping `window`, ordered by subject and start, at
     * most `limit`: the planning view's read.
     */
    readonly activeIn: (
      orgId: OrgId,
      window: Interval,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Allocation>>
  }
>()("@rota/core/ledger/Ledger") {}
