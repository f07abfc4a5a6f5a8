/**
 * The fines use case: members see and pay their own fines; managers see all, set fines and
 * waive them. A payment is recorded with the fine's new balance in one transaction.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import { MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import {
  type Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import { type AccountId, type Ids, nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { check, demand, type Expected } from "../kernel/Versioning.ts"
import type { BookingId } from "./Booking.ts"
import { BookingRepo, FineRepo } from "./BookingRepos.ts"
import { Fine, type FineFilters, FineId, Payment, PaymentId, pay, waive } from "./Fine.ts"

/**
 * A fine a manager sets.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewFine {
  readonly accountId: AccountId
  readonly amount: number
  readonly currency?: string | undefined
  readonly reason: string
  readonly bookingId?: BookingId | undefined
}

type Write = Forbidden | NotFound | PreconditionRequired | PreconditionFailed | InvalidTransition

/**
 * @since 0.1.0
 * @category services
 */
export class Fines extends Context.Service<
  Fines,
  {
    readonly list: (
      query: ListQuery<FineFilters, "createdAt">
    ) => Effect.Effect<Page<Fine>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Fine, NotFound, CurrentActor>
    /** The account must be a member of the org, and the booking one of its bookings. */
    readonly create: (input: NewFine) => Effect.Effect<Fine, Forbidden | ValidationFailed, CurrentActor>
    readonly waive: (id: string, expectedVersion: Expected) => Effect.Effect<Fine, Write, CurrentActor>
    /** Paying more than is owed is a `ValidationFailed`; the fine is PAID when fully paid. */
    readonly pay: (
      id: string,
      expectedVersion: Expected,
      amount: number
    ) => Effect.Effect<Fine, Write | ValidationFailed, CurrentActor>
  }
>()("@rota/core/bookings/Fines") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Fines,
  never,
  FineRepo | BookingRepo | MembershipRepo | OrgRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  Fines,
  Effect.gen(function* () {
    const fines = yield* FineRepo
    const bookings = yield* BookingRepo
    const memberships = yield* MembershipRepo
    const orgs = yield* OrgRepo
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    // A member's own fine, or any fine for a manager; anything else is not there.
    const visible = (fine: Option.Option<Fine>, id: string) =>
      Effect.flatMap(Effect.service(CurrentActor), (actor) =>
        Option.isSome(fine) &&
        (fine.value.accountId === actor.accountId || Permissions.allows(actor, "fine.manage"))
          ? Effect.succeed(fine.value)
          : Effect.fail(new NotFound({ entity: "fine", id }))
      )

    const record = (action: Audit.AuditAction, before: Fine | null, after: Fine, topic: string) =>
      Effect.gen(function* () {
        yield* Audit.record({ entityType: "fine", entityId: after.id, action, before, after })
        yield* Outbox.send({
          orgId: after.orgId,
          topic,
          payload: { id: after.id, accountId: after.accountId, status: after.status, paid: after.paid }
        })
      })

    const locked = (id: string, expectedVersion: Expected) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const fine = yield* visible(yield* fines.find(actor.orgId, id, { forUpdate: true }), id)
        const version = yield* demand("fine", expectedVersion)
        yield* check("fine", id, fine.version, version)
        return fine
      })

    return Fines.of({
      list: Effect.fn("Fines.list")(function* (query) {
        const actor = yield* CurrentActor
        const all = Permissions.allows(actor, "fine.manage")
        return yield* fines.list(actor.orgId, {
          ...query,
          filters: all ? query.filters : { ...query.filters, accountId: actor.accountId }
        })
      }),
      get: Effect.fn("Fines.get")(function* (id) {
        const actor = yield* CurrentActor
        return yield* visible(yield* fines.find(actor.orgId, id), id)
      }),
      create: Effect.fn("Fines.create")(function* (input) {
        yield* Permissions.require("fine.manage")
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const issues: Array<{ path: Array<string>; message: string }> = []
            if (Option.isNone(yield* memberships.find(actor.orgId, input.accountId)))
              issues.push({ path: ["body", "accountId"], message: "Not a member of this organisation" })
            if (input.bookingId !== undefined) {
              const booking = yield* bookings.find(actor.orgId, input.bookingId)
              if (Option.isNone(booking) || booking.value.requesterId !== input.accountId)
                issues.push({ path: ["body", "bookingId"], message: "No such booking of this member" })
            }
            if (issues.length > 0) return yield* new ValidationFailed({ errors: issues })
            const settings = yield* OrgSettings.settingsOf(orgs, actor.orgId)
            const fine = yield* fines.insert(
              new Fine({
                id: yield* nextId(FineId),
                orgId: actor.orgId,
                accountId: input.accountId,
                bookingId: input.bookingId ?? null,
                amount: input.amount,
                currency: input.currency ?? settings.fine.currency,
                paid: 0,
                reason: input.reason,
                status: "OPEN",
                version: 1,
                createdAt: yield* DateTime.now
              })
            )
            yield* record("CREATE", null, fine, "fine.created")
            return fine
          })
        )
      }, Effect.provide(context)),
      waive: Effect.fn("Fines.waive")(function* (id, expectedVersion) {
        yield* Permissions.require("fine.manage")
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* locked(id, expectedVersion)
            const status = yield* waive(before)
            const after = yield* fines.update(before.orgId, id, { status })
            yield* record("STATUS_CHANGE", before, after, "fine.waived")
            return after
          })
        )
      }, Effect.provide(context)),
      pay: Effect.fn("Fines.pay")((id, expectedVersion, amount) =>
        transactor
          .withTransaction(
            Effect.gen(function* () {
              const actor = yield* CurrentActor
              const before = yield* locked(id, expectedVersion)
              const next = yield* pay(before, amount)
              yield* fines.addPayment(
                new Payment({
                  id: yield* nextId(PaymentId),
                  orgId: before.orgId,
                  fineId: before.id,
                  amount,
                  paidBy: actor.accountId,
                  at: yield* DateTime.now
                })
              )
              const after = yield* fines.update(before.orgId, id, next)
              yield* record(
                after.status === "PAID" ? "STATUS_CHANGE" : "UPDATE",
                before,
                after,
                after.status === "PAID" ? "fine.paid" : "fine.payment_received"
              )
              return after
            })
          )
          .pipe(Effect.provide(context))
      )
    })
  })
)
