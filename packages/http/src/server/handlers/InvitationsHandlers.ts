/**
 * @since 0.1.0
 */

import { Invitations } from "@rota/core"
import type { DateTime } from "effect"
import { Effect, Layer, Redacted } from "effect"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

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
  readonly expiresAt: DateTime.Utc
  readonly acceptedAt: DateTime.Utc | null
  readonly revokedAt: DateTime.Utc | null
  readonly createdAt: DateTime.Utc
}) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  expiresAt: invitation.expiresAt,
  acceptedAt: invitation.acceptedAt,
  revokedAt: invitation.revokedAt,
  createdAt: invitation.createdAt
})

const invitationsHandlers = HandlerGroup.group(
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

const acceptHandlers = HandlerGroup.group(
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
