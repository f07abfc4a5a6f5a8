/**
 * Bookings, fines and schedule routes: each handler turns the request into a use-case call.
 *
 * @since 0.1.0
 */

import { Bookings, Errors, Fines, type Ids, Pagination, Schedule, Timestamp } from "@rota/core"
import { Clock, DateTime, Duration, Effect, Layer } from "effect"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"
import { paged } from "./Listing.ts"

const availabilityWindow = Duration.days(7)

// `from`/`to` of a query, defaulting to now and `length` later.
const windowOf = (
  query: { readonly from?: DateTime.Utc; readonly to?: DateTime.Utc },
  length: Duration.Duration
) =>
  Effect.map(Clock.currentTimeMillis, (millis) => {
    const startAt = query.from ?? DateTime.makeUnsafe(millis)
    return { startAt, endAt: query.to ?? Timestamp.clamp(DateTime.addDuration(startAt, length)) }
  })

const bookingsHandlers = HandlerGroup.group(
  Api,
  "bookings",
  Effect.fn(function* (handlers) {
    const bookings = yield* Bookings.Bookings
    return handlers
      .handle("create", ({ payload }) => toProblems(bookings.create(payload)))
      .handle("list", ({ query }) =>
        toProblems(
          paged(query, (page) =>
            bookings.list({
              ...page,
              sort: query.sort === undefined ? undefined : Pagination.parseSort(query.sort),
              filters: {
                statuses: query.status,
                requesterId: query.requesterId,
                resourceId: query.resourceId,
                unitId: query.unitId,
                from: query.from,
                to: query.to
              }
            })
          )
        )
      )
      .handle("get", ({ params }) => toProblems(bookings.get(params.id)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(bookings.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("cancel", ({ params, headers }) =>
        toProblems(bookings.cancel(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("approve", ({ params, headers }) =>
        toProblems(bookings.approve(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("reject", ({ params, headers }) =>
        toProblems(bookings.reject(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("checkOut", ({ params, headers }) =>
        toProblems(bookings.checkOut(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("return", ({ params, headers }) =>
        toProblems(bookings.return(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("availability", ({ params, query }) =>
        Effect.flatMap(windowOf(query, availabilityWindow), (window) =>
          toProblems(bookings.availability(params.id, window))
        )
      )
  })
)

const finesHandlers = HandlerGroup.group(
  Api,
  "fines",
  Effect.fn(function* (handlers) {
    const fines = yield* Fines.Fines
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          fines.list({
            limit: query.limit ?? Pagination.defaultLimit,
            cursor: query.cursor,
            filters: { statuses: query.status, accountId: query.accountId, bookingId: query.bookingId }
          })
        )
      )
      .handle("create", ({ payload }) => toProblems(fines.create(payload)))
      .handle("get", ({ params }) => toProblems(fines.get(params.id)))
      .handle("waive", ({ params, headers }) =>
        toProblems(fines.waive(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("pay", ({ params, headers, payload }) =>
        toProblems(fines.pay(params.id, Preconditions.ifMatch(headers, false), payload.amount))
      )
  })
)

// Without `from`/`to`, the next 30 days.
const conflictsWindow = Duration.days(30)

// `personId` is the deprecated name of `accountId`: either names the person, both only alike.
const subjectAccount = (query: {
  readonly accountId?: Ids.AccountId | undefined
  readonly personId?: Ids.AccountId | undefined
}): Effect.Effect<Ids.AccountId | undefined, Errors.ValidationFailed> =>
  query.accountId !== undefined && query.personId !== undefined && query.accountId !== query.personId
    ? Effect.fail(
        new Errors.ValidationFailed({
          errors: [
            { path: ["query", "personId"], message: "personId is the old name of accountId: give one" }
          ]
        })
      )
    : Effect.succeed(query.accountId ?? query.personId)

const scheduleHandlers = HandlerGroup.group(
  Api,
  "schedule",
  Effect.fn(function* (handlers) {
    const schedule = yield* Schedule.Schedule
    return handlers.handle("conflicts", ({ query }) =>
      Effect.gen(function* () {
        const window = yield* windowOf(query, conflictsWindow)
        const accountId = yield* toProblems(subjectAccount(query))
        const occupied = yield* toProblems(schedule.occupied({ unitId: query.unitId, accountId }, window))
        return {
          items: occupied.map((allocation) => ({
            subjectType: allocation.subject.type,
            subjectId: allocation.subject.id,
            startAt: allocation.interval.startAt,
            endAt: allocation.interval.endAt,
            sourceType: allocation.source.type,
            sourceId: allocation.source.id
          }))
        }
      })
    )
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(bookingsHandlers, finesHandlers, scheduleHandlers)
