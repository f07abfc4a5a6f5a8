/**
 * The `ReminderRepo` on the {@link MemoryDatabase}: what falls due is read from the bookings and
 * waitlist entries the memory booking and waitlist adapters keep, and each reminder is claimed
 * under its kind, subject and due time in one step of the database, as the primary key decides
 * between servers on PostgreSQL. `ReminderRepoContract` holds both adapters to the same answers.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import type { Due } from "../notifications/NotificationRepos.ts"
import { ReminderRepo } from "../notifications/NotificationRepos.ts"
import type { WaitlistEntry } from "../waitlist/WaitlistEntry.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"

interface Reminder {
  readonly kind: string
  readonly due: Due
  readonly createdAt: DateTime.Utc
}

const reminders = rows<Reminder>("notification_reminders")
// The tables `MemoryBookingRepos` and `MemoryWaitlistRepo` write.
const bookings = rows<Booking>("bookings")
const entries = rows<WaitlistEntry>("waitlist_entries")

// A new due time (an extended booking, a new offer) is a new reminder.
const keyOf = (kind: string, due: Due) => `${kind}/${due.id}/${DateTime.toEpochMillis(due.dueAt)}`

const soonestFirst = (a: Due, b: Due) =>
  DateTime.toEpochMillis(a.dueAt) - DateTime.toEpochMillis(b.dueAt) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

const within = (at: DateTime.Utc, now: DateTime.Utc, until: DateTime.Utc) => {
  const millis = DateTime.toEpochMillis(at)
  return millis > DateTime.toEpochMillis(now) && millis <= DateTime.toEpochMillis(until)
}

const reminderMethods = (database: MemoryDatabase["Service"]) => {
  // The first `limit` candidates not reminded of yet, claimed in one step.
  const claim = (kind: string, candidates: ReadonlyArray<Due>, now: DateTime.Utc, limit: number) =>
    database.modify(reminders, (table) => {
      const fresh = candidates
        .filter((due) => !table.has(keyOf(kind, due)))
        .sort(soonestFirst)
        .slice(0, limit)
      let next = table
      for (const due of fresh) next = put(next, keyOf(kind, due), { kind, due, createdAt: now })
      return [fresh, next]
    })

  const claimDueSoon = Effect.fn("MemoryReminderRepo.claimDueSoon")(function* (
    now: DateTime.Utc,
    until: DateTime.Utc,
    limit: number
  ) {
    const due = [...(yield* database.read(bookings)).values()]
      .filter((booking) => booking.status === "CHECKED_OUT" && within(booking.endAt, now, until))
      .map(
        (booking): Due => ({
          orgId: booking.orgId,
          id: booking.id,
          accountId: booking.requesterId,
          dueAt: booking.endAt
        })
      )
    return yield* claim("booking.due_soon", due, now, limit)
  })

  const claimExpiringOffers = Effect.fn("MemoryReminderRepo.claimExpiringOffers")(function* (
    now: DateTime.Utc,
    until: DateTime.Utc,
    limit: number
  ) {
    const due = [...(yield* database.read(entries)).values()].flatMap(
      (entry): ReadonlyArray<Due> =>
        entry.status === "OFFERED" &&
        entry.offerExpiresAt !== null &&
        within(entry.offerExpiresAt, now, until)
          ? [
              {
                orgId: entry.orgId,
                id: entry.id,
                accountId: entry.requesterId,
                dueAt: entry.offerExpiresAt
              }
            ]
          : []
    )
    return yield* claim("waitlist.offer_expiring", due, now, limit)
  })

  return { claimDueSoon, claimExpiringOffers }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ReminderRepo, never, MemoryDatabase> = Layer.effect(
  ReminderRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) => ReminderRepo.of({ ...reminderMethods(database) }))
)
