/**
 * The storage ports of bookings and fines. Every method that takes an `orgId` touches that org's
 * rows only.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option } from "effect"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { ValidationFailed } from "../kernel/Errors.ts"
import type { OrgId } from "../kernel/Ids.ts"
import type { Page } from "../kernel/Pagination.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { Booking, BookingFilters, BookingItem, BookingSort } from "./Booking.ts"
import type { Fine, FineFilters, Payment } from "./Fine.ts"

/**
 * The fields a booking write may change.
 *
 * @since 0.1.0
 * @category models
 */
export type BookingChanges = Partial<
  Pick<
    Booking,
    | "status"
    | "startAt"
    | "endAt"
    | "purpose"
    | "approvedBy"
    | "approvedAt"
    | "cancelledAt"
    | "checkedOutAt"
    | "returnedAt"
    | "lateMinutes"
  >
> & { readonly items?: ReadonlyArray<BookingItem> | undefined }

/**
 * @since 0.1.0
 * @category services
 */
export class BookingRepo extends Context.Service<
  BookingRepo,
  {
    /**
     * Stores a new booking with its items. Inside a transaction, an adapter may hold the write
     * until just before the commit (PostgreSQL does, with the audit event and outbox message):
     * the booking is not read back in the transaction that creates it, and whatever names it
     * in that transaction is checked against it at commit.
     */
    readonly insert: (booking: Booking) => Effect.Effect<Booking>
    /** `forUpdate` locks the booking until the transaction ends. */
    readonly find: (
      orgId: OrgId,
      id: string,
      options?: { readonly forUpdate?: boolean | undefined }
    ) => Effect.Effect<Option.Option<Booking>>
    readonly list: (
      orgId: OrgId,
      query: ListQuery<BookingFilters, BookingSort>
    ) => Effect.Effect<Page<Booking>, ValidationFailed>
    /** Applies the changes and raises the version; the caller holds the row lock. */
    readonly update: (orgId: OrgId, id: string, changes: BookingChanges) => Effect.Effect<Booking>
    /** Other bookings of the org that have any of these units out (checked out or overdue). */
    readonly holdingUnits: (
      orgId: OrgId,
      unitIds: ReadonlyArray<UnitId>,
      except: string
    ) => Effect.Effect<ReadonlyArray<{ readonly bookingId: string; readonly unitId: UnitId }>>
    /**
     * Checked-out bookings of any org whose end has passed, locked for the caller's transaction;
     * rows another transaction holds are skipped.
     */
    readonly lockOverdue: (now: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<Booking>>
  }
>()("@rota/core/bookings/BookingRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class FineRepo extends Context.Service<
  FineRepo,
  {
    readonly insert: (fine: Fine) => Effect.Effect<Fine>
    readonly find: (
      orgId: OrgId,
      id: string,
      options?: { readonly forUpdate?: boolean | undefined }
    ) => Effect.Effect<Option.Option<Fine>>
    readonly list: (
      orgId: OrgId,
      query: ListQuery<FineFilters, "createdAt">
    ) => Effect.Effect<Page<Fine>, ValidationFailed>
    readonly update: (
      orgId: OrgId,
      id: string,
      changes: Partial<Pick<Fine, "paid" | "status">>
    ) => Effect.Effect<Fine>
    readonly addPayment: (payment: Payment) => Effect.Effect<void>
  }
>()("@rota/core/bookings/FineRepo") {}
