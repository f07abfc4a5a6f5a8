/**
 * The waitlist entry state machine as data.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { InvalidTransition } from "../kernel/Errors.ts"
import type { WaitlistStatus } from "./WaitlistEntry.ts"

/**
 * @since 0.1.0
 * @category models
 */
export type Action = "offer" | "accept" | "decline" | "expire" | "cancel" | "refuse"

/**
 * @since 0.1.0
 * @category table
 */
export const transitions: Readonly<
  Record<Action, { readonly from: ReadonlyArray<WaitlistStatus>; readonly to: WaitlistStatus }>
> = {
  offer: { from: ["WAITING"], to: "OFFERED" },
  accept: { from: ["OFFERED"], to: "ACCEPTED" },
  decline: { from: ["OFFERED"], to: "DECLINED" },
  expire: { from: ["OFFERED"], to: "EXPIRED" },
  cancel: { from: ["WAITING", "OFFERED"], to: "CANCELLED" },
  refuse: { from: ["WAITING", "OFFERED"], to: "REFUSED" }
}

/**
 * The status `action` leads to, or `InvalidTransition` naming the reachable ones.
 *
 * @since 0.1.0
 * @category rules
 */
export const apply = (
  status: WaitlistStatus,
  action: Action
): Effect.Effect<WaitlistStatus, InvalidTransition> => {
  const rule = transitions[action]
  if (rule.from.includes(status)) return Effect.succeed(rule.to)
  const allowed = Object.values(transitions)
    .filter((candidate) => candidate.from.includes(status))
    .map((candidate) => candidate.to)
  return Effect.fail(
    new InvalidTransition({
      entity: "waitlist_entry",
      from: status,
      to: rule.to,
      allowed: [...new Set(allowed)]
    })
  )
}
