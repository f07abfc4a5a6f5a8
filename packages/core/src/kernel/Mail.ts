/**
 * The port that puts a message in a person's mailbox. Messages carrying a secret link go only
 * here, never to the log.
 *
 * @since 0.1.0
 */
import { Context, type Effect } from "effect"
import type { DeliveryFailed } from "./Outbox.ts"

/**
 * One message to one address.
 *
 * @since 0.1.0
 * @category models
 */
export interface Mail {
  /** The outbox message it delivers: delivering it twice overwrites, never duplicates. */
  readonly id: string
  /** The outbox topic it delivers, for filters and tests. */
  readonly topic: string
  readonly to: string
  readonly subject: string
  readonly text: string
  /** The same message as HTML, for transports that send both. */
  readonly html?: string | undefined
}

/**
 * @since 0.1.0
 * @category services
 */
export class Mailbox extends Context.Service<
  Mailbox,
  { readonly send: (mail: Mail) => Effect.Effect<void, DeliveryFailed> }
>()("@rota/core/Mailbox") {}
