/**
 * Inventory records written through the inventory ports, for the contract suites.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { PartRepo, ResourceRepo, SiteRepo, TagRepo } from "../inventory/InventoryRepos.ts"
import { Part, PartId } from "../inventory/Part.ts"
import { Resource, ResourceId } from "../inventory/Resource.ts"
import { Site, SiteId } from "../inventory/Site.ts"
import { Tag, TagId } from "../inventory/Tag.ts"
import { nextId, type OrgId } from "../kernel/Ids.ts"

/**
 * The hour `n` of 2030-01-01, a creation time.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const hour = (n: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 1, n))
/**
 * What every new record starts with.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const base = { version: 1, deletedAt: null }

/**
 * A stored site named `name`, created at hour `n`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const site = (orgId: OrgId, name: string, n = 0) =>
  Effect.flatMap(nextId(SiteId), (id) =>
    Effect.orDie(
      Effect.flatMap(Effect.service(SiteRepo), (sites) =>
        sites.insert(
          new Site({
            ...base,
            id,
            orgId,
            name,
            address: `${name} street`,
            timezone: null,
            createdAt: hour(n)
          })
        )
      )
    )
  )

/**
 * A tag, stored unless its name is taken.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const tag = (orgId: OrgId, name: string) =>
  Effect.flatMap(nextId(TagId), (id) =>
    Effect.flatMap(Effect.service(TagRepo), (tags) =>
      tags.insert(new Tag({ ...base, id, orgId, name, createdAt: hour(0) }))
    )
  )

/**
 * A stored resource carrying the tags named.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const resource = (orgId: OrgId, tags: ReadonlyArray<string>) =>
  Effect.flatMap(nextId(ResourceId), (id) =>
    Effect.flatMap(Effect.service(ResourceRepo), (resources) =>
      Effect.orDie(
        resources.insert(
          new Resource({
            ...base,
            id,
            orgId,
            siteId: null,
            type: "camera",
            name: "Camera",
            description: null,
            serialNumber: null,
            status: "AVAILABLE",
            tags,
            createdAt: hour(0)
          })
        )
      )
    )
  )

/**
 * A part, stored unless its SKU is taken.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const part = (orgId: OrgId, sku: string, quantityOnHand: number) =>
  Effect.flatMap(nextId(PartId), (id) =>
    Effect.flatMap(Effect.service(PartRepo), (parts) =>
      parts.insert(
        new Part({
          ...base,
          id,
          orgId,
          sku,
          name: `part ${sku}`,
          description: null,
          quantityOnHand,
          unitPrice: { amount: 250, currency: "EUR" },
          reorderLevel: 5,
          createdAt: hour(0)
        })
      )
    )
  )
