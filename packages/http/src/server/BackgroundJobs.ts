/**
 * The periodic work every server schedules; each tick runs on one server only (see `Jobs`).
 *
 * @since 0.1.0
 */
import { hostname } from "node:os"
import {
  AuditLog,
  type BookingRepos,
  Bookings,
  Idempotency,
  type IdentityRepos,
  type Ids,
  type InventoryRepos,
  Jobs,
  type Ledger,
  Offers,
  Outbox,
  Rankings,
  type Transactor,
  type WaitlistRepo
} from "@rota/core"
import { PgJobClaims } from "@rota/storage-pg"
import { Clock, Duration, Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"

const retainRuns = Duration.days(7)

/**
 * @since 0.1.0
 * @category jobs
 */
export const jobs: ReadonlyArray<
  Jobs.Job<
    | AuditLog.AuditLog
    | Outbox.Outbox
    | Outbox.OutboxTransport
    | Idempotency.IdempotencyStore
    | SqlClient.SqlClient
    | Bookings.Bookings
    | Offers.Offers
    | Ids.Ids
    | WaitlistRepo.WaitlistRepo
    | IdentityRepos.OrgRepo
    | Transactor.Transactor
  >
> = [
  {
    name: "audit.seal",
    every: Duration.seconds(5),
    run: () => Effect.flatMap(Effect.service(AuditLog.AuditLog), (log) => log.seal())
  },
  {
    name: "outbox.deliver",
    every: Duration.seconds(2),
    run: () => Outbox.deliverDue()
  },
  {
    name: "bookings.overdue",
    every: Duration.seconds(30),
    run: () =>
      Effect.flatMap(Effect.service(Bookings.Bookings), (bookings) => bookings.markOverdue).pipe(
        Effect.tap((marked) =>
          marked > 0 ? Effect.logInfo("bookings marked overdue", { marked }) : Effect.void
        )
      )
  },
  {
    name: "waitlist.expire",
    every: Duration.seconds(15),
    run: () =>
      Effect.flatMap(Effect.service(Offers.Offers), (offers) => offers.expireDue).pipe(
        Effect.tap((expired) =>
          expired > 0 ? Effect.logInfo("waitlist offers expired", { expired }) : Effect.void
        )
      )
  },
  {
    // Frequent and cheap when nothing changed: until it runs, a changed requester's entries
    // are scored live on every read of their line.
    name: "waitlist.rankings",
    every: Duration.seconds(5),
    run: () => Rankings.refreshDue()
  },
  {
    name: "maintenance.purge",
    every: Duration.hours(1),
    run: () =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const before = new Date(now - Duration.toMillis(retainRuns))
        const keys = yield* Effect.flatMap(Effect.service(Idempotency.IdempotencyStore), (store) =>
          store.purgeExpired(new Date(now))
        )
        const messages = yield* Effect.flatMap(Effect.service(Outbox.Outbox), (outbox) =>
          outbox.purgeDelivered(before)
        )
        const runs = yield* PgJobClaims.purge(before)
        yield* Effect.logInfo("purged", { idempotencyKeys: keys, outboxMessages: messages, jobRuns: runs })
      })
  }
]

/**
 * Runs {@link jobs} for the lifetime of the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  never,
  never,
  | AuditLog.AuditLog
  | Outbox.Outbox
  | Outbox.OutboxTransport
  | Idempotency.IdempotencyStore
  | SqlClient.SqlClient
  | Ids.Ids
  | WaitlistRepo.WaitlistRepo
  | IdentityRepos.OrgRepo
  | Transactor.Transactor
  | Jobs.JobClaims
  | BookingRepos.BookingRepo
  | BookingRepos.FineRepo
  | InventoryRepos.UnitRepo
  | InventoryRepos.ResourceRepo
  | Ledger.Ledger
> = Layer.effectDiscard(Jobs.start(jobs, `${hostname()}:${process.pid}`)).pipe(
  Layer.provide(Bookings.layer.pipe(Layer.provideMerge(Offers.layer)))
)
