/**
 * What people are told about: each outbox topic that concerns a person becomes an event kind,
 * with its audience (by ownership or by role) and the facts its message shows. Pure rules; the
 * dispatcher resolves audiences to accounts and sends. The kinds are in `NotificationKinds`, how
 * each topic reads in `EventReaders`.
 *
 * @since 0.1.0
 */
import { Option, Schema } from "effect"
import type { OutboxMessage } from "../kernel/Outbox.ts"
import { readers } from "./EventReaders.ts"
import type { Event } from "./NotificationKinds.ts"

export {
  /** @since 0.1.0 */
  type Audience,
  /** @since 0.1.0 */
  Channel,
  /** @since 0.1.0 */
  channelsOf,
  /** @since 0.1.0 */
  dueSoonTopic,
  /** @since 0.1.0 */
  type Event,
  /** @since 0.1.0 */
  EventKind,
  /** @since 0.1.0 */
  emailOnlyKinds,
  /** @since 0.1.0 */
  interventionAssignedTopic,
  /** @since 0.1.0 */
  isMandatory,
  /** @since 0.1.0 */
  offerExpiringTopic,
  /** @since 0.1.0 */
  partBelowReorderTopic,
  /** @since 0.1.0 */
  secretKinds
} from "./NotificationKinds.ts"

const Facts = Schema.Record(Schema.String, Schema.Unknown)
const decodeFacts = Schema.decodeUnknownOption(Facts)

/**
 * The outbox topics that notify someone.
 *
 * @since 0.1.0
 * @category topics
 */
export const topics: ReadonlyArray<string> = Object.keys(readers)

/**
 * The event an outbox message stands for; none when its topic concerns nobody (or its payload
 * lacks what the event needs).
 *
 * @since 0.1.0
 * @category rules
 */
export const eventOf = (message: OutboxMessage): Option.Option<Event> => {
  const read = readers[message.topic]
  if (read === undefined) return Option.none()
  return Option.flatMap(decodeFacts(message.payload), (payload) => Option.fromNullishOr(read(payload)))
}
