/**
 * The contract of every adapter of the inventory ports: versioned records of one org (found,
 * listed in keyset pages, changed compare-and-set, soft-deleted and restored), unique fields
 * among live records, and a resource's tags read from the tags it links.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { PartRepo, ResourceRepo, SiteRepo, TagRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import { ResourceUnit, UnitId } from "../inventory/ResourceUnit.ts"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { base, hour, part, resource, site, tag } from "./InventoryFixtures.ts"
import { unitStandings } from "./UnitStandingsCase.ts"

type Ports = SiteRepo | TagRepo | ResourceRepo | UnitRepo | PartRepo | Ids

/**
 * @since 0.1.0
 * @category suites
 */
export const InventoryReposContract: ContractSuite<Ports> = {
  name: "InventoryRepos",
  cases: [
    {
      name: "a record is changed at its version, soft-deleted, restored, and never seen from another org",
      run: Effect.gen(function* () {
        const sites = yield* SiteRepo
        const orgId = yield* nextId(OrgId)
        const stored = yield* site(orgId, "depot")
        yield* expectEqual(yield* sites.find(orgId, stored.id), Option.some(stored), "found")
        yield* expectEqual(
          Option.isNone(yield* sites.find(yield* nextId(OrgId), stored.id)),
          true,
          "from another org"
        )
        yield* expectEqual(Option.isNone(yield* sites.find(orgId, "not-a-uuid")), true, "a malformed id")
        const renamed = yield* sites.update(orgId, stored.id, 1, { name: "hangar" })
        yield* expectEqual(
          [renamed.name, renamed.address, renamed.version],
          ["hangar", "depot street", 2],
          "updated"
        )
        const stale = yield* Effect.flip(sites.update(orgId, stored.id, 1, { name: "late" }))
        yield* expectEqual(stale._tag, "PreconditionFailed", "a stale update")
        const deleted = yield* sites.softDelete(
          orgId,
          stored.id,
          2,
          DateTime.makeUnsafe(Date.UTC(2030, 1, 1))
        )
        yield* expectEqual([deleted.deletedAt !== null, deleted.version], [true, 3], "deleted")
        yield* expectEqual(Option.isNone(yield* sites.find(orgId, stored.id)), true, "a deleted record")
        yield* expectEqual(
          Option.isSome(yield* sites.find(orgId, stored.id, { includeDeleted: true })),
          true,
          "includeDeleted"
        )
        yield* expectEqual(
          (yield* Effect.flip(sites.update(orgId, stored.id, undefined, {})))._tag,
          "NotFound",
          "updating it"
        )
        yield* expectEqual((yield* sites.list(orgId, { limit: 10, filters: {} })).items.length, 0, "listed")
        yield* expectEqual(
          (yield* sites.list(orgId, { limit: 10, filters: {}, includeDeleted: true })).items.length,
          1,
          "listed with deleted"
        )
        const restored = yield* sites.restore(orgId, stored.id, 3)
        yield* expectEqual([restored.deletedAt, restored.version], [null, 4], "restored")
        yield* expectEqual(
          (yield* Effect.flip(sites.restore(orgId, stored.id, undefined)))._tag,
          "NotFound",
          "restoring a live one"
        )
        yield* expectEqual(
          (yield* Effect.flip(sites.update(yield* nextId(OrgId), stored.id, undefined, {})))._tag,
          "NotFound",
          "another org's"
        )
      })
    },
    {
      name: "lists in keyset pages by the chosen sort, each record once, filtered by text",
      run: Effect.gen(function* () {
        const sites = yield* SiteRepo
        const orgId = yield* nextId(OrgId)
        const names = ["site 4", "site 1", "site 6", "site 0", "site 3", "site 5", "site 2"]
        for (const [n, name] of names.entries()) yield* site(orgId, name, n)
        yield* site(yield* nextId(OrgId), "site 9")
        const all = (sort: { field: "name" | "createdAt"; direction: "asc" | "desc" }) =>
          Effect.gen(function* () {
            const seen: Array<string> = []
            let cursor: string | undefined
            do {
              const page = yield* sites.list(orgId, { limit: 3, cursor, sort, filters: {} })
              seen.push(...page.items.map((s) => s.name))
              cursor = page.nextCursor ?? undefined
            } while (cursor !== undefined)
            return seen
          })
        yield* expectEqual(yield* all({ field: "name", direction: "asc" }), [...names].sort(), "by name")
        yield* expectEqual(
          yield* all({ field: "name", direction: "desc" }),
          [...names].sort().reverse(),
          "by name, descending"
        )
        yield* expectEqual(yield* all({ field: "createdAt", direction: "asc" }), names, "by creation")
        const found = yield* sites.list(orgId, { limit: 10, filters: { q: " SITE 3 STR" } })
        yield* expectEqual(
          found.items.map((s) => s.name),
          ["site 3"],
          "by text in the address"
        )
        const forged = yield* Effect.flip(sites.list(orgId, { limit: 3, cursor: "forged", filters: {} }))
        yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
      })
    },
    {
      name: "unique fields hold among an org's live records, whatever their case",
      run: Effect.gen(function* () {
        const tags = yield* TagRepo
        const orgId = yield* nextId(OrgId)
        const first = yield* Effect.orDie(tag(orgId, "fragile"))
        const taken = yield* Effect.flip(tag(orgId, "FRAGILE"))
        yield* expectEqual(
          taken,
          { _tag: "AlreadyExists", entity: "tag", field: "name" } as never,
          "a taken name"
        )
        yield* Effect.orDie(tag(yield* nextId(OrgId), "fragile"))
        yield* Effect.orDie(
          tags.softDelete(orgId, first.id, undefined, DateTime.makeUnsafe(Date.UTC(2030, 1, 1)))
        )
        yield* Effect.orDie(tag(orgId, "Fragile"))
        const back = yield* Effect.flip(tags.restore(orgId, first.id, undefined))
        yield* expectEqual(back._tag, "AlreadyExists", "restoring into a taken name")
        yield* expectEqual(
          (yield* tags.findByNames(orgId, [" fragile "])).map((t) => t.name),
          ["Fragile"],
          "findByNames"
        )
        yield* Effect.orDie(part(orgId, "sku-1", 1))
        const sku = yield* Effect.flip(part(orgId, "SKU-1", 1))
        yield* expectEqual(sku._tag, "AlreadyExists", "a taken sku")
        const other = yield* Effect.orDie(part(orgId, "sku-2", 1))
        const renamed = yield* Effect.flip(
          Effect.flatMap(Effect.service(PartRepo), (parts) =>
            parts.update(orgId, other.id, undefined, { sku: "Sku-1" })
          )
        )
        yield* expectEqual(renamed._tag, "AlreadyExists", "updating into a taken sku")
      })
    },
    {
      name: "a resource shows the live tags it links, by name, and is found by any of them",
      run: Effect.gen(function* () {
        const resources = yield* ResourceRepo
        const tags = yield* TagRepo
        const orgId = yield* nextId(OrgId)
        const beta = yield* Effect.orDie(tag(orgId, "Beta"))
        const alpha = yield* Effect.orDie(tag(orgId, "alpha"))
        const stored = yield* resource(orgId, ["Beta", "alpha"])
        yield* expectEqual(stored.tags, ["alpha", "Beta"], "tags, sorted case-insensitively")
        const byTag = yield* resources.list(orgId, { limit: 10, filters: { tag: "BETA" } })
        yield* expectEqual(
          byTag.items.map((r) => r.id),
          [stored.id],
          "found by tag"
        )
        yield* Effect.orDie(tags.update(orgId, beta.id, undefined, { name: "gamma" }))
        yield* Effect.orDie(
          tags.softDelete(orgId, alpha.id, undefined, DateTime.makeUnsafe(Date.UTC(2030, 1, 1)))
        )
        const after = yield* resources.find(orgId, stored.id)
        yield* expectEqual(
          Option.map(after, (r) => r.tags),
          Option.some(["gamma"]),
          "after a rename and a delete"
        )
        const retagged = yield* Effect.orDie(resources.update(orgId, stored.id, undefined, { tags: [] }))
        yield* expectEqual(retagged.tags, [], "untagged")
      })
    },
    unitStandings,
    {
      name: "units filter by resource and status; parts by low stock, sorted by quantity",
      run: Effect.gen(function* () {
        const units = yield* UnitRepo
        const parts = yield* PartRepo
        const orgId = yield* nextId(OrgId)
        const [a, b] = [yield* resource(orgId, []), yield* resource(orgId, [])]
        const unit = (resourceId: ResourceId, barcode: string, status: "AVAILABLE" | "RETIRED") =>
          Effect.flatMap(nextId(UnitId), (id) =>
            Effect.orDie(
              units.insert(
                new ResourceUnit({
                  ...base,
                  id,
                  orgId,
                  resourceId,
                  barcode,
                  condition: "GOOD",
                  status,
                  notes: null,
                  createdAt: hour(0)
                })
              )
            )
          )
        const kept = yield* unit(a.id, "bc-1", "AVAILABLE")
        yield* unit(a.id, "bc-2", "RETIRED")
        yield* unit(b.id, "bc-3", "AVAILABLE")
        const taken = yield* Effect.flip(
          units.insert(new ResourceUnit({ ...kept, id: yield* nextId(UnitId) }))
        )
        yield* expectEqual(taken._tag, "AlreadyExists", "a taken barcode")
        yield* expectEqual(
          yield* units.takenBarcodes(orgId, ["bc-3", "BC-1", "bc-9", "bc-1"]),
          ["bc-3", "bc-1"],
          "taken barcodes, exactly as stored"
        )
        yield* expectEqual(
          yield* units.takenBarcodes(yield* nextId(OrgId), ["bc-1"]),
          [],
          "another org's barcodes"
        )
        const ofA = yield* units.list(orgId, {
          limit: 10,
          filters: { resourceId: a.id, statuses: ["AVAILABLE"] }
        })
        yield* expectEqual(
          ofA.items.map((u) => u.barcode),
          ["bc-1"],
          "available units of a"
        )
        for (const [sku, quantity] of [
          ["p-1", 9],
          ["p-2", 5],
          ["p-3", 2]
        ] as const)
          yield* Effect.orDie(part(orgId, sku, quantity))
        const low = yield* parts.list(orgId, {
          limit: 10,
          filters: { lowStock: true },
          sort: { field: "quantityOnHand", direction: "asc" }
        })
        yield* expectEqual(
          low.items.map((p) => p.sku),
          ["p-3", "p-2"],
          "low stock"
        )
        yield* expectEqual(
          yield* parts.takenSkus(orgId, ["P-2", "p-4", "p-3"]),
          ["P-2", "p-3"],
          "taken SKUs, case-insensitively, as given"
        )
        const stocked = yield* parts.list(orgId, { limit: 10, filters: { lowStock: false } })
        yield* expectEqual(
          stocked.items.map((p) => [p.sku, p.unitPrice]),
          [["p-1", { amount: 250, currency: "EUR" }]],
          "in stock"
        )
      })
    }
  ]
}
