/**
 * Invitation links to assignments: what their tokens are for, how long they work, the token of
 * an assignment's link and the topic that announces it.
 *
 * @since 0.1.0
 */
import { Duration, Effect } from "effect"
import { TokenSigner } from "../identity/TokenSigner.ts"
import type { Assignment } from "./Assignment.ts"

/** What an invitation link is for: a token for anything else never answers an assignment. */
export const purpose = "assignment-response"

/**
 * The outbox topic of an invitation to a mission; its payload names the assignment, never the
 * link's token.
 *
 * @since 0.1.0
 * @category topics
 */
export const invitedTopic = "assignment.invited"

/**
 * The token of an assignment's invitation link, signed over what the assignment row stores, so
 * the deliverer signs it again from the row and no copy of it is kept.
 *
 * @since 0.1.0
 * @category tokens
 */
export const assignmentToken = (assignment: Assignment): Effect.Effect<string, never, TokenSigner> =>
  Effect.flatMap(Effect.service(TokenSigner), (signer) =>
    signer.signPurpose({
      purpose,
      subject: assignment.accountId,
      id: assignment.id,
      expiresAt: assignment.respondBy
    })
  )

/** How long an invitation link works, unless the mission starts sooner. */
export const linkTtl = Duration.days(7)

/**
 * A new assignment and the token of its invitation link.
 *
 * @since 0.1.0
 * @category models
 */
export interface Invited {
  readonly assignment: Assignment
  readonly token: string
}
