/**
 * The storage ports of interventions: the interventions themselves (versioned records with
 * their assignees), their timeline, the parts used on them, their documents' metadata, and the
 * store of documents' bytes.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option } from "effect"
import type { ValidationFailed } from "../kernel/Errors.ts"
import type { OrgId } from "../kernel/Ids.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import type { Records } from "../kernel/Records.ts"
import type { Interval } from "../ledger/Interval.ts"
import type { Document } from "./Document.ts"
import type { Intervention, InterventionFilters, InterventionId, InterventionSort } from "./Intervention.ts"
import type { LeaderboardEntry } from "./Leaderboard.ts"
import type { PartUse } from "./PartUse.ts"
import type { TimelineEvent } from "./TimelineEvent.ts"

/**
 * Interventions carry their assignees; the store keeps them as linked rows.
 *
 * @since 0.1.0
 * @category services
 */
export class InterventionRepo extends Context.Service<
  InterventionRepo,
  Records<Intervention, InterventionFilters, InterventionSort> & {
    /**
     * Takes the org's next intervention number. It joins the caller's transaction and holds the
     * org's counter until it ends, so concurrent creations each get their own number and a
     * rolled-back one gives its number back.
     */
    readonly nextNumber: (orgId: OrgId) => Effect.Effect<number>
    /** Technicians ranked by interventions completed in `period`, best first, at most `limit`. */
    readonly leaderboard: (
      orgId: OrgId,
      period: Interval,
      limit: number
    ) => Effect.Effect<ReadonlyArray<LeaderboardEntry>>
  }
>()("@rota/core/interventions/InterventionRepo") {}

/**
 * Append-only: there is no way to change or remove an event.
 *
 * @since 0.1.0
 * @category services
 */
export class TimelineRepo extends Context.Service<
  TimelineRepo,
  {
    /**
     * Adds an event. Inside a transaction, an adapter may hold the write until just before the
     * commit: an event is not read back in the transaction that appends it.
     */
    readonly append: (event: TimelineEvent) => Effect.Effect<void>
    /** Oldest first; a malformed cursor is `ValidationFailed`. */
    readonly list: (
      orgId: OrgId,
      interventionId: InterventionId,
      page: PageRequest
    ) => Effect.Effect<Page<TimelineEvent>, ValidationFailed>
  }
>()("@rota/core/interventions/TimelineRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class PartUseRepo extends Context.Service<
  PartUseRepo,
  {
    readonly insert: (use: PartUse) => Effect.Effect<void>
    /** Oldest first; a malformed cursor is `ValidationFailed`. */
    readonly list: (
      orgId: OrgId,
      interventionId: InterventionId,
      page: PageRequest
    ) => Effect.Effect<Page<PartUse>, ValidationFailed>
  }
>()("@rota/core/interventions/PartUseRepo") {}

/**
 * Documents' metadata; the bytes are in the {@link DocumentStore}.
 *
 * @since 0.1.0
 * @category services
 */
export class DocumentRepo extends Context.Service<
  DocumentRepo,
  {
    readonly insert: (document: Document) => Effect.Effect<void>
    /** A live document of the org. */
    readonly find: (orgId: OrgId, id: string) => Effect.Effect<Option.Option<Document>>
    /** The live documents of an intervention, oldest first; a malformed cursor is `ValidationFailed`. */
    readonly list: (
      orgId: OrgId,
      interventionId: InterventionId,
      page: PageRequest
    ) => Effect.Effect<Page<Document>, ValidationFailed>
    /** Hides a live document; answers it as it is now. */
    readonly softDelete: (
      orgId: OrgId,
      id: string,
      at: DateTime.Utc
    ) => Effect.Effect<Option.Option<Document>>
  }
>()("@rota/core/interventions/DocumentRepo") {}

/**
 * Where documents' bytes are kept, by generated key. The default adapter keeps them in the
 * database, so every server of a deployment reads the same documents; an object store can take
 * its place. Writes join the caller's transaction when the adapter can.
 *
 * @since 0.1.0
 * @category services
 */
export class DocumentStore extends Context.Service<
  DocumentStore,
  {
    readonly put: (orgId: OrgId, key: string, bytes: Uint8Array) => Effect.Effect<void>
    readonly get: (orgId: OrgId, key: string) => Effect.Effect<Option.Option<Uint8Array>>
    readonly remove: (orgId: OrgId, key: string) => Effect.Effect<void>
  }
>()("@rota/core/interventions/DocumentStore") {}
