/**
 * The change feed use case: integrators read what changed in their org since a cursor, to sync
 * without receiving webhooks.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import { ChangeLog, type ChangePage, type ChangeLog as Log } from "./Change.ts"
import type { Forbidden, ValidationFailed } from "./Errors.ts"
import * as Permissions from "./Permissions.ts"
import { CurrentActor } from "./RequestContext.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class ChangeFeed extends Context.Service<
  ChangeFeed,
  {
    /** Up to `limit` changes after `since` (from the start without it), oldest first. */
    readonly list: (
      since: string | undefined,
      limit: number
    ) => Effect.Effect<ChangePage, Forbidden | ValidationFailed, CurrentActor>
  }
>()("@rota/core/ChangeFeed") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ChangeFeed, never, Log> = Layer.effect(
  ChangeFeed,
  Effect.gen(function* () {
    const log = yield* ChangeLog
    const list = Effect.fn("ChangeFeed.list")(function* (since: string | undefined, limit: number) {
      yield* Permissions.require("changes.read")
      return yield* log.after((yield* CurrentActor).orgId, since, limit)
    })
    return ChangeFeed.of({ list })
  })
)
