/**
 * The storage port shape shared by versioned, soft-deletable tenant records (sites, resources,
 * parts, ...): find, keyset-paged lists with filters, insert, and compare-and-set writes. Every
 * method takes the org, and touches that org's rows only.
 *
 * @since 0.1.0
 */
import type { DateTime, Effect, Option } from "effect"
import type { AlreadyExists, NotFound, PreconditionFailed, ValidationFailed } from "./Errors.ts"
import type { OrgId } from "./Ids.ts"
import type { Page, Sort } from "./Pagination.ts"

/**
 * What every record kept this way has.
 *
 * @since 0.1.0
 * @category models
 */
export interface Versioned {
  readonly id: string
  readonly orgId: OrgId
  readonly version: number
  readonly deletedAt: DateTime.Utc | null
}

/**
 * A page request over one kind of record: its own filters, a sort, and whether soft-deleted
 * rows are included.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListQuery<Filters, SortField extends string> {
  readonly limit: number
  readonly cursor?: string | undefined
  readonly sort?: Sort<SortField> | undefined
  readonly includeDeleted?: boolean | undefined
  readonly filters: Filters
}

/**
 * The fields a write may change: any field but the server-owned ones.
 *
 * @since 0.1.0
 * @category models
 */
export type Changes<A extends Versioned> = Partial<
  Omit<A, "id" | "orgId" | "version" | "deletedAt" | "createdAt">
>

/**
 * @since 0.1.0
 * @category models
 */
export interface FindOptions {
  readonly includeDeleted?: boolean | undefined
  /** Lock the row until the transaction ends, so the "before" of a write stays true. */
  readonly forUpdate?: boolean | undefined
}

/**
 * The operations a store offers for one kind of versioned record.
 *
 * @since 0.1.0
 * @category models
 */
export interface Records<A extends Versioned, Filters, SortField extends string> {
  /** A malformed cursor fails with `ValidationFailed`. */
  readonly list: (
    orgId: OrgId,
    query: ListQuery<Filters, SortField>
  ) => Effect.Effect<Page<A>, ValidationFailed>
  readonly find: (orgId: OrgId, id: string, options?: FindOptions) => Effect.Effect<Option.Option<A>>
  /** Fails when a unique field (a barcode, a SKU, a name) is taken. */
  readonly insert: (record: A) => Effect.Effect<A, AlreadyExists>
  /** Applies `changes` if the live row is at `expectedVersion` (any version when undefined). */
  readonly update: (
    orgId: OrgId,
    id: string,
    expectedVersion: number | undefined,
    changes: Changes<A>
  ) => Effect.Effect<A, NotFound | PreconditionFailed | AlreadyExists>
  readonly softDelete: (
    orgId: OrgId,
    id: string,
    expectedVersion: number | undefined,
    at: DateTime.Utc
  ) => Effect.Effect<A, NotFound | PreconditionFailed>
  /** Fails with `AlreadyExists` when a live record took a unique field meanwhile. */
  readonly restore: (
    orgId: OrgId,
    id: string,
    expectedVersion: number | undefined
  ) => Effect.Effect<A, NotFound | PreconditionFailed | AlreadyExists>
}
