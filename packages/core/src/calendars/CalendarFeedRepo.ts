/**
 * The store of calendar feeds: each live feed with the hash of its token.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option } from "effect"
import type { ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import type { CalendarFeed } from "./CalendarFeed.ts"

/**
 * A live feed found by its token's hash, with the hash as stored (compared again, in constant
 * time, by the use case).
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredFeed {
  readonly feed: CalendarFeed
  readonly tokenHash: string
}

/**
 * @since 0.1.0
 * @category services
 */
export class CalendarFeedRepo extends Context.Service<
  CalendarFeedRepo,
  {
    readonly insert: (feed: CalendarFeed, tokenHash: string) => Effect.Effect<void>
    /** Live feeds, oldest first; only those `createdBy` made when given. */
    readonly list: (
      orgId: OrgId,
      page: PageRequest,
      createdBy: AccountId | undefined
    ) => Effect.Effect<Page<CalendarFeed>, ValidationFailed>
    readonly find: (orgId: OrgId, id: string) => Effect.Effect<Option.Option<CalendarFeed>>
    readonly findByTokenHash: (tokenHash: string) => Effect.Effect<Option.Option<StoredFeed>>
    /** Answers whether a live feed was revoked. */
    readonly revoke: (orgId: OrgId, id: string, at: DateTime.Utc) => Effect.Effect<boolean>
  }
>()("@rota/core/calendars/CalendarFeedRepo") {}
