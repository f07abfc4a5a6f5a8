/**
 * The interventions use case. Every write runs in one transaction that also appends its
 * timeline events, keeps the assignees' time on the ledger in step, and writes the audit and
 * change events. Members see only the interventions where they are the client; to them any
 * other one does not exist.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import * as Audit from "../Audit.ts"
import type { AuditLog } from "../AuditLog.ts"
import * as Catalog from "../Catalog.ts"
import {
  type AlreadyExists,
  type Conflict,
  type FieldIssue,
  type Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../Errors.ts"
import { type AccountId, type Ids, nextId } from "../Ids.ts"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import * as Permissions from "../identity/Permissions.ts"
import { PartRepo, ResourceRepo, SiteRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import { adjust, type InsufficientStock } from "../inventory/Part.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { SiteId } from "../inventory/Site.ts"
import { Ledger } from "../ledger/Ledger.ts"
import type { Outbox } from "../Outbox.ts"
import type { Page, PageRequest } from "../Pagination.ts"
import type { ListQuery } from "../Records.ts"
import { CurrentActor } from "../RequestContext.ts"
import { isAtLeast } from "../Role.ts"
import { Transactor } from "../Transactor.ts"
import { check, demand, type Expected } from "../Versioning.ts"
import {
  type AssigneeChanges,
  Intervention,
  type InterventionChanges,
  type InterventionFields,
  type InterventionFilters,
  InterventionId,
  type InterventionSort
} from "./Intervention.ts"
import { InterventionRepo, PartUseRepo, TimelineRepo } from "./InterventionRepos.ts"
import * as Rules from "./InterventionRules.ts"
import type { Leaderboard } from "./Leaderboard.ts"
import { PartUse, type PartUseFields, PartUseId } from "./PartUse.ts"
import { type EventType, type Note, TimelineEvent, TimelineEventId } from "./TimelineEvent.ts"

/**
 * Who may do what with interventions: every member reads (their own tickets only, unless they
 * may read all), technicians read all and write, managers assign and see soft-deleted ones.
 *
 * @since 0.1.0
 * @category constants
 */
export const access = {
  read: "intervention.read",
  readAll: "intervention.read_all",
  write: "intervention.write",
  assign: "intervention.assign",
  readDeleted: "intervention.read_deleted"
} as const satisfies Record<string, Permissions.Permission>

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

const invalid = (errors: ReadonlyArray<FieldIssue>) => new ValidationFailed({ errors })

// The fields an edit reports in its `updated` event: those whose value changed.
const changedFields = (before: Intervention, changes: InterventionChanges): ReadonlyArray<string> =>
  Object.entries(changes)
    .filter(([name, value]) => {
      if (name === "status" || value === undefined) return false
      const previous: unknown = before[name as keyof Intervention]
      return DateTime.isDateTime(value) && DateTime.isDateTime(previous)
        ? !DateTime.Equivalence(value, previous)
        : value !== previous
    })
    .map(([name]) => name)

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
  | Outbox
  | Ids
> = Layer.effect(
  Interventions,
  Effect.gen(function* () {
    const interventions = yield* InterventionRepo
    const catalog = yield* Catalog.make({ entity: "intervention", records: interventions, access })
    const parts = yield* PartRepo
    const partCatalog = yield* Catalog.make({
      entity: "part",
      records: parts,
      access: { read: "inventory.read", write: "inventory.write", readDeleted: "inventory.read_deleted" }
    })
    const timeline = yield* TimelineRepo
    const partUses = yield* PartUseRepo
    const memberships = yield* MembershipRepo
    const sites = yield* SiteRepo
    const resources = yield* ResourceRepo
    const units = yield* UnitRepo
    const ledger = yield* Ledger
    const transactor = yield* Transactor
    const services = yield* Effect.context<AuditLog | Ids>()

    const seesAll = Effect.map(Effect.service(CurrentActor), (actor) =>
      Permissions.allows(actor.role, access.readAll)
    )

    // Someone else's ticket is, to a member, an intervention that does not exist.
    const visible = (intervention: Intervention) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        if (!(yield* seesAll) && intervention.clientId !== actor.accountId)
          return yield* new NotFound({ entity: "intervention", id: intervention.id })
        return intervention
      })

    const get: Interventions["Service"]["get"] = (id, options) =>
      Effect.flatMap(catalog.get(id, options), visible)

    const append = (intervention: Intervention, type: EventType, data: Record<string, unknown> = {}) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const event = new TimelineEvent({
          id: yield* nextId(TimelineEventId),
          orgId: intervention.orgId,
          interventionId: intervention.id,
          type,
          actorId: actor.accountId,
          at: yield* DateTime.now,
          data: Audit.redact(data)
        })
        yield* timeline.append(event)
        return event
      }).pipe(Effect.provide(services))

    // The assignees' time follows what the intervention holds: released and claimed again
    // whenever assignees, schedule, status or deletion change it.
    const syncLedger = (before: Intervention | null, after: Intervention) =>
      Effect.gen(function* () {
        if (before !== null && !Rules.holdsOtherTime(before, after)) return
        if (before !== null) yield* ledger.release(after.orgId, { type: "intervention", id: after.id })
        const claims = Rules.claimsOf(after)
        if (claims.length > 0) yield* ledger.claim(after.orgId, claims)
      }).pipe(Effect.provide(services))

    // A live row of the caller's org, locked for the rest of the transaction, at the version the
    // caller expects: existence (404) and preconditions (428/412) answer before any state rule.
    const lockForWrite = (id: string, expectedVersion: Expected, includeDeleted = false) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const found = yield* interventions.find(actor.orgId, id, { forUpdate: true, includeDeleted })
        if (Option.isNone(found)) return yield* new NotFound({ entity: "intervention", id })
        const version = yield* demand("intervention", expectedVersion)
        yield* check("intervention", id, found.value.version, version)
        return { before: found.value, version }
      })

    const write = (id: string, version: number | undefined, changes: Partial<Intervention>) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        return yield* interventions
          .update(actor.orgId, id, version, changes)
          // Interventions have no unique field a write could collide with.
          .pipe(Effect.catchTag("AlreadyExists", (error: AlreadyExists) => Effect.die(error)))
      })

    const activeMember = (accountId: AccountId) =>
      Effect.flatMap(Effect.service(CurrentActor), (actor) => memberships.find(actor.orgId, accountId))

    const checkAssignees = (accountIds: ReadonlyArray<AccountId>, field: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const issues: Array<FieldIssue> = []
        for (const [index, accountId] of accountIds.entries()) {
          const member = yield* activeMember(accountId)
          if (Option.isNone(member) || !isAtLeast(member.value.role, "technician"))
            issues.push({ path: [...field, index], message: "Not a technician of this organisation" })
        }
        return issues
      })

    // The references a write names, as they will be: client, site, equipment and schedule.
    // A unit alone brings its resource; a unit of another resource is refused.
    const checkReferences = (target: {
      readonly clientId: AccountId | null
      readonly siteId: SiteId | null
      readonly resourceId: ResourceId | null
      readonly unitId: UnitId | null
      readonly scheduledStart: DateTime.Utc | null
      readonly scheduledEnd: DateTime.Utc | null
    }) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const issues: Array<FieldIssue> = []
        if (target.clientId !== null && Option.isNone(yield* activeMember(target.clientId)))
          issues.push({ path: ["body", "clientId"], message: "Not a member of this organisation" })
        if (target.siteId !== null && Option.isNone(yield* sites.find(actor.orgId, target.siteId)))
          issues.push({ path: ["body", "siteId"], message: "No such site" })
        let resourceId = target.resourceId
        if (target.unitId !== null) {
          const unit = yield* units.find(actor.orgId, target.unitId)
          if (Option.isNone(unit)) issues.push({ path: ["body", "unitId"], message: "No such unit" })
          else if (resourceId !== null && unit.value.resourceId !== resourceId)
            issues.push({ path: ["body", "unitId"], message: "The unit is not one of the resource's" })
          else resourceId = unit.value.resourceId
        }
        if (
          target.resourceId !== null &&
          Option.isNone(yield* resources.find(actor.orgId, target.resourceId))
        )
          issues.push({ path: ["body", "resourceId"], message: "No such resource" })
        const scheduled = yield* Effect.result(Rules.schedule(target))
        if (scheduled._tag === "Failure") issues.push(...scheduled.failure.errors)
        if (issues.length > 0) return yield* invalid(issues)
        return resourceId
      })

    const list: Interventions["Service"]["list"] = (query) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        return yield* catalog.list(
          (yield* seesAll) ? query : { ...query, filters: { ...query.filters, visibleTo: actor.accountId } }
        )
      })

    const create: Interventions["Service"]["create"] = Effect.fn("Interventions.create")(function* (fields) {
      yield* Permissions.require(access.write)
      // Whoever opens an intervention may staff it; changing its assignees later is a manager's.
      const assigneeIds = [...new Set(fields.assigneeIds ?? [])]
      const actor = yield* CurrentActor
      return yield* transactor.withTransaction(
        Effect.gen(function* () {
          const draft = {
            clientId: fields.clientId ?? null,
            siteId: fields.siteId ?? null,
            resourceId: fields.resourceId ?? null,
            unitId: fields.unitId ?? null,
            scheduledStart: fields.scheduledStart ?? null,
            scheduledEnd: fields.scheduledEnd ?? null
          }
          const resourceId = yield* checkReferences(draft)
          const assigneeIssues = yield* checkAssignees(assigneeIds, ["body", "assigneeIds"])
          if (assigneeIssues.length > 0) return yield* invalid(assigneeIssues)
          const intervention = new Intervention({
            ...draft,
            id: yield* nextId(InterventionId),
            orgId: actor.orgId,
            number: Rules.formatNumber(yield* interventions.nextNumber(actor.orgId)),
            title: fields.title,
            description: fields.description ?? null,
            kind: fields.kind ?? "CORRECTIVE",
            priority: fields.priority ?? "NORMAL",
            status: "PENDING",
            resourceId,
            subject: fields.subject ?? null,
            assigneeIds,
            dueAt: fields.dueAt ?? null,
            completedAt: null,
            completedBy: null,
            partsCost: null,
            version: 1,
            createdAt: yield* DateTime.now,
            deletedAt: null
          })
          const inserted = yield* interventions
            .insert(intervention)
            .pipe(Effect.catchTag("AlreadyExists", (error: AlreadyExists) => Effect.die(error)))
          yield* syncLedger(null, inserted)
          yield* append(inserted, "created", { number: inserted.number })
          if (assigneeIds.length > 0) yield* append(inserted, "assigned", { accountIds: assigneeIds })
          yield* catalog.recordChange("CREATE", null, inserted)
          return inserted
        }).pipe(Effect.provide(services))
      )
    })

    const update: Interventions["Service"]["update"] = Effect.fn("Interventions.update")(
      function* (id, expectedVersion, changes) {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const { before, version } = yield* lockForWrite(id, expectedVersion)
            const status =
              changes.status === undefined
                ? before.status
                : yield* Rules.transition(before.status, changes.status)
            const { status: _statusIsAMove, ...fields } = changes
            const merged = { ...before, ...fields }
            const resourceId = yield* checkReferences(merged)
            const completing = status === "COMPLETED" && before.status !== "COMPLETED"
            const after = yield* write(id, version, {
              ...fields,
              ...(resourceId === before.resourceId ? {} : { resourceId }),
              status,
              ...(completing ? { completedAt: yield* DateTime.now, completedBy: actor.accountId } : {})
            })
            yield* syncLedger(before, after)
            const edited = changedFields(before, fields)
            if (edited.length > 0) yield* append(after, "updated", { fields: edited })
            if (status !== before.status)
              yield* append(after, Rules.eventOfStatus[status as Exclude<typeof status, "PENDING">], {
                from: before.status,
                to: status
              })
            yield* catalog.recordChange(status !== before.status ? "STATUS_CHANGE" : "UPDATE", before, after)
            return after
          })
        )
      }
    )

    const remove: Interventions["Service"]["remove"] = Effect.fn("Interventions.remove")(
      function* (id, expectedVersion) {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            const { before, version } = yield* lockForWrite(id, expectedVersion)
            const at = DateTime.toDateUtc(yield* DateTime.now)
            const after = yield* interventions.softDelete(actor.orgId, id, version, at)
            yield* ledger.release(actor.orgId, { type: "intervention", id })
            yield* append(after, "deleted")
            yield* catalog.recordChange("SOFT_DELETE", before, after)
          })
        )
      }
    )

    const restore: Interventions["Service"]["restore"] = Effect.fn("Interventions.restore")(
      function* (id, expectedVersion) {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const { before, version } = yield* lockForWrite(id, expectedVersion, true)
            if (before.deletedAt === null) return before
            const after = yield* interventions
              .restore(actor.orgId, id, version)
              .pipe(Effect.catchTag("AlreadyExists", (error: AlreadyExists) => Effect.die(error)))
            yield* syncLedger(before, after)
            yield* append(after, "restored")
            yield* catalog.recordChange("RESTORE", before, after)
            return after
          })
        )
      }
    )

    const assign: Interventions["Service"]["assign"] = Effect.fn("Interventions.assign")(
      function* (id, expectedVersion, changes) {
        yield* Permissions.require(access.assign)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const { before, version } = yield* lockForWrite(id, expectedVersion)
            const add = changes.add ?? []
            const issues = yield* checkAssignees(add, ["body", "add"])
            if (issues.length > 0) return yield* invalid(issues)
            const assigneeIds = Rules.applyAssignees(before.assigneeIds, add, changes.remove ?? [])
            const added = assigneeIds.filter((accountId) => !before.assigneeIds.includes(accountId))
            const removed = before.assigneeIds.filter((accountId) => !assigneeIds.includes(accountId))
            if (added.length === 0 && removed.length === 0) return before
            const after = yield* write(id, version, { assigneeIds })
            yield* syncLedger(before, after)
            if (added.length > 0) yield* append(after, "assigned", { accountIds: added })
            if (removed.length > 0) yield* append(after, "unassigned", { accountIds: removed })
            yield* catalog.recordChange("UPDATE", before, after)
            return after
          })
        )
      }
    )

    const timelineOf: Interventions["Service"]["timeline"] = (id, page) =>
      Effect.flatMap(get(id), (intervention) => timeline.list(intervention.orgId, intervention.id, page))

    const addNote: Interventions["Service"]["addNote"] = Effect.fn("Interventions.addNote")(
      function* (id, note) {
        yield* Permissions.require(access.write)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const intervention = yield* get(id)
            const event = yield* append(intervention, "note", { text: note.text })
            yield* Audit.record({
              entityType: "intervention_event",
              entityId: event.id,
              action: "CREATE",
              after: event
            })
            return event
          }).pipe(Effect.provide(services))
        )
      }
    )

    const useParts: Interventions["Service"]["useParts"] = Effect.fn("Interventions.useParts")(
      function* (id, expectedVersion, fields) {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            // The intervention first, then the part: every part use locks in this order, so
            // parallel uses queue instead of deadlocking, and none reads stale stock.
            const { before, version } = yield* lockForWrite(id, expectedVersion)
            yield* Rules.checkTakesParts(before)
            const part = yield* parts.find(actor.orgId, fields.partId, { forUpdate: true })
            if (Option.isNone(part))
              return yield* invalid([{ path: ["body", "partId"], message: "No such part" }])
            const { unitPrice } = part.value
            if (before.partsCost !== null && before.partsCost.currency !== unitPrice.currency)
              return yield* invalid([
                {
                  path: ["body", "partId"],
                  message: `The part is priced in ${unitPrice.currency}; this intervention's parts are in ${before.partsCost.currency}`
                }
              ])
            const quantityOnHand = yield* adjust(part.value, -fields.quantity)
            const partAfter = yield* parts
              .update(actor.orgId, part.value.id, undefined, { quantityOnHand })
              .pipe(Effect.catchTag("AlreadyExists", (error: AlreadyExists) => Effect.die(error)))
            const total = { amount: unitPrice.amount * fields.quantity, currency: unitPrice.currency }
            const use = new PartUse({
              id: yield* nextId(PartUseId),
              orgId: actor.orgId,
              interventionId: before.id,
              partId: part.value.id,
              quantity: fields.quantity,
              unitPrice,
              total,
              usedBy: actor.accountId,
              usedAt: yield* DateTime.now
            })
            yield* partUses.insert(use)
            const after = yield* write(id, version, {
              partsCost: { amount: (before.partsCost?.amount ?? 0) + total.amount, currency: total.currency }
            })
            yield* append(after, "part_used", {
              partUseId: use.id,
              partId: use.partId,
              quantity: use.quantity,
              total
            })
            yield* partCatalog.recordChange("UPDATE", part.value, partAfter, {
              adjustment: { delta: -fields.quantity, reason: `used on intervention ${before.number}` }
            })
            yield* catalog.recordChange("UPDATE", before, after)
            return use
          }).pipe(Effect.provide(services))
        )
      }
    )

    const partsUsed: Interventions["Service"]["partsUsed"] = (id, page) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.readAll)
        const intervention = yield* get(id)
        return yield* partUses.list(intervention.orgId, intervention.id, page)
      })

    const leaderboard: Interventions["Service"]["leaderboard"] = Effect.fn("Interventions.leaderboard")(
      function* (period) {
        yield* Permissions.require(access.read)
        const actor = yield* CurrentActor
        const to = period.to ?? (yield* DateTime.now)
        const from = period.from ?? DateTime.subtractDuration(to, Duration.days(30))
        if (!DateTime.isGreaterThan(to, from))
          return yield* invalid([{ path: ["query", "to"], message: "Expected to to be after from" }])
        const items = yield* interventions.leaderboard(actor.orgId, { startAt: from, endAt: to }, 100)
        return { from, to, items }
      }
    )

    return Interventions.of({
      list,
      get,
      create,
      update,
      remove,
      restore,
      assign,
      timeline: timelineOf,
      addNote,
      useParts,
      partsUsed,
      leaderboard
    })
  })
)
