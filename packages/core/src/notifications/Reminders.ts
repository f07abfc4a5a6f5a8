/**
 * Reminders of what falls due: a checked-out booking due back within {@link dueSoonLead}, a
 * waitlist offer expiring within {@link offerExpiringLead}. A job finds them; each is claimed
 * once (per subject and due time, so an extended booking is reminded again) in the same
 * transaction as its outbox message, which the dispatcher then delivers like any other.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect } from "effect"
import type { Ids } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { dueSoonTopic, offerExpiringTopic } from "./NotificationEvents.ts"
import { ReminderRepo } from "./NotificationRepos.ts"

/**
 * How long before its end a checked-out booking is "due soon".
 *
 * @since 0.1.0
 * @category constants
 */
export const dueSoonLead = Duration.hours(1)

/**
 * How long before it expires an offer is "expiring": offers last minutes, not hours.
 *
 * @since 0.1.0
 * @category constants
 */
export const offerExpiringLead = Duration.minutes(3)

const batch = 200

/**
 * Sends the reminders now due; answers how many.
 *
 * @since 0.1.0
 * @category jobs
 */
export const sendDue: Effect.Effect<number, never, ReminderRepo | Transactor | Outbox.Outbox | Ids> =
  Effect.gen(function* () {
    const reminders = yield* ReminderRepo
    const transactor = yield* Transactor
    const now = yield* DateTime.now
    const within = (lead: Duration.Duration) => DateTime.addDuration(now, lead)
    return yield* transactor.withTransaction(
      Effect.gen(function* () {
        const bookings = yield* reminders.claimDueSoon(now, within(dueSoonLead), batch)
        for (const due of bookings) {
          yield* Outbox.send({
            orgId: due.orgId,
            topic: dueSoonTopic,
            payload: { id: due.id, requesterId: due.accountId, endAt: DateTime.formatIso(due.dueAt) }
          })
        }
        const offers = yield* reminders.claimExpiringOffers(now, within(offerExpiringLead), batch)
        for (const due of offers) {
          yield* Outbox.send({
            orgId: due.orgId,
            topic: offerExpiringTopic,
            payload: { id: due.id, requesterId: due.accountId, expiresAt: DateTime.formatIso(due.dueAt) }
          })
        }
        return bookings.length + offers.length
      })
    )
  }).pipe(Effect.withSpan("Reminders.sendDue"))
