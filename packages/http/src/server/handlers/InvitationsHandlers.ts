/**
 * @since 0.1.0
 */
import { Invitations } from "@rota/core"
import { DateTime, Effect, Layer, Redacted } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"

/**
 * An invitation as its org sees it: what was typed, and its state.
 *
 * @since 0.1.0
 * @category views
 */
export const view = (invitation: {
  readonly id: string
  readonly email: string
  readonly role: "owner" | "admin" | "manager" | "technician" | "member"
  readonly expiresAt: Date
  readonly acceptedAt: Date | null
  readonly revokedAt: Date | null
  readonly createdAt: Date
}) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  expiresAt: DateTime.fromDateUnsafe(invitation.expiresAt),
  acceptedAt: invitation.acceptedAt === null ? null : DateTime.fromDateUnsafe(invitation.acceptedAt),
  revokedAt: invitation.revokedAt === null ? null : DateTime.fromDateUnsafe(invitation.revokedAt),
  createdAt: DateTime.fromDateUnsafe(invitation.createdAt)
})

const invitationsHandlers = HttpApiBuilder.group(
  Api,
  "invitations",
  Effect.fn(function* (handlers) {
    const invitations = yield* Invitations.Invitations
    return handlers
      .handle("create", ({ payload }) =>
        toProblems(
          // The token goes to the address only: whoever holds it could accept in its name.
          Effect.map(invitations.create(payload), ({ invitation }) => ({ invitation: view(invitation) }))
        )
      )
      .handle("list", () => toProblems(Effect.map(invitations.list, (items) => ({ items: items.map(view) }))))
      .handle("revoke", ({ params }) => toProblems(invitations.revoke(params.id)))
  })
)

const acceptHandlers = HttpApiBuilder.group(
  Api,
  "invitationAccept",
  Effect.fn(function* (handlers) {
    const invitations = yield* Invitations.Invitations
    return handlers.handle("accept", ({ payload }) =>
      toProblems(
        invitations.accept({
          ...payload,
          password: payload.password === undefined ? undefined : Redacted.make(payload.password)
        })
      )
    )
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(invitationsHandlers, acceptHandlers)
