/**
 * The contract of every `BlackoutRepo` adapter: versioned records of one org (found, changed
 * compare-and-set, soft-deleted and restored, never seen from another org), listed in keyset
 * pages by start or creation, and filtered by scope, by a unit whose time they hold, and by the
 * window they overlap.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { Blackout, BlackoutId, type Scope } from "../inventory/Blackout.ts"
import { BlackoutRepo } from "../inventory/BlackoutRepo.ts"
import { UnitId } from "../inventory/ResourceUnit.ts"
import { AccountId, type Ids, nextId, OrgId, Uuid } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"

const hour = (n: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 1, n))

/** A stored blackout of hours `[from, to)` of 2030-01-01, created at hour `created`. */
const blackout = (
  orgId: OrgId,
  fields: {
    readonly from: number
    readonly to: number
    readonly scope?: Scope
    readonly scopeId?: string
    readonly unitIds?: ReadonlyArray<UnitId>
    readonly created?: number
  }
) =>
  Effect.gen(function* () {
    const stored = new Blackout({
      id: yield* nextId(BlackoutId),
      orgId,
      scope: fields.scope ?? "unit",
      scopeId: fields.scopeId ?? (yield* nextId(Uuid)),
      startAt: hour(fields.from),
      endAt: hour(fields.to),
      reason: `closed ${fields.from}-${fields.to}`,
      unitIds: fields.unitIds ?? [],
      createdBy: yield* nextId(AccountId),
      version: 1,
      createdAt: hour(fields.created ?? 0),
      deletedAt: null
    })
    return yield* Effect.orDie((yield* BlackoutRepo).insert(stored))
  })

const reasonsOf = (blackouts: { readonly items: ReadonlyArray<Blackout> }) =>
  blackouts.items.map((found) => found.reason)

/**
 * @since 0.1.0
 * @category suites
 */
export const BlackoutRepoContract: ContractSuite<BlackoutRepo | Ids> = {
  name: "BlackoutRepo",
  cases: [
    {
      name: "a blackout is changed at its version, soft-deleted, restored, and never seen from another org",
      run: Effect.gen(function* () {
        const blackouts = yield* BlackoutRepo
        const orgId = yield* nextId(OrgId)
        const unitId = yield* nextId(UnitId)
        const stored = yield* blackout(orgId, { from: 8, to: 12, unitIds: [unitId] })
        yield* expectEqual(yield* blackouts.find(orgId, stored.id), Option.some(stored), "found")
        yield* expectEqual(
          Option.isNone(yield* blackouts.find(yield* nextId(OrgId), stored.id)),
          true,
          "from another org"
        )
        yield* expectEqual(Option.isNone(yield* blackouts.find(orgId, "not-a-uuid")), true, "a malformed id")
        const moved = yield* blackouts.update(orgId, stored.id, 1, { endAt: hour(14), reason: "longer" })
        yield* expectEqual(
          [DateTime.toEpochMillis(moved.endAt), moved.reason, moved.unitIds, moved.version],
          [DateTime.toEpochMillis(hour(14)), "longer", [unitId], 2],
          "updated"
        )
        const stale = yield* Effect.flip(blackouts.update(orgId, stored.id, 1, { reason: "late" }))
        yield* expectEqual(stale._tag, "PreconditionFailed", "a stale update")
        yield* expectEqual(
          (yield* Effect.flip(blackouts.update(yield* nextId(OrgId), stored.id, undefined, {})))._tag,
          "NotFound",
          "another org's"
        )
        const deleted = yield* blackouts.softDelete(
          orgId,
          stored.id,
          2,
          DateTime.makeUnsafe(Date.UTC(2030, 1, 1))
        )
        yield* expectEqual([deleted.deletedAt !== null, deleted.version], [true, 3], "deleted")
        yield* expectEqual(Option.isNone(yield* blackouts.find(orgId, stored.id)), true, "a deleted one")
        yield* expectEqual(
          Option.isSome(yield* blackouts.find(orgId, stored.id, { includeDeleted: true })),
          true,
          "includeDeleted"
        )
        yield* expectEqual(
          (yield* blackouts.list(orgId, { limit: 10, filters: {} })).items.length,
          0,
          "listed"
        )
        const restored = yield* blackouts.restore(orgId, stored.id, 3)
        yield* expectEqual([restored.deletedAt, restored.version], [null, 4], "restored")
        yield* expectEqual(
          (yield* Effect.flip(blackouts.restore(orgId, stored.id, undefined)))._tag,
          "NotFound",
          "restoring a live one"
        )
      })
    },
    {
      name: "lists in keyset pages by start or creation, each blackout once",
      run: Effect.gen(function* () {
        const blackouts = yield* BlackoutRepo
        const orgId = yield* nextId(OrgId)
        const starts = [5, 1, 6, 0, 3, 4, 2]
        for (const [n, from] of starts.entries()) yield* blackout(orgId, { from, to: from + 1, created: n })
        yield* blackout(yield* nextId(OrgId), { from: 7, to: 8 })
        const all = (sort: { field: "startAt" | "createdAt"; direction: "asc" | "desc" } | undefined) =>
          Effect.gen(function* () {
            const seen: Array<string> = []
            let cursor: string | undefined
            do {
              const page = yield* blackouts.list(orgId, { limit: 3, cursor, sort, filters: {} })
              seen.push(...reasonsOf(page))
              cursor = page.nextCursor ?? undefined
            } while (cursor !== undefined)
            return seen
          })
        const named = (hours: ReadonlyArray<number>) => hours.map((from) => `closed ${from}-${from + 1}`)
        const sorted = [...starts].sort()
        yield* expectEqual(yield* all(undefined), named(sorted), "by start, by default")
        yield* expectEqual(
          yield* all({ field: "startAt", direction: "desc" }),
          named([...sorted].reverse()),
          "by start, latest first"
        )
        yield* expectEqual(yield* all({ field: "createdAt", direction: "asc" }), named(starts), "by creation")
        const forged = yield* Effect.flip(blackouts.list(orgId, { limit: 3, cursor: "forged", filters: {} }))
        yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
      })
    },
    {
      name: "filters by scope, by a unit it holds, and by the window it overlaps",
      run: Effect.gen(function* () {
        const blackouts = yield* BlackoutRepo
        const orgId = yield* nextId(OrgId)
        const [unitA, unitB] = [yield* nextId(UnitId), yield* nextId(UnitId)]
        const siteId = yield* nextId(Uuid)
        yield* blackout(orgId, { from: 1, to: 3, scope: "unit", scopeId: unitA, unitIds: [unitA] })
        yield* blackout(orgId, { from: 4, to: 6, scope: "site", scopeId: siteId, unitIds: [unitA, unitB] })
        yield* blackout(orgId, { from: 7, to: 9, scope: "resource", unitIds: [unitB] })
        const listed = (filters: Parameters<BlackoutRepo["Service"]["list"]>[1]["filters"]) =>
          Effect.map(blackouts.list(orgId, { limit: 10, filters }), reasonsOf)
        yield* expectEqual(yield* listed({ scope: "site" }), ["closed 4-6"], "by scope")
        yield* expectEqual(yield* listed({ scopeId: siteId }), ["closed 4-6"], "by scope id")
        yield* expectEqual(yield* listed({ unitId: unitA }), ["closed 1-3", "closed 4-6"], "holding unit a")
        yield* expectEqual(yield* listed({ unitId: unitB }), ["closed 4-6", "closed 7-9"], "holding unit b")
        yield* expectEqual(
          yield* listed({ from: hour(3), to: hour(7) }),
          ["closed 4-6"],
          "overlapping [3, 7): touching ends do not overlap"
        )
        yield* expectEqual(yield* listed({ from: hour(5) }), ["closed 4-6", "closed 7-9"], "ending after 5")
        yield* expectEqual(yield* listed({ to: hour(2) }), ["closed 1-3"], "starting before 2")
        yield* expectEqual(
          yield* listed({ unitId: unitB, to: hour(5), scope: "site" }),
          ["closed 4-6"],
          "filters combined"
        )
      })
    }
  ]
}
