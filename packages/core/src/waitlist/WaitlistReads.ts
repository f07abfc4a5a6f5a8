/**
 * Reading the waitlist: one entry, the line in ranked order (staff), and the caller's own entries.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { NotFound } from "../kernel/Errors.ts"
import * as Pagination from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { decodeCursor, positionOf } from "./WaitlistCursor.ts"
import type { Deps } from "./WaitlistDeps.ts"
import { ranksByOwnStatus, type WaitlistFilters } from "./WaitlistEntry.ts"

type PageRequest = { readonly limit: number; readonly cursor?: string | undefined }

const ranked = Effect.fnUntraced(function* (deps: Deps, filters: WaitlistFilters, page: PageRequest) {
  const actor = yield* CurrentActor
  const settings = yield* deps.settingsOf(actor.orgId)
  const byStatus = ranksByOwnStatus(filters)
  const after = page.cursor === undefined ? undefined : yield* decodeCursor(page.cursor, byStatus)
  const rows = yield* deps.repo.ranked(actor.orgId, {
    filters,
    weights: settings.priorityWeights,
    now: yield* DateTime.now,
    limit: page.limit + 1,
    after
  })
  return Pagination.fromRows(rows, page.limit, positionOf(byStatus))
})

/**
 * The caller's own entry, or any entry for staff; another member's is not found.
 *
 * @since 0.1.0
 * @category steps
 */
export const get = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    const found = yield* deps.repo.find(actor.orgId, id)
    if (
      Option.isNone(found) ||
      (found.value.requesterId !== actor.accountId && !Permissions.allows(actor, "waitlist.manage"))
    )
      return yield* new NotFound({ entity: "waitlist_entry", id })
    return found.value
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (filters: WaitlistFilters, page: PageRequest) {
    yield* Permissions.require("waitlist.manage")
    // Without a status, the line itself: who is waiting, in the order offers go.
    return yield* ranked(deps, { ...filters, statuses: filters.statuses ?? ["WAITING"] }, page)
  })

/**
 * The caller's entries, each with its rank in its resource's line: among the entries of the
 * named statuses, or, with none named, among the entries of its own status (a WAITING entry's
 * place in the waiting line, the rank the manager's listing of the line gives it).
 *
 * @since 0.1.0
 * @category steps
 */
export const mine = (deps: Deps) =>
  Effect.fnUntraced(function* (filters: WaitlistFilters, page: PageRequest) {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    return yield* ranked(deps, { ...filters, requesterId: actor.accountId }, page)
  })
