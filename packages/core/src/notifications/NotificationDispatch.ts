/**
 * The outbox transport that tells people: each message that stands for an event (see
 * `NotificationEvents`) is resolved to its recipients, then sent on each channel their
 * preferences allow. Every message is also logged (redacted), except secret links, which go
 * only to the mailbox.
 *
 * Each (message, recipient, channel) is delivered once, even when the message is delivered
 * again (a retry after a failed send, a lease that ran out, several servers): an in-app
 * notification is unique per message and account, and an email is sent only under a claim
 * in `DeliveryRepo`.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { AssignmentRepo } from "../crews/CrewRepos.ts"
import type { AccountRepo, InvitationRepo, PasswordResetRepo } from "../identity/IdentityRepos.ts"
import type { TokenSigner } from "../identity/TokenSigner.ts"
import { type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import { type Mail, Mailbox } from "../kernel/Mail.ts"
import { DeliveryFailed, layerLogTransport, type OutboxMessage, OutboxTransport } from "../kernel/Outbox.ts"
import { allows } from "../kernel/Permissions.ts"
import { Role } from "../kernel/Role.ts"
import { Notification, NotificationId } from "./Notification.ts"
import { type Audience, type Event, eventOf, secretKinds } from "./NotificationEvents.ts"
import { resolve } from "./NotificationPreferences.ts"
import {
  DeliveryRepo,
  NotificationDirectory,
  NotificationRepo,
  PreferenceRepo,
  type Recipient
} from "./NotificationRepos.ts"
import { render, toHtml } from "./NotificationTemplates.ts"
import * as SecretLinks from "./SecretLinks.ts"

/**
 * How long a server owns an email it claimed before another may send it instead.
 *
 * @since 0.1.0
 * @category constants
 */
export const claimDuration = Duration.seconds(60)

type Needs =
  | NotificationRepo
  | PreferenceRepo
  | DeliveryRepo
  | NotificationDirectory
  | Ids
  | TokenSigner
  | AccountRepo
  | PasswordResetRepo
  | InvitationRepo
  | AssignmentRepo

const rolesAllowing = (permission: Parameters<typeof allows>[1]) =>
  Role.literals.filter((role) => allows(role, permission))

// The audience as members of the event's organisation, with facts the payload lacked.
const recipientsOf = (orgId: OrgId, audience: Audience) =>
  Effect.gen(function* () {
    const directory = yield* NotificationDirectory
    switch (audience._tag) {
      case "Account":
        return { recipients: yield* directory.members(orgId, [audience.accountId]), facts: {} }
      case "Accounts":
        return { recipients: yield* directory.members(orgId, audience.accountIds), facts: {} }
      case "Permitted":
        return {
          recipients: yield* directory.withRoles(orgId, rolesAllowing(audience.permission)),
          facts: {}
        }
      case "AccountsAndPermitted": {
        const named = yield* directory.members(orgId, audience.accountIds)
        const permitted = yield* directory.withRoles(orgId, rolesAllowing(audience.permission))
        const seen = new Set(named.map((recipient) => recipient.accountId))
        return {
          recipients: [...named, ...permitted.filter((recipient) => !seen.has(recipient.accountId))],
          facts: {}
        }
      }
      case "InterventionClient": {
        const found = yield* directory.intervention(orgId, audience.interventionId)
        if (Option.isNone(found)) return { recipients: [], facts: {} }
        const { clientId, number, title } = found.value
        return {
          recipients: clientId === null ? [] : yield* directory.members(orgId, [clientId]),
          facts: { number, title }
        }
      }
      case "Address":
      case "LinkHolder":
        return { recipients: [] as ReadonlyArray<Recipient>, facts: {} }
    }
  })

/**
 * Sends one email under a claim on (message, recipient, email); answers the failure, if any,
 * after giving the claim back.
 *
 * @since 0.1.0
 * @category delivery
 */
export const sendOnce = (mailbox: Mailbox["Service"], messageId: string, recipient: string, mail: Mail) =>
  Effect.gen(function* () {
    const deliveries = yield* DeliveryRepo
    const now = yield* DateTime.now
    const claimed = yield* deliveries.claim(
      messageId,
      recipient,
      "email",
      now,
      DateTime.addDuration(now, claimDuration)
    )
    if (!claimed) return Option.none<DeliveryFailed>()
    return yield* mailbox.send(mail).pipe(
      Effect.andThen(
        Effect.flatMap(DateTime.now, (at) => deliveries.markSent(messageId, recipient, "email", at))
      ),
      Effect.as(Option.none<DeliveryFailed>()),
      Effect.catch((error) =>
        Effect.as(deliveries.release(messageId, recipient, "email"), Option.some(error))
      )
    )
  })

const deliverEvent = (mailbox: Mailbox["Service"], message: OutboxMessage, event: Event) =>
  Effect.gen(function* () {
    const failures: Array<DeliveryFailed> = []
    const secret = secretKinds.has(event.kind)
    if (secret) {
      // The link is signed now, from its record; a used or expired one is not sent.
      const mail = yield* SecretLinks.mailFor(message)
      if (Option.isSome(mail)) {
        const html = toHtml(mail.value.subject, mail.value.text)
        const failed = yield* sendOnce(mailbox, message.id, mail.value.to, { ...mail.value, html })
        if (Option.isSome(failed)) failures.push(failed.value)
        else yield* Effect.logInfo("outbox message mailed")
      } else {
        yield* Effect.logInfo("outbox message not sent: its link can no longer be used")
      }
    }
    const orgId = message.orgId
    if (orgId === null) return failures
    const { recipients, facts } = yield* recipientsOf(orgId, event.audience)
    if (recipients.length === 0) return failures
    const allFacts = { ...event.facts, ...facts }
    const { title, text } = render(event.kind, allFacts)
    const preferences = yield* PreferenceRepo
    const inbox = yield* NotificationRepo
    const defaults = yield* preferences.defaults(orgId)
    for (const recipient of recipients) {
      const own = yield* preferences.own(orgId, recipient.accountId)
      if (resolve(event.kind, "in_app", defaults, own).enabled) {
        yield* inbox.insert(
          new Notification({
            id: yield* nextId(NotificationId),
            orgId,
            accountId: recipient.accountId,
            event: event.kind,
            title,
            body: text,
            subjectType: event.subjectType,
            subjectId: event.subjectId,
            createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis),
            readAt: null
          }),
          message.id
        )
      }
      // A secret link's email was sent above, with its token.
      if (!secret && resolve(event.kind, "email", defaults, own).enabled) {
        const failed = yield* sendOnce(mailbox, message.id, recipient.accountId, {
          id: `${message.id}-${recipient.accountId}`,
          topic: message.topic,
          to: recipient.email,
          subject: title,
          text,
          html: toHtml(title, text)
        })
        if (Option.isSome(failed)) failures.push(failed.value)
      }
    }
    return failures
  }).pipe(Effect.annotateLogs({ topic: message.topic, messageId: message.id, event: event.kind }))

/**
 * Delivers a message to the people it concerns; fails (to be retried) when an email could not
 * be sent, after delivering everything else.
 *
 * @since 0.1.0
 * @category delivery
 */
export const deliver = (
  mailbox: Mailbox["Service"],
  message: OutboxMessage
): Effect.Effect<void, DeliveryFailed, Needs> =>
  Effect.gen(function* () {
    const event = eventOf(message)
    if (Option.isNone(event)) return
    const failures = yield* deliverEvent(mailbox, message, event.value)
    if (failures.length > 0)
      return yield* new DeliveryFailed({ reason: failures.map((failure) => failure.reason).join("; ") })
  })

/**
 * Notifications to people, and every message that holds no secret to the log.
 *
 * @since 0.1.0
 * @category transports
 */
export const layerTransport: Layer.Layer<OutboxTransport, never, Mailbox | Needs> = Layer.effect(
  OutboxTransport,
  Effect.gen(function* () {
    const mailbox = yield* Mailbox
    const log = yield* Effect.provide(Effect.service(OutboxTransport), layerLogTransport)
    const context = yield* Effect.context<Needs>()
    return OutboxTransport.of({
      deliver: Effect.fn("NotificationTransport.deliver")((message: OutboxMessage) =>
        Effect.andThen(
          SecretLinks.secretTopics.has(message.topic) ? Effect.void : log.deliver(message),
          Effect.provide(deliver(mailbox, message), context)
        )
      )
    })
  })
)
