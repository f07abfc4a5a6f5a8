/**
 * The interventions use case. Every write runs in one transaction that also appends its
 * timeline events, keeps the assignees' time on the ledger in step, and writes the audit and
 * change events. Members see only the interventions where they are the client; to them any
 * other one does not exist. The steps live by concept: `InterventionOpening` (create),
 * `InterventionEdits` (update, remove, restore, assign), `InterventionParts`, `InterventionReads`,
 * over the shared `InterventionSteps` and `InterventionChecks`; the rules in `InterventionRules`.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, Effect, Layer } from "effect"
import type { MembershipRepo } from "../identity/IdentityRepos.ts"
import type { PartRepo, ResourceRepo, SiteRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { InsufficientStock } from "../inventory/Part.ts"
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
import type { Ids, OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type {
  AssigneeChanges,
  Intervention,
  InterventionChanges,
  InterventionFields,
  InterventionFilters,
  InterventionId,
  InterventionSort
} from "./Intervention.ts"
import * as InterventionDeps from "./InterventionDeps.ts"
import * as Edits from "./InterventionEdits.ts"
import * as Opening from "./InterventionOpening.ts"
import * as Parts from "./InterventionParts.ts"
import * as Reads from "./InterventionReads.ts"
import type { InterventionRepo, PartUseRepo, TimelineRepo } from "./InterventionRepos.ts"
import * as Steps from "./InterventionSteps.ts"
import type { Leaderboard } from "./Leaderboard.ts"
import type { PartUse, PartUseFields } from "./PartUse.ts"
import type { Note, PostedEvent, TimelineEvent } from "./TimelineEvent.ts"

export {
  /** @since 0.1.0 */
  access
} from "./Access.ts"

type WriteError = Forbidden | NotFound | PreconditionRequired | PreconditionFailed

/**
 * @since 0.1.0
 * @category services
 */
export class Interventions extends Context.Service<
  Interventions,
  {
    readonly list: (
      query: ListQuery<InterventionFilters, InterventionSort>
    ) => Effect.Effect<Page<Intervention>, Forbidden | ValidationFailed, CurrentActor>
    /** An intervention the caller may see: any of the org's, or, for members, one of their own. */
    readonly get: (
      id: string,
      options?: { readonly includeDeleted?: boolean | undefined }
    ) => Effect.Effect<Intervention, Forbidden | NotFound, CurrentActor>
    /** Numbers it, checks its references, and claims its assignees' scheduled time. */
    readonly create: (
      fields: InterventionFields
    ) => Effect.Effect<Intervention, Forbidden | ValidationFailed | Conflict, CurrentActor>
    /**
     * Opens an intervention as the system, not a person (no permission is checked, the audit
     * event names no actor), with the given id, in a savepoint of the caller's transaction when
     * there is one (a refusal undoes only this attempt).
     * For the server's own work: a maintenance plan's due date.
     */
    readonly openAsSystem: (
      orgId: OrgId,
      id: InterventionId,
      fields: InterventionFields
    ) => Effect.Effect<Intervention, ValidationFailed | Conflict>
    /** Edits fields; a `status` moves it through the state machine. */
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: InterventionChanges
    ) => Effect.Effect<
      Intervention,
      WriteError | ValidationFailed | InvalidTransition | Conflict,
      CurrentActor
    >
    readonly remove: (id: string, expectedVersion: Expected) => Effect.Effect<void, WriteError, CurrentActor>
    /** Claims its assignees' time again, so it fails with `Conflict` if that time was taken. */
    readonly restore: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<Intervention, WriteError | Conflict, CurrentActor>
    readonly assign: (
      id: string,
      expectedVersion: Expected,
      changes: AssigneeChanges
    ) => Effect.Effect<Intervention, WriteError | ValidationFailed | Conflict, CurrentActor>
    /** The timeline, oldest first. */
    readonly timeline: (
      id: string,
      page: PageRequest
    ) => Effect.Effect<Page<TimelineEvent>, Forbidden | NotFound | ValidationFailed, CurrentActor>
    readonly addNote: (
      id: string,
      note: Note
    ) => Effect.Effect<TimelineEvent, Forbidden | NotFound, CurrentActor>
    /** A typed event (diagnosis, customer contacted, photo...); system types are not postable. */
    readonly postEvent: (
      id: string,
      event: PostedEvent
    ) => Effect.Effect<TimelineEvent, Forbidden | NotFound, CurrentActor>
    /** Takes the pieces out of stock and adds their cost, all or nothing. */
    readonly useParts: (
      id: string,
      expectedVersion: Expected,
      fields: PartUseFields
    ) => Effect.Effect<
      PartUse,
      WriteError | ValidationFailed | InsufficientStock | InvalidTransition,
      CurrentActor
    >
    readonly partsUsed: (
      id: string,
      page: PageRequest
    ) => Effect.Effect<Page<PartUse>, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /** Defaults to the 30 days up to now. */
    readonly leaderboard: (period: {
      readonly from?: DateTime.Utc | undefined
      readonly to?: DateTime.Utc | undefined
    }) => Effect.Effect<Leaderboard, Forbidden | ValidationFailed, CurrentActor>
  }
>()("@rota/core/interventions/Interventions") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Interventions,
  never,
  | InterventionRepo
  | TimelineRepo
  | PartUseRepo
  | PartRepo
  | MembershipRepo
  | SiteRepo
  | ResourceRepo
  | UnitRepo
  | Ledger
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Interventions,
  Effect.gen(function* () {
    const deps = yield* InterventionDeps.make
    const postEvent = Effect.fn("Interventions.postEvent")(Reads.postEvent(deps))
    return Interventions.of({
      list: Effect.fn("Interventions.list")(Reads.list(deps)),
      get: Effect.fn("Interventions.get")((id, options) => Steps.find(deps, id, options)),
      create: Effect.fn("Interventions.create")(Opening.create(deps)),
      openAsSystem: Effect.fn("Interventions.openAsSystem")(Opening.openAsSystem(deps)),
      update: Effect.fn("Interventions.update")(Edits.update(deps)),
      remove: Effect.fn("Interventions.remove")(Edits.remove(deps)),
      restore: Effect.fn("Interventions.restore")(Edits.restore(deps)),
      assign: Effect.fn("Interventions.assign")(Edits.assign(deps)),
      timeline: Effect.fn("Interventions.timeline")(Reads.timeline(deps)),
      addNote: Effect.fn("Interventions.addNote")((id, note) =>
        postEvent(id, { type: "note", details: note.text })
      ),
      postEvent,
      useParts: Effect.fn("Interventions.useParts")(Parts.useParts(deps)),
      partsUsed: Effect.fn("Interventions.partsUsed")(Parts.partsUsed(deps)),
      leaderboard: Effect.fn("Interventions.leaderboard")(Reads.leaderboard(deps))
    })
  })
)
