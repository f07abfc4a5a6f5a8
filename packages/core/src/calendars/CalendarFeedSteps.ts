/**
 * The steps of the calendar feeds use case that act for the caller: what it works with, who may
 * subscribe to what, and making, reading and revoking feeds.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option, Redacted } from "effect"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import { AccountRepo, MembershipRepo } from "../identity/IdentityRepos.ts"
import { TokenSigner } from "../identity/TokenSigner.ts"
import { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { NotFound } from "../kernel/Errors.ts"
import { type AccountId, type Ids, nextId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Ledger } from "../ledger/Ledger.ts"
import { CalendarFeed, CalendarFeedId, type FeedKind } from "./CalendarFeed.ts"
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
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    repo: yield* CalendarFeedRepo,
    signer: yield* TokenSigner,
    members: yield* MembershipRepo,
    accounts: yield* AccountRepo,
    resources: yield* ResourceRepo,
    units: yield* UnitRepo,
    ledger: yield* Ledger,
    bookings: yield* BookingRepo,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

/**
 * @since 0.1.0
 * @category rules
 */
export const entity = "calendar_feed"

// Another person's time, or a resource's, is a manager's to share; one's own is one's own.
const mayServe = (kind: FeedKind, subjectId: string) =>
  Effect.flatMap(CurrentActor, (actor) =>
    kind === "person" && subjectId === actor.accountId ? Effect.void : Permissions.require("calendar.manage")
  )

const subjectExists = (deps: Deps, kind: FeedKind, subjectId: string) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    const found =
      kind === "person"
        ? Option.isSome(yield* deps.members.find(actor.orgId, subjectId as AccountId))
        : Option.isSome(yield* deps.resources.find(actor.orgId, subjectId))
    if (!found) return yield* new NotFound({ entity: kind, id: subjectId })
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (request: { readonly kind: FeedKind; readonly subjectId: string }) {
    yield* mayServe(request.kind, request.subjectId)
    yield* subjectExists(deps, request.kind, request.subjectId)
    const actor = yield* CurrentActor
    const secret = yield* deps.signer.opaque
    const feed = new CalendarFeed({
      id: yield* Effect.provide(nextId(CalendarFeedId), deps.context),
      orgId: actor.orgId,
      kind: request.kind,
      subjectId: request.subjectId,
      createdBy: actor.accountId,
      createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
    })
    yield* deps.transactor
      .withTransaction(
        Effect.gen(function* () {
          yield* deps.repo.insert(feed, secret.hash)
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
      .pipe(Effect.provide(deps.context))
    return { feed, token: Redacted.make(secret.token) }
  })

/**
 * Managers see the org's live feeds, others their own.
 *
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (page: PageRequest) {
    const actor = yield* CurrentActor
    const all = Permissions.allows(actor, "calendar.manage")
    return yield* deps.repo.list(actor.orgId, page, all ? undefined : actor.accountId)
  })

/**
 * The caller's own feed, or any of the org's for `calendar.manage`.
 *
 * @since 0.1.0
 * @category steps
 */
export const get = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    const actor = yield* CurrentActor
    const found = yield* deps.repo.find(actor.orgId, id)
    if (Option.isNone(found)) return yield* new NotFound({ entity, id })
    // Someone else's feed is a manager's to see; to anyone else it does not exist.
    if (found.value.createdBy !== actor.accountId && !Permissions.allows(actor, "calendar.manage"))
      return yield* new NotFound({ entity, id })
    return found.value
  })

/**
 * The URL stops answering at once.
 *
 * @since 0.1.0
 * @category steps
 */
export const revoke = (
  deps: Deps,
  read: (id: string) => Effect.Effect<CalendarFeed, NotFound, CurrentActor>
) =>
  Effect.fnUntraced(function* (id: string) {
    const actor = yield* CurrentActor
    const feed = yield* read(id)
    const at = yield* Clock.currentTimeMillis
    yield* deps.transactor
      .withTransaction(
        Effect.gen(function* () {
          if (!(yield* deps.repo.revoke(actor.orgId, id, DateTime.makeUnsafe(at))))
            return yield* new NotFound({ entity, id })
          yield* ChangeRecord.record(
            { entityType: entity, entityId: feed.id, action: "SOFT_DELETE", before: feed },
            { orgId: feed.orgId, topic: revokedTopic, payload: { feedId: feed.id } }
          )
        })
      )
      .pipe(Effect.provide(deps.context))
  })
