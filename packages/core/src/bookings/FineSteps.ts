/**
 * The steps of the fines use case: what it works with, who sees a fine, the locked fine at the
 * expected version, and the writes, each with its audit event and message in one transaction.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import { NotFound, ValidationFailed } from "../kernel/Errors.ts"
import { type AccountId, type Ids, nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { check, demand, type Expected } from "../kernel/Versioning.ts"
import type { BookingId } from "./Booking.ts"
import { BookingRepo, FineRepo } from "./BookingRepos.ts"
import {
  Fine,
  type FineFilters,
  FineId,
  Payment,
  PaymentId,
  pay as payRule,
  waive as waiveRule
} from "./Fine.ts"

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

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    fines: yield* FineRepo,
    bookings: yield* BookingRepo,
    memberships: yield* MembershipRepo,
    orgs: yield* OrgRepo,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

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

const locked = (deps: Deps, id: string, expectedVersion: Expected) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    const fine = yield* visible(yield* deps.fines.find(actor.orgId, id, { forUpdate: true }), id)
    const version = yield* demand("fine", expectedVersion)
    yield* check("fine", id, fine.version, version)
    return fine
  })

/**
 * Every fine to those who manage fines; to everyone else, their own (another account is
 * `Forbidden`).
 *
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (query: ListQuery<FineFilters, "createdAt">) {
    const actor = yield* CurrentActor
    const accountId = yield* Permissions.accountFilter(actor, "fine.manage", query.filters.accountId)
    return yield* deps.fines.list(actor.orgId, { ...query, filters: { ...query.filters, accountId } })
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const get = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    const actor = yield* CurrentActor
    return yield* visible(yield* deps.fines.find(actor.orgId, id), id)
  })

/**
 * The account must be a member of the org, and the booking one of its bookings.
 *
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (input: NewFine) {
    yield* Permissions.require("fine.manage")
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const issues: Array<{ path: Array<string>; message: string }> = []
        if (Option.isNone(yield* deps.memberships.find(actor.orgId, input.accountId)))
          issues.push({ path: ["body", "accountId"], message: "Not a member of this organisation" })
        if (input.bookingId !== undefined) {
          const booking = yield* deps.bookings.find(actor.orgId, input.bookingId)
          if (Option.isNone(booking) || booking.value.requesterId !== input.accountId)
            issues.push({ path: ["body", "bookingId"], message: "No such booking of this member" })
        }
        if (issues.length > 0) return yield* new ValidationFailed({ errors: issues })
        const settings = yield* OrgSettings.settingsOf(deps.orgs, actor.orgId)
        const fine = yield* deps.fines.insert(
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
  }, Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const waive = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* Permissions.require("fine.manage")
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const before = yield* locked(deps, id, expectedVersion)
        const status = yield* waiveRule(before)
        const after = yield* deps.fines.update(before.orgId, id, { status })
        yield* record("STATUS_CHANGE", before, after, "fine.waived")
        return after
      })
    )
  }, Effect.provide(deps.context))

/**
 * Paying more than is owed is a `ValidationFailed`; the fine is PAID when fully paid.
 *
 * @since 0.1.0
 * @category steps
 */
export const pay = (deps: Deps) => (id: string, expectedVersion: Expected, amount: number) =>
  deps.transactor
    .withTransaction(
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const before = yield* locked(deps, id, expectedVersion)
        const next = yield* payRule(before, amount)
        yield* deps.fines.addPayment(
          new Payment({
            id: yield* nextId(PaymentId),
            orgId: before.orgId,
            fineId: before.id,
            amount,
            paidBy: actor.accountId,
            at: yield* DateTime.now
          })
        )
        const after = yield* deps.fines.update(before.orgId, id, next)
        yield* record(
          after.status === "PAID" ? "STATUS_CHANGE" : "UPDATE",
          before,
          after,
          after.status === "PAID" ? "fine.paid" : "fine.payment_received"
        )
        return after
      })
    )
    .pipe(Effect.provide(deps.context))
