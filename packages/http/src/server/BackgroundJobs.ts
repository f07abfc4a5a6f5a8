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
  type InterventionRepos,
  Interventions,
  type InventoryRepos,
  Jobs,
  type Ledger,
  MaintenancePlans,
  type MaintenanceRepos,
  type NotificationRepos,
  Offers,
  Outbox,
  Rankings,
  Reminders,
  type Transactor,
  type WaitlistRepo,
  WebhookDelivery,
  WebhookRepo,
  type WebhookTransport
} from "@rota/core"
import { PgJobClaims, PgNotificationRepos } from "@rota/storage-pg"
import { DateTime, Duration, Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as CacheInvalidation from "./edge/CacheInvalidation.ts"
import type { ResponseCache } from "./edge/ResponseCache.ts"

const retainRuns = Duration.days(7)
// The delivery log answers "what happened to last month's events"; older entries go.
const retainDeliveries = Duration.days(30)

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
    | WebhookRepo.WebhookRepo
    | WebhookTransport.WebhookSecrets
    | WebhookTransport.WebhookSender
    | NotificationRepos.ReminderRepo
    | MaintenancePlans.MaintenancePlans
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
    // A consumer of the outbox of its own: it reads messages whatever the notification
    // delivery did with them, and its claims keep each attempt on one server.
    name: "webhooks.deliver",
    every: Duration.seconds(2),
    run: () =>
      WebhookDelivery.deliverDue.pipe(
        Effect.tap((run) =>
          run.delivered + run.failed > 0 ? Effect.logInfo("webhook deliveries attempted", run) : Effect.void
        )
      )
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
    name: "notifications.reminders",
    every: Duration.seconds(30),
    run: () =>
      Reminders.sendDue.pipe(
        Effect.tap((sent) => (sent > 0 ? Effect.logInfo("reminders sent", { sent }) : Effect.void))
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
    // Each due date is claimed under a unique key as its intervention opens, so a tick that
    // overlaps another (or one run again after a restart) opens nothing twice.
    name: "maintenance.generate",
    every: Duration.seconds(10),
    run: () =>
      Effect.flatMap(Effect.service(MaintenancePlans.MaintenancePlans), (plans) => plans.generateDue).pipe(
        Effect.tap((opened) =>
          opened > 0 ? Effect.logInfo("preventive interventions opened", { opened }) : Effect.void
        )
      )
  },
  {
    name: "maintenance.purge",
    every: Duration.hours(1),
    run: () =>
      Effect.gen(function* () {
        const now = yield* DateTime.now
        const before = DateTime.subtractDuration(now, retainRuns)
        const keys = yield* Effect.flatMap(Effect.service(Idempotency.IdempotencyStore), (store) =>
          store.purgeExpired(now)
        )
        const messages = yield* Effect.flatMap(Effect.service(Outbox.Outbox), (outbox) =>
          outbox.purgeDelivered(before)
        )
        const runs = yield* PgJobClaims.purge(before)
        const webhookDeliveries = yield* Effect.flatMap(Effect.service(WebhookRepo.WebhookRepo), (repo) =>
          repo.purgeFinished(DateTime.subtractDuration(now, retainDeliveries))
        )
        const notificationDeliveries = yield* PgNotificationRepos.purgeDeliveries(before)
        yield* Effect.logDebug("purged", {
          idempotencyKeys: keys,
          outboxMessages: messages,
          jobRuns: runs,
          webhookDeliveries,
          notificationDeliveries
        })
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
  | InventoryRepos.SiteRepo
  | InventoryRepos.PartRepo
  | IdentityRepos.MembershipRepo
  | InterventionRepos.InterventionRepo
  | InterventionRepos.TimelineRepo
  | InterventionRepos.PartUseRepo
  | MaintenanceRepos.MaintenancePlanRepo
  | Ledger.Ledger
  | WebhookRepo.WebhookRepo
  | WebhookTransport.WebhookSecrets
  | WebhookTransport.WebhookSender
  | NotificationRepos.ReminderRepo
  | ResponseCache
> = Layer.effectDiscard(
  Jobs.start(jobs.map(CacheInvalidation.bumpingJob), `${hostname()}:${process.pid}`)
).pipe(
  Layer.provide(
    Layer.mergeAll(
      Bookings.layer.pipe(Layer.provideMerge(Offers.layer)),
      MaintenancePlans.layer.pipe(Layer.provide(Interventions.layer))
    )
  )
)
