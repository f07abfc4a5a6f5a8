/**
 * The use-case steps every versioned, soft-deletable record shares: permission checks, the
 * transaction, the version check, the audit event and the change event. An entity's use case
 * (`Sites`, `Resources`, `Parts`, ...) builds on them and adds its own rules.
 *
 * @since 0.1.0
 */
import { type Context, DateTime, Effect, Option } from "effect"
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

// What the steps work with, gathered once by `make`.
interface Deps<A extends Versioned, Filters, SortField extends string> {
  readonly entity: string
  readonly records: Records<A, Filters, SortField>
  readonly access: Access
  readonly transactor: Transactor["Service"]
  readonly context: Context.Context<AuditLog | Outbox.Outbox | Ids>
}

// One of the catalog's operations, built from what it works with.
type Step<K extends keyof Catalog<Versioned, unknown, string>> = <A extends Versioned, F, S extends string>(
  deps: Deps<A, F, S>
) => Catalog<A, F, S>[K]

// The status says what a status change was without reading the record, which may have moved on.
const payloadOf = (after: Versioned) =>
  typeof statusOf(after) === "string"
    ? { id: after.id, version: after.version, status: statusOf(after) as string }
    : { id: after.id, version: after.version }

const recordChange: Step<"recordChange"> = (deps) => (action, before, after, detail) =>
  ChangeRecord.record(
    {
      entityType: deps.entity,
      entityId: after.id,
      action,
      before,
      after: detail === undefined ? after : { ...after, ...detail }
    },
    { orgId: after.orgId, topic: `${deps.entity}.${verbOf[action]}`, payload: payloadOf(after) }
  ).pipe(Effect.provide(deps.context))

const mustFind = <A extends Versioned, F, S extends string>(
  { entity, records }: Deps<A, F, S>,
  orgId: OrgId,
  id: string,
  includeDeleted: boolean
) =>
  Effect.flatMap(records.find(orgId, id, { includeDeleted, forUpdate: true }), (found) =>
    Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new NotFound({ entity, id }))
  )

// The write permission, then `work` on the caller's org in one transaction.
const writing = <B, E, R>(
  deps: { readonly access: Access; readonly transactor: Transactor["Service"] },
  work: (orgId: OrgId) => Effect.Effect<B, E, R>
) =>
  Effect.gen(function* () {
    yield* Permissions.require(deps.access.write)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(work(actor.orgId))
  })

const list: Step<"list"> = (deps) => (query) =>
  Effect.gen(function* () {
    yield* Permissions.require(deps.access.read)
    if (query.includeDeleted === true) yield* Permissions.require(deps.access.readDeleted)
    const actor = yield* CurrentActor
    return yield* deps.records.list(actor.orgId, query)
  })

const get: Step<"get"> = (deps) => (id, getOptions) =>
  Effect.gen(function* () {
    yield* Permissions.require(deps.access.read)
    const includeDeleted = getOptions?.includeDeleted === true
    if (includeDeleted) yield* Permissions.require(deps.access.readDeleted)
    const actor = yield* CurrentActor
    const found = yield* deps.records.find(actor.orgId, id, { includeDeleted })
    if (Option.isNone(found)) return yield* new NotFound({ entity: deps.entity, id })
    return found.value
  })

const findLive: Step<"findLive"> = (deps) => (id) =>
  Effect.flatMap(Effect.service(CurrentActor), (actor) => deps.records.find(actor.orgId, id))

const create: Step<"create"> = (deps) => (build) =>
  writing(deps, (orgId) =>
    Effect.gen(function* () {
      const record = yield* build({ orgId, at: yield* DateTime.now })
      const inserted = yield* deps.records.insert(record)
      yield* recordChange(deps)("CREATE", null, inserted)
      return inserted
    })
  )

const update: Step<"update"> = (deps) => (id, expectedVersion, change) =>
  writing(deps, (orgId) =>
    Effect.gen(function* () {
      const before = yield* mustFind(deps, orgId, id, false)
      const version = yield* demand(deps.entity, expectedVersion)
      const changes = yield* change(before)
      const after = yield* deps.records.update(orgId, id, version, changes)
      const action = statusOf(after) !== statusOf(before) ? "STATUS_CHANGE" : "UPDATE"
      yield* recordChange(deps)(action, before, after)
      return after
    })
  )

const remove: Step<"remove"> = (deps) => (id, expectedVersion) =>
  writing(deps, (orgId) =>
    Effect.gen(function* () {
      const before = yield* mustFind(deps, orgId, id, false)
      const version = yield* demand(deps.entity, expectedVersion)
      const at = yield* DateTime.now
      const after = yield* deps.records.softDelete(orgId, id, version, at)
      yield* recordChange(deps)("SOFT_DELETE", before, after)
    })
  )

const restore: Step<"restore"> = (deps) => (id, expectedVersion) =>
  writing(deps, (orgId) =>
    Effect.gen(function* () {
      const before = yield* mustFind(deps, orgId, id, true)
      const version = yield* demand(deps.entity, expectedVersion)
      if (before.deletedAt === null) {
        yield* check(deps.entity, id, before.version, version)
        return before
      }
      const after = yield* deps.records.restore(orgId, id, version)
      yield* recordChange(deps)("RESTORE", before, after)
      return after
    })
  )

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
    const deps: Deps<A, Filters, SortField> = {
      ...options,
      transactor: yield* Transactor,
      context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
    }
    return {
      list: list(deps),
      get: get(deps),
      findLive: findLive(deps),
      create: create(deps),
      update: update(deps),
      remove: remove(deps),
      restore: restore(deps),
      recordChange: recordChange(deps)
    }
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
