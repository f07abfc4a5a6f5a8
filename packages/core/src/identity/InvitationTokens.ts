/**
 * An invitation's link: the signed token it carries and the outbox topic that sends it.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { InvitationRecord } from "./IdentityRepos.ts"
import { TokenSigner } from "./TokenSigner.ts"

/**
 * The purpose an invitation's token is signed for.
 *
 * @since 0.1.0
 * @category tokens
 */
export const purpose = "invitation"

/**
 * The outbox topic of a new invitation; its payload names the invitation, never its token.
 *
 * @since 0.1.0
 * @category topics
 */
export const createdTopic = "invitation.created"

/**
 * The token of an invitation's link, signed over what the invitation row stores, so the
 * deliverer signs it again from the row and no copy of it is kept.
 *
 * @since 0.1.0
 * @category tokens
 */
export const invitationToken = (invitation: InvitationRecord): Effect.Effect<string, never, TokenSigner> =>
  Effect.flatMap(Effect.service(TokenSigner), (signer) =>
    signer.signPurpose({
      purpose,
      subject: invitation.email,
      id: invitation.id,
      expiresAt: invitation.expiresAt
    })
  )
