/**
 * Routes about a person's own account and session (who am I, my organisations, a new
 * organisation, my password, log out): an API key acts for its organisation under its scopes,
 * never as the person who made it, so these answer it 403.
 *
 * @since 0.1.0
 */
import { RequestContext } from "@rota/core"
import { Effect } from "effect"
import * as Problems from "../../api/Problems.ts"
import { CurrentAccount } from "../../api/Security.ts"

const detail = "An API key acts for its organisation, not as a person: sign in to use this route."

/**
 * Runs `effect` for a signed-in person; an API key is refused with 403 `forbidden`.
 *
 * @since 0.1.0
 * @category guards
 */
export const personOnly = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | Problems.Forbidden, R | CurrentAccount> =>
  Effect.flatMap(
    Effect.service(CurrentAccount),
    (account): Effect.Effect<A, E | Problems.Forbidden, R> =>
      account.apiKey === undefined
        ? effect
        : Effect.flatMap(Effect.service(RequestContext.CurrentRequestId), (requestId) =>
            Effect.fail(new Problems.Forbidden({ requestId, detail }))
          )
  )
