/**
 * The checks of an import's unique fields, made before anything is created: against the other
 * records of the file, and in one query against the org's live records.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { PartRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { OrgId } from "../kernel/Ids.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import * as Rows from "./Rows.ts"
import type * as Tables from "./Tables.ts"

/**
 * The problems of a file's decoded records found before any is created.
 *
 * @since 0.1.0
 * @category models
 */
export type Check<A> = (
  reads: ReadonlyArray<Rows.Read<A>>
) => Effect.Effect<ReadonlyArray<Rows.RowIssue>, never, CurrentActor>

/**
 * The records whose unique field the org's live records have, found with one query.
 *
 * @since 0.1.0
 * @category checks
 */
export const taken =
  <A>(
    entity: string,
    column: string,
    keyOf: (value: A) => string,
    lookUp: (orgId: OrgId, keys: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<string>>
  ): Check<A> =>
  (reads) =>
    Effect.flatMap(Effect.service(CurrentActor), (actor) =>
      Effect.map(
        lookUp(
          actor.orgId,
          reads.map((read) => keyOf(read.value))
        ),
        (found) => {
          const keys = new Set(found)
          return reads
            .filter((read) => keys.has(keyOf(read.value)))
            .map((read) => ({ row: read.row, column, message: `Already taken by another ${entity}` }))
        }
      )
    )

/**
 * A unit's barcode, once in the file and not among the org's live units.
 *
 * @since 0.1.0
 * @category checks
 */
export const units =
  (unitRepo: UnitRepo["Service"]): Check<Tables.UnitRow> =>
  (reads) =>
    Effect.map(
      taken("unit", "barcode", (unit: Tables.UnitRow) => unit.barcode, unitRepo.takenBarcodes)(reads),
      (inStore) => [...Rows.repeated(reads, "barcode", (unit) => unit.barcode), ...inStore]
    )

const lower = (sku: string) => sku.toLowerCase()

/**
 * A part's SKU, case-insensitively once in the file and not among the org's live parts.
 *
 * @since 0.1.0
 * @category checks
 */
export const parts =
  (partRepo: PartRepo["Service"]): Check<typeof Tables.parts.schema.Type> =>
  (reads) =>
    Effect.map(
      taken("part", "sku", (part: { readonly sku: string }) => part.sku, partRepo.takenSkus)(reads),
      (inStore) => [...Rows.repeated(reads, "sku", (part) => part.sku, lower), ...inStore]
    )
