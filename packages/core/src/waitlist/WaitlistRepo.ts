/**
 * The storage port of the waitlist, with the ranking query: every entry's live score, computed
 * by the store in one query over the requesters' bookings and fines.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option } from "effect"
import type { OrgId } from "../kernel/Ids.ts"
import type { Weights } from "./Priority.ts"
import type {
  RankedEntry,
  ScoreParts,
  WaitlistEntry,
  WaitlistFilters,
  WaitlistStatus
} from "./WaitlistEntry.ts"

/**
 * The fields a write may change.
 *
 * @since 0.1.0
 * @category models
 */
export type EntryChanges = Partial<
  Pick<
    WaitlistEntry,
    | "status"
    | "priorityScore"
    | "offeredUnitId"
    | "offerStartAt"
    | "offerEndAt"
    | "offerExpiresAt"
    | "bookingId"
  >
>

/**
 * A ranking request: the filters, the weights and the instant the scores are computed for, and
 * a page (`after` is the last row of the previous page: its resource, its rank, and its status
 * when ranks run within each status, `ranksByOwnStatus`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RankQuery {
  readonly filters: WaitlistFilters
  readonly weights: Weights
  readonly now: DateTime.Utc
  readonly limit: number
  readonly after?:
    | { readonly resourceId: string; readonly status?: WaitlistStatus | undefined; readonly rank: number }
    | undefined
}

/**
 * @since 0.1.0
 * @category services
 */
export class WaitlistRepo extends Context.Service<
  WaitlistRepo,
  {
    readonly insert: (entry: WaitlistEntry) => Effect.Effect<WaitlistEntry>
    readonly find: (
      orgId: OrgId,
      id: string,
      options?: { readonly forUpdate?: boolean | undefined }
    ) => Effect.Effect<Option.Option<WaitlistEntry>>
    /** Locks the entry (waiting for another transaction's lock); none unless it is WAITING. */
    readonly lockWaiting: (orgId: OrgId, id: string) => Effect.Effect<Option.Option<WaitlistEntry>>
    /** Applies the changes and raises the version; the caller holds the row lock. */
    readonly update: (orgId: OrgId, id: string, changes: EntryChanges) => Effect.Effect<WaitlistEntry>
    /**
     * Entries with their live score and rank within their resource (and status group, see
     * `WaitlistFilters`), best first: ordered by resource, then status group, then rank.
     */
    readonly ranked: (orgId: OrgId, query: RankQuery) => Effect.Effect<ReadonlyArray<RankedEntry>>
    /** One entry's live score parts, counted as the ranking counts them; none if no such entry. */
    readonly scoreOf: (
      orgId: OrgId,
      id: string,
      weights: Weights,
      now: DateTime.Utc
    ) => Effect.Effect<Option.Option<ScoreParts>>
    /**
     * Brings the org's stored standings (the store's index of the ranking) up to date at `now`
     * with `weights`; run it in a transaction. Rankings are exact without it, only slower.
     */
    readonly refreshRanking: (orgId: OrgId, weights: Weights, now: DateTime.Utc) => Effect.Effect<void>
    /** Orgs whose stored standings need {@link refreshRanking} at `now`, at most `limit`. */
    readonly rankingsDue: (now: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<OrgId>>
    /** Offers of any org past their expiry, locked; rows another transaction holds are skipped. */
    readonly lockExpiredOffers: (
      now: DateTime.Utc,
      limit: number
    ) => Effect.Effect<ReadonlyArray<WaitlistEntry>>
  }
>()("@rota/core/waitlist/WaitlistRepo") {}
