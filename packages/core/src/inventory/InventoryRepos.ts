/**
 * The storage ports of inventory: one store of versioned records per entity, plus what an
 * entity needs beyond the shared operations.
 *
 * @since 0.1.0
 */
import { Context, Effect } from "effect"
import type { OrgId } from "../kernel/Ids.ts"
import type { Records } from "../kernel/Records.ts"
import type { Part, PartFilters, PartSort } from "./Part.ts"
import type { Resource, ResourceFilters, ResourceId, ResourceSort } from "./Resource.ts"
import type { ResourceUnit, UnitFilters, UnitId, UnitSort } from "./ResourceUnit.ts"
import type { Site, SiteFilters, SiteSort } from "./Site.ts"
import type { Tag, TagFilters, TagSort } from "./Tag.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class SiteRepo extends Context.Service<SiteRepo, Records<Site, SiteFilters, SiteSort>>()(
  "@rota/core/inventory/SiteRepo"
) {}

/**
 * @since 0.1.0
 * @category services
 */
export class TagRepo extends Context.Service<
  TagRepo,
  Records<Tag, TagFilters, TagSort> & {
    /** The live tags with these names, compared case-insensitively. */
    readonly findByNames: (orgId: OrgId, names: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Tag>>
  }
>()("@rota/core/inventory/TagRepo") {}

/**
 * Resources carry their tags by name; the store links them to the org's live tags of those
 * names (the use case checks they exist).
 *
 * @since 0.1.0
 * @category services
 */
export class ResourceRepo extends Context.Service<
  ResourceRepo,
  Records<Resource, ResourceFilters, ResourceSort>
>()("@rota/core/inventory/ResourceRepo") {}

/**
 * A unit and the facts of its resource that decide whether it can be booked.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitStanding {
  readonly unit: Pick<ResourceUnit, "id" | "resourceId" | "status" | "deletedAt">
  readonly resource: Pick<Resource, "status" | "deletedAt">
}

/**
 * @since 0.1.0
 * @category services
 */
export class UnitRepo extends Context.Service<
  UnitRepo,
  Records<ResourceUnit, UnitFilters, UnitSort> & {
    /**
     * The units of the org with these ids, deleted ones included, each with what decides whether
     * it can be booked: its own and its resource's status and deletion (one query for a whole
     * booking). Ids the org has no unit for are left out.
     */
    readonly standings: (
      orgId: OrgId,
      unitIds: ReadonlyArray<UnitId>
    ) => Effect.Effect<ReadonlyArray<UnitStanding>>
    /** Which of these barcodes live units of the org have (one query for a whole import). */
    readonly takenBarcodes: (
      orgId: OrgId,
      barcodes: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyArray<string>>
  }
>()("@rota/core/inventory/UnitRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class PartRepo extends Context.Service<
  PartRepo,
  Records<Part, PartFilters, PartSort> & {
    /** Which of these SKUs live parts of the org have, compared case-insensitively, as given. */
    readonly takenSkus: (orgId: OrgId, skus: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<string>>
  }
>()("@rota/core/inventory/PartRepo") {}

/**
 * Every live unit of a resource, read page by page (a resource may have more units than a
 * page holds).
 *
 * @since 0.1.0
 * @category reading
 */
export const unitsOf = (
  units: UnitRepo["Service"],
  orgId: OrgId,
  resourceId: ResourceId
): Effect.Effect<ReadonlyArray<ResourceUnit>> =>
  Effect.gen(function* () {
    const all: Array<ResourceUnit> = []
    let cursor: string | undefined
    do {
      // By barcode (unique among live units): a text key pages exactly, whatever precision the
      // stored timestamps have. The repository's own cursors: a refusal here is a defect.
      const page = yield* Effect.orDie(
        units.list(orgId, {
          limit: 100,
          cursor,
          filters: { resourceId },
          sort: { field: "barcode", direction: "asc" }
        })
      )
      all.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    return all
  })
