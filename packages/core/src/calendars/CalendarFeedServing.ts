/**
 * Serving a feed from its secret URL, without a session: the subject's claims on the ledger over
 * a bounded window, and for a person their own bookings.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import { unitsOf } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import { NotFound } from "../kernel/Errors.ts"
import type { AccountId } from "../kernel/Ids.ts"
import type { Subject } from "../ledger/Ledger.ts"
import {
  bookingEntries,
  byStart,
  type CalendarEntry,
  type CalendarFeed,
  entriesOf,
  sameDigest,
  windowAround
} from "./CalendarFeed.ts"
import { type Deps, entity } from "./CalendarFeedSteps.ts"

/**
 * What a feed serves: its name and its entries in the window.
 *
 * @since 0.1.0
 * @category models
 */
export interface Served {
  readonly feed: CalendarFeed
  readonly name: string
  readonly entries: ReadonlyArray<CalendarEntry>
}

// A person's own bookings read for their feed, page by page, at most this many.
const maxBookings = 500

const subjectsOf = (deps: Deps, feed: CalendarFeed) =>
  Effect.gen(function* () {
    if (feed.kind === "person") {
      const account = yield* deps.accounts.findById(feed.subjectId as AccountId)
      const subjects: Array<Subject> = [{ type: "person", id: feed.subjectId }]
      const name = Option.match(account, { onNone: () => "Person", onSome: (a) => a.fullName })
      return { name, subjects, labels: new Map<string, string>() }
    }
    const resource = yield* deps.resources.find(feed.orgId, feed.subjectId)
    const list = yield* unitsOf(deps.units, feed.orgId, feed.subjectId as ResourceId)
    return {
      name: Option.match(resource, { onNone: () => "Resource", onSome: (r) => r.name }),
      subjects: list.map((unit): Subject => ({ type: "unit", id: unit.id })),
      labels: new Map(list.map((unit) => [unit.id as string, unit.barcode as string]))
    }
  })

// The bookings a person asked for that still stand (or happened), overlapping the window.
const bookingsOf = (
  deps: Deps,
  feed: CalendarFeed,
  window: { readonly startAt: DateTime.Utc; readonly endAt: DateTime.Utc }
) =>
  Effect.gen(function* () {
    const found: Array<Booking> = []
    let cursor: string | undefined
    do {
      const page = yield* deps.bookings.list(feed.orgId, {
        limit: 100,
        cursor,
        filters: {
          requesterId: feed.subjectId as AccountId,
          statuses: ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE", "RETURNED"],
          from: window.startAt,
          to: window.endAt
        }
      })
      found.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined && found.length < maxBookings)
    return found
  }).pipe(Effect.orDie)

/**
 * The feed of `token`: an unknown or revoked token is `NotFound`.
 *
 * @since 0.1.0
 * @category steps
 */
export const serve = (deps: Deps) =>
  Effect.fnUntraced(function* (token: string) {
    const hash = deps.signer.hashOpaque(token)
    const stored = yield* deps.repo.findByTokenHash(hash)
    if (Option.isNone(stored) || !sameDigest(stored.value.tokenHash, hash))
      return yield* new NotFound({ entity, id: "token" })
    const feed = stored.value.feed
    const { name, subjects, labels } = yield* subjectsOf(deps, feed)
    const now = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
    const allocations =
      subjects.length === 0 ? [] : yield* deps.ledger.activeFor(feed.orgId, subjects, windowAround(now))
    const label = labels.size > 1 ? (id: string) => labels.get(id) : undefined
    const own =
      feed.kind === "person"
        ? bookingEntries(yield* bookingsOf(deps, feed, windowAround(now)), feed.subjectId)
        : []
    return { feed, name, entries: [...entriesOf(allocations, label), ...own].sort(byStart) }
  })
