/**
 * The outbox transport that reaches people. A message standing for a secret link (a password
 * reset, an invitation to an organisation, an invitation to a mission) names its record and
 * nothing secret; here the link's token is signed again from that record, at delivery, and the
 * message goes to the person's {@link Mailbox} only. Every other message goes to the log.
 *
 * A link whose record was used, revoked or expired in the meantime is not sent: there is
 * nothing left for it to do.
 *
 * @since 0.1.0
 */
import { type Cause, DateTime, Effect, Layer, Option, Schema } from "effect"
import * as Assignments from "../crews/Assignments.ts"
import { AssignmentRepo } from "../crews/CrewRepos.ts"
import * as Auth from "../identity/Auth.ts"
import { AccountRepo, InvitationRepo, PasswordResetRepo } from "../identity/IdentityRepos.ts"
import * as Invitations from "../identity/Invitations.ts"
import type { TokenSigner } from "../identity/TokenSigner.ts"
import type { AccountId } from "../kernel/Ids.ts"
import { type Mail, Mailbox } from "../kernel/Mail.ts"
import { layerLogTransport, type OutboxMessage, OutboxTransport } from "../kernel/Outbox.ts"

const ResetPayload = Schema.Struct({ resetId: Schema.String })
const InvitationPayload = Schema.Struct({ invitationId: Schema.String })
const AssignmentPayload = Schema.Struct({
  assignmentId: Schema.String,
  title: Schema.String,
  startAt: Schema.String,
  endAt: Schema.String
})

/**
 * The topics whose messages stand for a secret link.
 *
 * @since 0.1.0
 * @category topics
 */
export const secretTopics: ReadonlySet<string> = new Set([
  Auth.resetRequestedTopic,
  Invitations.createdTopic,
  Assignments.invitedTopic
])

type Needs = TokenSigner | AccountRepo | PasswordResetRepo | InvitationRepo | AssignmentRepo

// A record gone missing means there is nothing to send.
const present = <A, R>(effect: Effect.Effect<Option.Option<A>, never, R>) =>
  Effect.flatMap(effect, (found) => Effect.fromOption(found))

const emailOf = (accountId: AccountId) =>
  Effect.map(
    Effect.flatMap(Effect.service(AccountRepo), (accounts) => accounts.findById(accountId)),
    (found) => Option.map(found, (account) => account.email)
  )

const resetMail = (message: OutboxMessage, at: DateTime.Utc) =>
  Effect.gen(function* () {
    const payload = yield* Effect.fromOption(Schema.decodeUnknownOption(ResetPayload)(message.payload))
    const reset = yield* present(
      Effect.flatMap(Effect.service(PasswordResetRepo), (resets) => resets.findOpen(payload.resetId, at))
    )
    const to = yield* present(emailOf(reset.accountId))
    const token = yield* Auth.resetToken(reset)
    return {
      to,
      subject: "Reset your Rota password",
      text: [
        "Someone asked to reset the password of your Rota account.",
        `To choose a new one, send POST /v1/auth/password-reset/confirm with this token, once, before ${DateTime.formatIso(reset.expiresAt)}:`,
        "",
        `Token: ${token}`,
        "",
        "If it was not you, ignore this message: your password stays as it is."
      ].join("\n")
    }
  })

const invitationMail = (message: OutboxMessage, at: DateTime.Utc) =>
  Effect.gen(function* () {
    const payload = yield* Effect.fromOption(Schema.decodeUnknownOption(InvitationPayload)(message.payload))
    const invitation = yield* present(
      Effect.flatMap(Effect.service(InvitationRepo), (invitations) => invitations.find(payload.invitationId))
    )
    if (
      invitation.acceptedAt !== null ||
      invitation.revokedAt !== null ||
      !DateTime.isGreaterThan(invitation.expiresAt, at)
    ) {
      return yield* Effect.fromOption(Option.none())
    }
    const token = yield* Invitations.invitationToken(invitation)
    return {
      to: invitation.email,
      subject: "You are invited to an organisation on Rota",
      text: [
        `You are invited to join an organisation on Rota as ${invitation.role}.`,
        `To accept, send POST /v1/invitations/accept with this token, once, before ${DateTime.formatIso(invitation.expiresAt)}:`,
        "",
        `Token: ${token}`
      ].join("\n")
    }
  })

const assignmentMail = (message: OutboxMessage, at: DateTime.Utc) =>
  Effect.gen(function* () {
    const payload = yield* Effect.fromOption(Schema.decodeUnknownOption(AssignmentPayload)(message.payload))
    const assignment = yield* present(
      Effect.flatMap(Effect.service(AssignmentRepo), (assignments) =>
        assignments.findAnywhere(payload.assignmentId)
      )
    )
    if (assignment.status !== "INVITED" || !DateTime.isGreaterThan(assignment.respondBy, at)) {
      return yield* Effect.fromOption(Option.none())
    }
    const to = yield* present(emailOf(assignment.accountId))
    const token = yield* Assignments.assignmentToken(assignment)
    return {
      to,
      subject: `You are invited to the mission "${payload.title}"`,
      text: [
        `You are invited to the mission "${payload.title}", from ${payload.startAt} to ${payload.endAt}.`,
        `To answer, send POST /v1/assignments/respond with this token and your decision, once, before ${DateTime.formatIso(assignment.respondBy)}:`,
        "",
        `Token: ${token}`
      ].join("\n")
    }
  })

type Composer = (
  message: OutboxMessage,
  at: DateTime.Utc
) => Effect.Effect<Omit<Mail, "id" | "topic">, Cause.NoSuchElementError, Needs>

const composers: Record<string, Composer> = {
  [Auth.resetRequestedTopic]: resetMail,
  [Invitations.createdTopic]: invitationMail,
  [Assignments.invitedTopic]: assignmentMail
}

/**
 * The mail a secret-link message becomes, its token signed now; none when the record it names
 * can no longer be used (or the message is not one of {@link secretTopics}).
 *
 * @since 0.1.0
 * @category delivery
 */
export const mailFor = (message: OutboxMessage): Effect.Effect<Option.Option<Mail>, never, Needs> =>
  Effect.gen(function* () {
    const at = yield* DateTime.now
    const compose = composers[message.topic]
    if (compose === undefined) return Option.none()
    const mail = yield* Effect.option(compose(message, at))
    return Option.map(mail, (fields): Mail => ({ id: message.id, topic: message.topic, ...fields }))
  })

/**
 * Secret-link messages to the mailbox, everything else to the log.
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
      deliver: Effect.fn("SecretLinkTransport.deliver")((message: OutboxMessage) =>
        secretTopics.has(message.topic)
          ? Effect.flatMap(Effect.provide(mailFor(message), context), (mail) =>
              (Option.isSome(mail)
                ? Effect.andThen(mailbox.send(mail.value), Effect.logInfo("outbox message mailed"))
                : Effect.logInfo("outbox message not sent: its link can no longer be used")
              ).pipe(Effect.annotateLogs({ topic: message.topic, messageId: message.id }))
            )
          : log.deliver(message)
      )
    })
  })
)
