import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as Inbox from "../../src/notifications/Inbox.ts"
import { Notification, NotificationId } from "../../src/notifications/Notification.ts"
import type { EffectiveSetting, SettingChange } from "../../src/notifications/NotificationPreferences.ts"
import { NotificationRepo } from "../../src/notifications/NotificationRepos.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as } from "../support/UseCases.ts"

// The inbox on the memory adapters: an account's own notifications, and the switches that say
// which events reach it, over its org's defaults.
const memory = Inbox.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

/** A new org and an actor of each role given in it. */
const orgWith = (...roles: ReadonlyArray<Role>) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* Fixtures.org()
    return yield* Effect.forEach(roles, (role) =>
      Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))
    )
  })

/** A notification told to the actor in `orgId` (their own org unless given) at minute `minute`. */
const told = (actor: Actor, minute: number, orgId: OrgId = actor.orgId) =>
  Effect.gen(function* () {
    const notification = new Notification({
      id: yield* nextId(NotificationId),
      orgId,
      accountId: actor.accountId,
      event: "booking.approved",
      title: `Booking approved (${minute})`,
      body: "Your booking was approved.",
      subjectType: "booking",
      subjectId: `booking-${minute}`,
      createdAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1, 8, minute)),
      readAt: null
    })
    yield* (yield* NotificationRepo).insert(notification, yield* nextId(AccountId))
    return notification
  })

const titles = (page: { readonly items: ReadonlyArray<Notification> }) => page.items.map((n) => n.title)

/** The resolved switch of a kind's channel. */
const switchOf = (settings: ReadonlyArray<EffectiveSetting>, event: string, channel: string) => {
  const found = settings.find((setting) => setting.event === event && setting.channel === channel)
  return found === undefined ? undefined : [found.enabled, found.source]
}

const approvedEmail = (enabled: boolean | null): SettingChange => ({
  event: "booking.approved",
  channel: "email",
  enabled
})

const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

layer(memory, { excludeTestServices: true })("Inbox on memory storage", (it) => {
  it.effect("an account reads its own notifications in this org, newest first, and counts the unread", () =>
    Effect.gen(function* () {
      const inbox = yield* Inbox.Inbox
      const [me, colleague] = yield* orgWith("member", "technician")
      const [elsewhere] = yield* orgWith("owner")
      yield* told(me!, 1)
      yield* told(me!, 2)
      yield* told(colleague!, 3)
      yield* told(me!, 4, elsewhere!.orgId)
      const mine = yield* as(me!, inbox.list({}, { limit: 10 }))
      assert.deepStrictEqual(titles(mine), ["Booking approved (2)", "Booking approved (1)"])
      assert.strictEqual(yield* as(me!, inbox.unreadCount), 2)
      const paged = yield* as(me!, inbox.list({}, { limit: 1 }))
      const next = yield* as(me!, inbox.list({}, { limit: 1, cursor: paged.nextCursor ?? undefined }))
      assert.deepStrictEqual([...titles(paged), ...titles(next)], titles(mine))
    })
  )

  it.effect("marking read changes only the reader's own; someone else's notification is not found", () =>
    Effect.gen(function* () {
      const inbox = yield* Inbox.Inbox
      const [me, colleague] = yield* orgWith("member", "member")
      const first = yield* told(me!, 1)
      yield* told(me!, 2)
      assert.strictEqual(yield* tagOf(as(colleague!, inbox.markRead(first.id))), "NotFound")
      const read = yield* as(me!, inbox.markRead(first.id))
      assert.isNotNull(read.readAt)
      assert.strictEqual(yield* as(me!, inbox.unreadCount), 1)
      assert.deepStrictEqual(titles(yield* as(me!, inbox.list({ unread: true }, { limit: 10 }))), [
        "Booking approved (2)"
      ])
      assert.strictEqual(yield* as(me!, inbox.markAllRead), 1)
      assert.deepStrictEqual([yield* as(me!, inbox.unreadCount), yield* as(me!, inbox.markAllRead)], [0, 0])
      const unknown = yield* nextId(NotificationId)
      assert.strictEqual(yield* tagOf(as(me!, inbox.markRead(unknown))), "NotFound")
    })
  )

  it.effect("a switch not set follows the org's default, else is on; setting null gives it back", () =>
    Effect.gen(function* () {
      const inbox = yield* Inbox.Inbox
      const [admin, member] = yield* orgWith("admin", "member")
      assert.deepStrictEqual(switchOf(yield* as(member!, inbox.preferences), "booking.approved", "email"), [
        true,
        "default"
      ])
      const defaults = yield* as(admin!, inbox.setOrgDefaults([approvedEmail(false)]))
      assert.deepStrictEqual(switchOf(defaults, "booking.approved", "email"), [false, "org"])
      const email = (settings: ReadonlyArray<EffectiveSetting>) =>
        switchOf(settings, "booking.approved", "email")
      assert.deepStrictEqual(email(yield* as(member!, inbox.preferences)), [false, "org"])
      assert.deepStrictEqual(email(yield* as(member!, inbox.setPreferences([approvedEmail(true)]))), [
        true,
        "account"
      ])
      assert.deepStrictEqual(email(yield* as(admin!, inbox.preferences)), [false, "org"])
      assert.deepStrictEqual(email(yield* as(member!, inbox.setPreferences([approvedEmail(null)]))), [
        false,
        "org"
      ])
      const inApp = switchOf(yield* as(member!, inbox.preferences), "booking.approved", "in_app")
      assert.deepStrictEqual(inApp, [true, "default"])
    })
  )

  it.effect("a secret link's email cannot be switched off, nor a channel its kind does not use", () =>
    Effect.gen(function* () {
      const inbox = yield* Inbox.Inbox
      const [member] = yield* orgWith("member")
      const refused = yield* Effect.flip(
        as(
          member!,
          inbox.setPreferences([
            approvedEmail(false),
            { event: "password_reset", channel: "email", enabled: false },
            { event: "invitation", channel: "in_app", enabled: true }
          ])
        )
      )
      assert.strictEqual(refused._tag, "ValidationFailed")
      assert.deepStrictEqual(
        refused._tag === "ValidationFailed" ? refused.errors.map((issue) => issue.path) : [],
        [
          ["body", "items", 1],
          ["body", "items", 2]
        ]
      )
      const settings = yield* as(member!, inbox.preferences)
      assert.deepStrictEqual(switchOf(settings, "password_reset", "email"), [true, "mandatory"])
      // Nothing of a refused change is kept, not even its valid part.
      assert.deepStrictEqual(switchOf(settings, "booking.approved", "email"), [true, "default"])
    })
  )

  it.effect("only admins set the org's defaults, and every preference change is audited", () =>
    Effect.gen(function* () {
      const inbox = yield* Inbox.Inbox
      const [admin, manager] = yield* orgWith("admin", "manager")
      const refused = yield* Effect.flip(as(manager!, inbox.setOrgDefaults([approvedEmail(false)])))
      assert.deepStrictEqual(
        [refused._tag, refused._tag === "Forbidden" && refused.permission],
        ["Forbidden", "org.update"]
      )
      yield* as(manager!, inbox.setPreferences([approvedEmail(false)]))
      yield* as(admin!, inbox.setOrgDefaults([approvedEmail(false)]))
      yield* as(manager!, inbox.markAllRead)
      const events = yield* (yield* AuditLog).list(admin!.orgId, { limit: 10 })
      assert.sameDeepMembers(
        events.items.map((event) => [event.entityType, event.entityId, event.actorId]),
        [
          ["notification_preferences", manager!.accountId, manager!.accountId],
          ["notification_preferences", admin!.orgId, admin!.accountId]
        ]
      )
    })
  )

  it.effect("an account's switches and its org's defaults are each org's own", () =>
    Effect.gen(function* () {
      const inbox = yield* Inbox.Inbox
      const [here] = yield* orgWith("admin")
      const [there] = yield* orgWith("admin")
      const sameAccountThere = new Actor({ ...there!, accountId: here!.accountId })
      yield* as(here!, inbox.setPreferences([approvedEmail(false)]))
      yield* as(here!, inbox.setOrgDefaults([{ event: "fine.issued", channel: "in_app", enabled: false }]))
      const settings = yield* as(sameAccountThere, inbox.preferences)
      assert.deepStrictEqual(switchOf(settings, "booking.approved", "email"), [true, "default"])
      assert.deepStrictEqual(switchOf(settings, "fine.issued", "in_app"), [true, "default"])
    })
  )
})
