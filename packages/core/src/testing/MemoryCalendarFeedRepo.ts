/**
 * The `CalendarFeedRepo` port on the {@link MemoryDatabase}: feeds with their tokens' hashes,
 * live until revoked, listed by creation then id, as on PostgreSQL (the same
 * `CalendarFeedRepoContract` holds both adapters to it).
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import type { CalendarFeed } from "../calendars/CalendarFeed.ts"
import { CalendarFeedRepo } from "../calendars/CalendarFeedRepo.ts"
import { type AccountId, isUuid, type OrgId } from "../kernel/Ids.ts"
import type { PageRequest } from "../kernel/Pagination.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"
import { pageOf } from "./MemoryPages.ts"

interface FeedRow {
  readonly feed: CalendarFeed
  readonly tokenHash: string
  readonly revokedAt: DateTime.Utc | null
}

const feeds = rows<FeedRow>("calendar_feeds")

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CalendarFeedRepo, never, MemoryDatabase> = Layer.effect(
  CalendarFeedRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    const live = Effect.map(database.read(feeds), (table) =>
      [...table.values()].filter((row) => row.revokedAt === null)
    )

    const insert = Effect.fn("MemoryCalendarFeedRepo.insert")(function* (
      feed: CalendarFeed,
      tokenHash: string
    ) {
      yield* database.modify(feeds, (table) => [
        undefined,
        put(table, feed.id, { feed, tokenHash, revokedAt: null })
      ])
    })

    const list = Effect.fn("MemoryCalendarFeedRepo.list")(function* (
      orgId: OrgId,
      page: PageRequest,
      createdBy: AccountId | undefined
    ) {
      const ofOrg = (yield* live)
        .map((row) => row.feed)
        .filter((feed) => feed.orgId === orgId && (createdBy === undefined || feed.createdBy === createdBy))
      return yield* pageOf(ofOrg, {
        positionOf: (feed) => [DateTime.toEpochMillis(feed.createdAt), feed.id],
        direction: "asc",
        limit: page.limit,
        cursor: page.cursor
      })
    })

    const find = Effect.fn("MemoryCalendarFeedRepo.find")(function* (orgId: OrgId, id: string) {
      const row = isUuid(id) ? (yield* database.read(feeds)).get(id) : undefined
      return row === undefined || row.revokedAt !== null || row.feed.orgId !== orgId
        ? Option.none()
        : Option.some(row.feed)
    })

    const findByTokenHash = Effect.fn("MemoryCalendarFeedRepo.findByTokenHash")(function* (
      tokenHash: string
    ) {
      const row = (yield* live).find((candidate) => candidate.tokenHash === tokenHash)
      return row === undefined ? Option.none() : Option.some({ feed: row.feed, tokenHash: row.tokenHash })
    })

    const revoke = Effect.fn("MemoryCalendarFeedRepo.revoke")(function* (
      orgId: OrgId,
      id: string,
      at: DateTime.Utc
    ) {
      return yield* database.modify(feeds, (table) => {
        const row = table.get(id)
        return row === undefined || row.revokedAt !== null || row.feed.orgId !== orgId
          ? [false, table]
          : [true, put(table, id, { ...row, revokedAt: at })]
      })
    })

    return CalendarFeedRepo.of({ insert, list, find, findByTokenHash, revoke })
  })
)
