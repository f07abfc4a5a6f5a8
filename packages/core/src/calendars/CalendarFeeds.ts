/**
 * The calendar feeds use case: a person subscribes to their own time, a manager to anyone's or
 * a resource's; the secret URL's token is answered once; the public feed reads the subject's
 * claims on the ledger over a bounded window.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import { AccountRepo, MembershipRepo } from "../identity/IdentityRepos.ts"
import { TokenSigner } from "../identity/TokenSigner.ts"
import { ResourceRepo, UnitRepo, unitsOf } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { type Forbidden, NotFound, type ValidationFailed } from "../kernel/Errors.ts"
import { type AccountId, type Ids, nextId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Ledger, type Subject } from "../ledger/Ledger.ts"
import {
  bookingEntries,
  byStart,
  type CalendarEntry,
  CalendarFeed,
  CalendarFeedId,
  entriesOf,
  type FeedKind,
  sameDigest,
  windowAround
} from "./CalendarFeed.ts"
import { CalendarFeedRepo } from "./CalendarFeedRepo.ts"

/**
 * A new feed and its token, in clear: the one answer that carries it.
 *
 * @since 0.1.0
 * @category models
 */
export interface WithToken {
  readonly feed: CalendarFeed
  readonly token: Redacted.Redacted<string>
}

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

/**
 * The topics of the feeds' outbox messages (they name the feed, never its token).
 *
 * @since 0.1.0
 * @category topics
 */
export const createdTopic = "calendar_feed.created"
/** @since 0.1.0 @category topics */
export const revokedTopic = "calendar_feed.revoked"

/**
 * @since 0.1.0
 * @category services
 */
export class CalendarFeeds extends Context.Service<
  CalendarFeeds,
  {
    readonly create: (request: {
      readonly kind: FeedKind
      readonly subjectId: string
    }) => Effect.Effect<WithToken, Forbidden | NotFound, CurrentActor>
    /** Managers see the org's live feeds, others their own. */
    readonly list: (page: PageRequest) => Effect.Effect<Page<CalendarFeed>, ValidationFailed, CurrentActor>
    /** The caller's own feed, or any of the org's for `calendar.manage`. */
    readonly get: (id: string) => Effect.Effect<CalendarFeed, NotFound, CurrentActor>
    /** The URL stops answering at once. */
    readonly revoke: (id: string) => Effect.Effect<void, NotFound, CurrentActor>
    /** The feed of `token`, without a session: an unknown or revoked token is `NotFound`. */
    readonly serve: (token: string) => Effect.Effect<Served, NotFound>
  }
>()("@rota/core/calendars/CalendarFeeds") {}

const entity = "calendar_feed"

type Needs =
  | CalendarFeedRepo
  | TokenSigner
  | MembershipRepo
  | AccountRepo
  | ResourceRepo
  | UnitRepo
  | Ledger
  | BookingRepo

// A person's own bookings read for their feed, page by page, at most this many.
const maxBookings = 500

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CalendarFeeds, never, Needs | Transactor | AuditLog | Outbox.Outbox | Ids> =
  Layer.effect(
    CalendarFeeds,
    Effect.gen(function* () {
      const repo = yield* CalendarFeedRepo
      const signer = yield* TokenSigner
      const members = yield* MembershipRepo
      const accounts = yield* AccountRepo
      const resources = yield* ResourceRepo
      const units = yield* UnitRepo
      const ledger = yield* Ledger
      const bookings = yield* BookingRepo
      const transactor = yield* Transactor
      const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

      // Another person's time, or a resource's, is a manager's to share; one's own is one's own.
      const mayServe = (kind: FeedKind, subjectId: string) =>
        Effect.flatMap(CurrentActor, (actor) =>
          kind === "person" && subjectId === actor.accountId
            ? Effect.void
            : Permissions.require("calendar.manage")
        )

      const subjectExists = (kind: FeedKind, subjectId: string) =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const found =
            kind === "person"
              ? Option.isSome(yield* members.find(actor.orgId, subjectId as AccountId))
              : Option.isSome(yield* resources.find(actor.orgId, subjectId))
          if (!found) return yield* new NotFound({ entity: kind, id: subjectId })
        })

      const create = Effect.fn("CalendarFeeds.create")(function* (request: {
        readonly kind: FeedKind
        readonly subjectId: string
      }) {
        yield* mayServe(request.kind, request.subjectId)
        yield* subjectExists(request.kind, request.subjectId)
        const actor = yield* CurrentActor
        const secret = yield* signer.opaque
        const feed = new CalendarFeed({
          id: yield* Effect.provide(nextId(CalendarFeedId), context),
          orgId: actor.orgId,
          kind: request.kind,
          subjectId: request.subjectId,
          createdBy: actor.accountId,
          createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
        })
        yield* transactor
          .withTransaction(
            Effect.gen(function* () {
              yield* repo.insert(feed, secret.hash)
              yield* ChangeRecord.record(
                { entityType: entity, entityId: feed.id, action: "CREATE", after: feed },
                {
                  orgId: feed.orgId,
                  topic: createdTopic,
                  payload: { feedId: feed.id, kind: feed.kind, subjectId: feed.subjectId }
                }
              )
            })
          )
          .pipe(Effect.provide(context))
        return { feed, token: Redacted.make(secret.token) }
      })

      const list = Effect.fn("CalendarFeeds.list")(function* (page: PageRequest) {
        const actor = yield* CurrentActor
        const all = Permissions.allows(actor, "calendar.manage")
        return yield* repo.list(actor.orgId, page, all ? undefined : actor.accountId)
      })

      const get = Effect.fn("CalendarFeeds.get")(function* (id: string) {
        const actor = yield* CurrentActor
        const found = yield* repo.find(actor.orgId, id)
        if (Option.isNone(found)) return yield* new NotFound({ entity, id })
        // Someone else's feed is a manager's to see; to anyone else it does not exist.
        if (found.value.createdBy !== actor.accountId && !Permissions.allows(actor, "calendar.manage"))
          return yield* new NotFound({ entity, id })
        return found.value
      })

      const revoke = Effect.fn("CalendarFeeds.revoke")(function* (id: string) {
        const actor = yield* CurrentActor
        const feed = yield* get(id)
        const at = yield* Clock.currentTimeMillis
        yield* transactor
          .withTransaction(
            Effect.gen(function* () {
              if (!(yield* repo.revoke(actor.orgId, id, new Date(at))))
                return yield* new NotFound({ entity, id })
              yield* ChangeRecord.record(
                { entityType: entity, entityId: feed.id, action: "SOFT_DELETE", before: feed },
                { orgId: feed.orgId, topic: revokedTopic, payload: { feedId: feed.id } }
              )
            })
          )
          .pipe(Effect.provide(context))
      })

      const subjectsOf = (feed: CalendarFeed) =>
        Effect.gen(function* () {
          if (feed.kind === "person") {
            const account = yield* accounts.findById(feed.subjectId as AccountId)
            const subjects: Array<Subject> = [{ type: "person", id: feed.subjectId }]
            const name = Option.match(account, { onNone: () => "Person", onSome: (a) => a.fullName })
            return { name, subjects, labels: new Map<string, string>() }
          }
          const resource = yield* resources.find(feed.orgId, feed.subjectId)
          const list = yield* unitsOf(units, feed.orgId, feed.subjectId as ResourceId)
          return {
            name: Option.match(resource, { onNone: () => "Resource", onSome: (r) => r.name }),
            subjects: list.map((unit): Subject => ({ type: "unit", id: unit.id })),
            labels: new Map(list.map((unit) => [unit.id as string, unit.barcode as string]))
          }
        })

      // The bookings a person asked for that still stand (or happened), overlapping the window.
      const bookingsOf = (
        feed: CalendarFeed,
        window: { readonly startAt: DateTime.Utc; readonly endAt: DateTime.Utc }
      ) =>
        Effect.gen(function* () {
          const found: Array<Booking> = []
          let cursor: string | undefined
          do {
            const page = yield* bookings.list(feed.orgId, {
              limit: 100,
              cursor,
              filters: {
                requesterId: feed.subjectId as AccountId,
                statuses: ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE", "RETURNED"],
                from: DateTime.toDateUtc(window.startAt),
                to: DateTime.toDateUtc(window.endAt)
              }
            })
            found.push(...page.items)
            cursor = page.nextCursor ?? undefined
          } while (cursor !== undefined && found.length < maxBookings)
          return found
        }).pipe(Effect.orDie)

      const serve = Effect.fn("CalendarFeeds.serve")(function* (token: string) {
        const hash = signer.hashOpaque(token)
        const stored = yield* repo.findByTokenHash(hash)
        if (Option.isNone(stored) || !sameDigest(stored.value.tokenHash, hash))
          return yield* new NotFound({ entity, id: "token" })
        const feed = stored.value.feed
        const { name, subjects, labels } = yield* subjectsOf(feed)
        const now = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
        const allocations =
          subjects.length === 0 ? [] : yield* ledger.activeFor(feed.orgId, subjects, windowAround(now))
        const label = labels.size > 1 ? (id: string) => labels.get(id) : undefined
        const own =
          feed.kind === "person"
            ? bookingEntries(yield* bookingsOf(feed, windowAround(now)), feed.subjectId)
            : []
        return { feed, name, entries: [...entriesOf(allocations, label), ...own].sort(byStart) }
      })

      return CalendarFeeds.of({ create, list, get, revoke, serve })
    })
  )
