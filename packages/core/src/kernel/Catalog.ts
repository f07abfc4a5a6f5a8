/**
 * The use-case steps every versioned, soft-deletable record shares: permission checks, the
 * transaction, the version check, the audit event and the change event. An entity's use case
 * (`Sites`, `Resources`, `Parts`, ...) builds on them and adds its own rules.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type * as Audit from "./Audit.ts"
import type { AuditLog } from "./AuditLog.ts"
import * as ChangeRecord from "./ChangeRecord.ts"
import {
  type AlreadyExists,
  type Forbidden,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  type ValidationFailed
} from "./Errors.ts"
import type { Ids, OrgId } from "./Ids.ts"
import type * as Outbox from "./Outbox.ts"
import type { Page } from "./Pagination.ts"
import * as Permissions from "./Permissions.ts"
import type { Changes, ListQuery, Records, Versioned } from "./Records.ts"
import { CurrentActor } from "./RequestContext.ts"
import { Transactor } from "./Transactor.ts"
import { check, demand, type Expected } from "./Versioning.ts"

/**
 * Who may read, write and see soft-deleted records of the entity.
 *
 * @since 0.1.0
 * @category models
 */
export interface Access {
  readonly read: Permissions.Permission
  readonly write: Permissions.Permission
  readonly readDeleted: Permissions.Permission
}

/**
 * Where a new record is created: the caller's org, at the clock's time.
 *
 * @since 0.1.0
 * @category models
 */
export interface Origin {
  readonly orgId: OrgId
  readonly at: DateTime.Utc
}

/**
 * The shared steps over one kind of record.
 *
 * @since 0.1.0
 * @category models
 */
export interface Catalog<A extends Versioned, Filters, SortField extends string> {
  readonly list: (
    query: ListQuery<Filters, SortField>
  ) => Effect.Effect<Page<A>, Forbidden | ValidationFailed, CurrentActor>
  /** The record, live (or soft-deleted too when asked by someone allowed to see those). */
  readonly get: (
    id: string,
    options?: { readonly includeDeleted?: boolean | undefined }
  ) => Effect.Effect<A, Forbidden | NotFound, CurrentActor>
  /** A live record of the caller's org, for references between records (a unit's resource). */
  readonly findLive: (id: string) => Effect.Effect<Option.Option<A>, never, CurrentActor>
  readonly create: <E, R>(
    build: (origin: Origin) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, Forbidden | AlreadyExists | E, CurrentActor | R>
  /**
   * Changes a live record at the expected version; `change` turns the record as it is into
   * the changes to make. A change of `status` is audited as a `STATUS_CHANGE`.
   */
  readonly update: <E, R>(
    id: string,
    expectedVersion: Expected,
    change: (before: A) => Effect.Effect<Changes<A>, E, R>
  ) => Effect.Effect<
    A,
    Forbidden | NotFound | PreconditionRequired | PreconditionFailed | AlreadyExists | E,
    CurrentActor | R
  >
  readonly remove: (
    id: string,
    expectedVersion: Expected
  ) => Effect.Effect<void, Forbidden | NotFound | PreconditionRequired | PreconditionFailed, CurrentActor>
  /** Restoring a live record changes nothing and answers it as it is. */
  readonly restore: (
    id: string,
    expectedVersion: Expected
  ) => Effect.Effect<
    A,
    Forbidden | NotFound | PreconditionRequired | PreconditionFailed | AlreadyExists,
    CurrentActor
  >
  /**
   * Records a write made by the entity's own operations (a stock adjustment): the audit event
   * and the change event, inside the caller's transaction.
   */
  readonly recordChange: (
    action: Audit.AuditAction,
    before: A | null,
    after: A,
    detail?: Record<string, unknown>
  ) => Effect.Effect<void, never, CurrentActor>
}

/**
 * The operations an entity's use case passes on unchanged.
 *
 * @since 0.1.0
 * @category models
 */
export type Shared<A extends Versioned, Filters, SortField extends string> = Pick<
  Catalog<A, Filters, SortField>,
  "list" | "get" | "remove" | "restore"
>

const verbOf: Record<Audit.AuditAction, string> = {
  CREATE: "created",
  UPDATE: "updated",
  SOFT_DELETE: "deleted",
  RESTORE: "restored",
  STATUS_CHANGE: "status_changed"
}

const statusOf = (record: unknown): unknown =>
  typeof record === "object" && record !== null && "status" in record ? record.status : undefined

/**
 * The steps for `entity` over its store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <A extends Versioned, Filters, SortField extends string>(options: {
  /** A singular lower-case noun, as audit events and errors name it: `site`, `part`. */
  readonly entity: string
  readonly records: Records<A, Filters, SortField>
  readonly access: Access
}): Effect.Effect<Catalog<A, Filters, SortField>, never, Transactor | AuditLog | Outbox.Outbox | Ids> =>
  Effect.gen(function* () {
    const { entity, records, access } = options
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const recordChange = (
      action: Audit.AuditAction,
      before: A | null,
      after: A,
      detail?: Record<string, unknown>
    ): Effect.Effect<void, never, CurrentActor> =>
      ChangeRecord.record(
        {
          entityType: entity,
          entityId: after.id,
          action,
          before,
          after: detail === undefined ? after : { ...after, ...detail }
        },
        {
          orgId: after.orgId,
          topic: `${entity}.${verbOf[action]}`,
          // The status lets consumers tell what a status change was without reading the record,
          // which may have moved on by the time they do.
          payload:
            typeof statusOf(after) === "string"
              ? { id: after.id, version: after.version, status: statusOf(after) as string }
              : { id: after.id, version: after.version }
        }
      ).pipe(Effect.provide(context))

    const mustFind = (orgId: OrgId, id: string, includeDeleted: boolean) =>
      Effect.flatMap(records.find(orgId, id, { includeDeleted, forUpdate: true }), (found) =>
        Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new NotFound({ entity, id }))
      )

    const list: Catalog<A, Filters, SortField>["list"] = (query) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.read)
        if (query.includeDeleted === true) yield* Permissions.require(access.readDeleted)
        const actor = yield* CurrentActor
        return yield* records.list(actor.orgId, query)
      })

    const get: Catalog<A, Filters, SortField>["get"] = (id, getOptions) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.read)
        const includeDeleted = getOptions?.includeDeleted === true
        if (includeDeleted) yield* Permissions.require(access.readDeleted)
        const actor = yield* CurrentActor
        const found = yield* records.find(actor.orgId, id, { includeDeleted })
        if (Option.isNone(found)) return yield* new NotFound({ entity, id })
        return found.value
      })

    const findLive: Catalog<A, Filters, SortField>["findLive"] = (id) =>
      Effect.flatMap(Effect.service(CurrentActor), (actor) => records.find(actor.orgId, id))

    const create: Catalog<A, Filters, SortField>["create"] = (build) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        const at = yield* DateTime.now
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const record = yield* build({ orgId: actor.orgId, at })
            const inserted = yield* records.insert(record)
            yield* recordChange("CREATE", null, inserted)
            return inserted
          })
        )
      })

    const update: Catalog<A, Filters, SortField>["update"] = (id, expectedVersion, change) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* mustFind(actor.orgId, id, false)
            const version = yield* demand(entity, expectedVersion)
            const changes = yield* change(before)
            const after = yield* records.update(actor.orgId, id, version, changes)
            const action = statusOf(after) !== statusOf(before) ? "STATUS_CHANGE" : "UPDATE"
            yield* recordChange(action, before, after)
            return after
          })
        )
      })

    const remove: Catalog<A, Filters, SortField>["remove"] = (id, expectedVersion) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* mustFind(actor.orgId, id, false)
            const version = yield* demand(entity, expectedVersion)
            const at = yield* DateTime.now
            const after = yield* records.softDelete(actor.orgId, id, version, DateTime.toDateUtc(at))
            yield* recordChange("SOFT_DELETE", before, after)
          })
        )
      })

    const restore: Catalog<A, Filters, SortField>["restore"] = (id, expectedVersion) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.write)
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* mustFind(actor.orgId, id, true)
            const version = yield* demand(entity, expectedVersion)
            if (before.deletedAt === null) {
              yield* check(entity, id, before.version, version)
              return before
            }
            const after = yield* records.restore(actor.orgId, id, version)
            yield* recordChange("RESTORE", before, after)
            return after
          })
        )
      })

    return { list, get, findLive, create, update, remove, restore, recordChange }
  })

/**
 * The operations of {@link Shared}, picked from a catalog.
 *
 * @since 0.1.0
 * @category constructors
 */
export const shared = <A extends Versioned, Filters, SortField extends string>(
  catalog: Catalog<A, Filters, SortField>
): Shared<A, Filters, SortField> => ({
  list: catalog.list,
  get: catalog.get,
  remove: catalog.remove,
  restore: catalog.restore
})
