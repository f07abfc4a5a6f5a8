/**
 * The waitlist use case: joining when nothing is free, ranked listings, accepting or declining
 * an offer, and staff arbitration (offer a chosen unit or interval, refuse, force expiry).
 * The steps: `WaitlistJoining`, `WaitlistReads`, `WaitlistDecisions`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { NotBookable } from "../bookings/BookingErrors.ts"
import type { Bookings } from "../bookings/Bookings.ts"
import type { OrgRepo } from "../identity/IdentityRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  Conflict,
  Forbidden,
  InvalidTransition,
  NotFound,
  PreconditionFailed,
  PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type { Offers } from "./Offers.ts"
import * as Decisions from "./WaitlistDecisions.ts"
import * as WaitlistDeps from "./WaitlistDeps.ts"
import type { RankedEntry, WaitlistEntry, WaitlistFilters } from "./WaitlistEntry.ts"
import type { Join, StaffOffer, UnitAvailable } from "./WaitlistInput.ts"
import * as Joining from "./WaitlistJoining.ts"
import * as Reads from "./WaitlistReads.ts"
import type { WaitlistRepo } from "./WaitlistRepo.ts"

export {
  /** @since 0.1.0 */
  type Join,
  /** @since 0.1.0 */
  type StaffOffer,
  /** @since 0.1.0 */
  UnitAvailable
} from "./WaitlistInput.ts"

type Step = Forbidden | NotFound | PreconditionRequired | PreconditionFailed | InvalidTransition

/**
 * @since 0.1.0
 * @category services
 */
export class Waitlist extends Context.Service<
  Waitlist,
  {
    readonly join: (
      input: Join
    ) => Effect.Effect<WaitlistEntry, Forbidden | NotFound | ValidationFailed | UnitAvailable, CurrentActor>
    /**
     * Managers: entries ranked by live score within their resource; WAITING ones unless
     * `statuses` says otherwise.
     */
    readonly list: (
      filters: WaitlistFilters,
      page: { readonly limit: number; readonly cursor?: string | undefined }
    ) => Effect.Effect<
      { readonly items: ReadonlyArray<RankedEntry>; readonly nextCursor: string | null },
      Forbidden | ValidationFailed,
      CurrentActor
    >
    /** The caller's own entries, with their rank in their resource's line. */
    readonly mine: (
      filters: WaitlistFilters,
      page: { readonly limit: number; readonly cursor?: string | undefined }
    ) => Effect.Effect<
      { readonly items: ReadonlyArray<RankedEntry>; readonly nextCursor: string | null },
      Forbidden | ValidationFailed,
      CurrentActor
    >
    /** The caller's own entry, or any for staff; another member's is not found. */
    readonly get: (id: string) => Effect.Effect<WaitlistEntry, Forbidden | NotFound, CurrentActor>
    /** The hold becomes a booking, in one transaction. */
    readonly accept: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step | ValidationFailed | Conflict | NotBookable, CurrentActor>
    readonly decline: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly cancel: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly expire: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly refuse: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly offer: (
      id: string,
      expectedVersion: Expected,
      proposal: StaffOffer
    ) => Effect.Effect<WaitlistEntry, Step | ValidationFailed | Conflict, CurrentActor>
  }
>()("@rota/core/waitlist/Waitlist") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Waitlist,
  never,
  WaitlistRepo | Offers | Bookings | Ledger | OrgRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  Waitlist,
  Effect.gen(function* () {
    const deps = yield* WaitlistDeps.make
    return Waitlist.of({
      join: Effect.fn("Waitlist.join")(Joining.join(deps)),
      get: Effect.fn("Waitlist.get")(Reads.get(deps)),
      list: Effect.fn("Waitlist.list")(Reads.list(deps)),
      mine: Effect.fn("Waitlist.mine")(Reads.mine(deps)),
      accept: Effect.fn("Waitlist.accept")(Decisions.accept(deps)),
      decline: Effect.fn("Waitlist.decline")(Decisions.closeAs(deps, "decline", false)),
      cancel: Effect.fn("Waitlist.cancel")(Decisions.closeAs(deps, "cancel", false)),
      expire: Effect.fn("Waitlist.expire")(Decisions.closeAs(deps, "expire", true, "waitlist.expire")),
      refuse: Effect.fn("Waitlist.refuse")(Decisions.closeAs(deps, "refuse", true, "waitlist.manage")),
      offer: Effect.fn("Waitlist.offer")(Decisions.offer(deps))
    })
  })
)
