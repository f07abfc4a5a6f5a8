/**
 * The notifications use case: an account reads its in-app notifications and marks them read,
 * and sets which channels of which events reach it; admins set the organisation's defaults.
 * Everything is scoped to the caller's account in the caller's organisation.
 *
 * Marking read changes only the reader's own view, so it is not audited; preference changes are.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import { type Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Notification, NotificationFilters } from "./Notification.ts"
import {
  type EffectiveSetting,
  resolveAll,
  type SettingChange,
  unsettable
} from "./NotificationPreferences.ts"
import { NotificationRepo, PreferenceRepo } from "./NotificationRepos.ts"

// Every member may read their own notifications.
const read: Permissions.Permission = "org.read"
const setDefaults: Permissions.Permission = "org.update"

/**
 * @since 0.1.0
 * @category services
 */
export class Inbox extends Context.Service<
  Inbox,
  {
    readonly list: (
      filters: NotificationFilters,
      page: PageRequest
    ) => Effect.Effect<Page<Notification>, Forbidden | ValidationFailed, CurrentActor>
    readonly unreadCount: Effect.Effect<number, Forbidden, CurrentActor>
    readonly markRead: (id: string) => Effect.Effect<Notification, Forbidden | NotFound, CurrentActor>
    /** Answers how many were unread. */
    readonly markAllRead: Effect.Effect<number, Forbidden, CurrentActor>
    /** The caller's switches, resolved. */
    readonly preferences: Effect.Effect<ReadonlyArray<EffectiveSetting>, Forbidden, CurrentActor>
    readonly setPreferences: (
      changes: ReadonlyArray<SettingChange>
    ) => Effect.Effect<ReadonlyArray<EffectiveSetting>, Forbidden | ValidationFailed, CurrentActor>
    /** The organisation's defaults, resolved (as a member who set nothing sees them). */
    readonly orgDefaults: Effect.Effect<ReadonlyArray<EffectiveSetting>, Forbidden, CurrentActor>
    readonly setOrgDefaults: (
      changes: ReadonlyArray<SettingChange>
    ) => Effect.Effect<ReadonlyArray<EffectiveSetting>, Forbidden | ValidationFailed, CurrentActor>
  }
>()("@rota/core/notifications/Inbox") {}

const checkSettable = (changes: ReadonlyArray<SettingChange>) => {
  const refused = unsettable(changes)
  return refused.length === 0
    ? Effect.void
    : Effect.fail(
        new ValidationFailed({
          errors: refused.map((index) => ({
            path: ["body", "items", index],
            message: "This channel of this event cannot be switched"
          }))
        })
      )
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Inbox,
  never,
  NotificationRepo | PreferenceRepo | Transactor | AuditLog | Ids
> = Layer.effect(
  Inbox,
  Effect.gen(function* () {
    const notifications = yield* NotificationRepo
    const preferences = yield* PreferenceRepo
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Ids>()

    const actor = (permission: Permissions.Permission) =>
      Effect.andThen(Permissions.require(permission), Effect.service(CurrentActor))

    const mine = Effect.gen(function* () {
      const { orgId, accountId } = yield* actor(read)
      return resolveAll(yield* preferences.defaults(orgId), yield* preferences.own(orgId, accountId))
    })

    const defaults = Effect.gen(function* () {
      const { orgId } = yield* actor(read)
      return resolveAll(yield* preferences.defaults(orgId), [])
    })

    return Inbox.of({
      list: Effect.fn("Inbox.list")(function* (filters, page) {
        const { orgId, accountId } = yield* actor(read)
        return yield* notifications.list(orgId, accountId, filters, page)
      }),
      unreadCount: Effect.gen(function* () {
        const { orgId, accountId } = yield* actor(read)
        return yield* notifications.countUnread(orgId, accountId)
      }).pipe(Effect.withSpan("Inbox.unreadCount")),
      markRead: Effect.fn("Inbox.markRead")(function* (id) {
        const { orgId, accountId } = yield* actor(read)
        const at = yield* DateTime.now
        const found = yield* notifications.markRead(orgId, accountId, id, at)
        if (Option.isNone(found)) return yield* new NotFound({ entity: "notification", id })
        return found.value
      }),
      markAllRead: Effect.gen(function* () {
        const { orgId, accountId } = yield* actor(read)
        return yield* notifications.markAllRead(orgId, accountId, yield* DateTime.now)
      }).pipe(Effect.withSpan("Inbox.markAllRead")),
      preferences: mine,
      setPreferences: Effect.fn("Inbox.setPreferences")(function* (changes) {
        const { orgId, accountId } = yield* actor(read)
        yield* checkSettable(changes)
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* preferences.own(orgId, accountId)
            yield* preferences.apply(orgId, accountId, changes)
            yield* Audit.record({
              entityType: "notification_preferences",
              entityId: accountId,
              action: "UPDATE",
              before,
              after: yield* preferences.own(orgId, accountId)
            })
          }).pipe(Effect.provide(context))
        )
        return yield* mine
      }),
      orgDefaults: defaults,
      setOrgDefaults: Effect.fn("Inbox.setOrgDefaults")(function* (changes) {
        const { orgId } = yield* actor(setDefaults)
        yield* checkSettable(changes)
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* preferences.defaults(orgId)
            yield* preferences.apply(orgId, null, changes)
            yield* Audit.record({
              entityType: "notification_preferences",
              entityId: orgId,
              action: "UPDATE",
              before,
              after: yield* preferences.defaults(orgId)
            })
          }).pipe(Effect.provide(context))
        )
        return yield* defaults
      })
    })
  })
)
