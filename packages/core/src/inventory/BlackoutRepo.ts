/**
 * The storage port of blackouts: versioned, soft-deletable records.
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import type { Records } from "../kernel/Records.ts"
import type { Blackout, BlackoutFilters, BlackoutSort } from "./Blackout.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class BlackoutRepo extends Context.Service<
  BlackoutRepo,
  Records<Blackout, BlackoutFilters, BlackoutSort>
>()("@rota/core/inventory/BlackoutRepo") {}
