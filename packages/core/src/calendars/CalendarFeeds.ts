/**
 * The calendar feeds use case: a person subscribes to their own time, a manager to anyone's or
 * a resource's; the secret URL's token is answered once; the public feed reads the subject's
 * claims on the ledger over a bounded window.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { BookingRepo } from "../bookings/BookingRepos.ts"
import type { AccountRepo, MembershipRepo } from "../identity/IdentityRepos.ts"
import type { TokenSigner } from "../identity/TokenSigner.ts"
import type { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type { CalendarFeed, FeedKind } from "./CalendarFeed.ts"
import type { CalendarFeedRepo } from "./CalendarFeedRepo.ts"
import type { Served } from "./CalendarFeedServing.ts"
import * as Serving from "./CalendarFeedServing.ts"
import type { WithToken } from "./CalendarFeedSteps.ts"
import * as Steps from "./CalendarFeedSteps.ts"

export type {
  /** @since 0.1.0 */
  Served
} from "./CalendarFeedServing.ts"
export {
  /** @since 0.1.0 */
  createdTopic,
  /** @since 0.1.0 */
  revokedTopic,
  /** @since 0.1.0 */
  type WithToken
} from "./CalendarFeedSteps.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class CalendarFeeds extends Context.Service<
  CalendarFeeds,
  {
    readonly create: (request: {
      readonly kind: FeedKind
      readonly subjectId: string
    }) => Effect.Effect<WithToken, Forbidden | NotFound, CurrentActor>
    /** Managers see the org's live feeds, others their own. */
    readonly list: (page: PageRequest) => Effect.Effect<Page<CalendarFeed>, ValidationFailed, CurrentActor>
    /** The caller's own feed, or any of the org's for `calendar.manage`. */
    readonly get: (id: string) => Effect.Effect<CalendarFeed, NotFound, CurrentActor>
    /** The URL stops answering at once. */
    readonly revoke: (id: string) => Effect.Effect<void, NotFound, CurrentActor>
    /** The feed of `token`, without a session: an unknown or revoked token is `NotFound`. */
    readonly serve: (token: string) => Effect.Effect<Served, NotFound>
  }
>()("@rota/core/calendars/CalendarFeeds") {}

type Needs =
  | CalendarFeedRepo
  | TokenSigner
  | MembershipRepo
  | AccountRepo
  | ResourceRepo
  | UnitRepo
  | Ledger
  | BookingRepo

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CalendarFeeds, never, Needs | Transactor | AuditLog | Outbox.Outbox | Ids> =
  Layer.effect(
    CalendarFeeds,
    Effect.gen(function* () {
      const deps = yield* Steps.make
      const get = Effect.fn("CalendarFeeds.get")(Steps.get(deps))
      return CalendarFeeds.of({
        create: Effect.fn("CalendarFeeds.create")(Steps.create(deps)),
        list: Effect.fn("CalendarFeeds.list")(Steps.list(deps)),
        get,
        revoke: Effect.fn("CalendarFeeds.revoke")(Steps.revoke(deps, get)),
        serve: Effect.fn("CalendarFeeds.serve")(Serving.serve(deps))
      })
    })
  )
