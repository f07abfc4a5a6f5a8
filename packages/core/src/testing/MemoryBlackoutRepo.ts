/**
 * The `BlackoutRepo` port on the {@link MemoryDatabase}, on {@link MemoryRecords}: the same
 * filters (scope, a unit it holds, the window it overlaps) and sorts as on PostgreSQL, where the
 * same `BlackoutRepoContract` holds the adapter.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import { Blackout, type BlackoutFilters, type BlackoutSort } from "../inventory/Blackout.ts"
import { BlackoutRepo } from "../inventory/BlackoutRepo.ts"
import type { MemoryDatabase } from "./MemoryDatabase.ts"
import * as MemoryRecords from "./MemoryRecords.ts"

const { millis } = MemoryRecords

// A blackout overlaps `[from, to)` when it ends after `from` and starts before `to`.
const matches = (blackout: Blackout, filters: BlackoutFilters) =>
  (filters.scope === undefined || blackout.scope === filters.scope) &&
  (filters.scopeId === undefined || blackout.scopeId === filters.scopeId) &&
  (filters.unitId === undefined || blackout.unitIds.includes(filters.unitId)) &&
  (filters.from === undefined || millis(blackout.endAt) > millis(filters.from)) &&
  (filters.to === undefined || millis(blackout.startAt) < millis(filters.to))

// The records' options, named apart from the layer: they are options, not service methods.
const options: MemoryRecords.Options<Blackout, BlackoutFilters, BlackoutSort> = {
  table: "blackouts",
  entity: "blackout",
  make: (fields) => new Blackout(fields),
  filters: matches,
  sorts: {
    startAt: (blackout) => millis(blackout.startAt),
    createdAt: (blackout) => millis(blackout.createdAt)
  },
  defaultSort: { field: "startAt", direction: "asc" }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<BlackoutRepo, never, MemoryDatabase> = Layer.effect(
  BlackoutRepo,
  MemoryRecords.make(options)
)
