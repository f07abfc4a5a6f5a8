/**
 * The port through which time released in the ledger is passed on. Bookings and inventory free
 * time (a booking ended, a unit back in service); the waitlist takes it up. Declaring the port
 * here, below both, lets them free time without knowing who listens: the waitlist implements it.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { Ids, OrgId } from "../kernel/Ids.ts"
import type { Subject } from "./Ledger.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class FreedTime extends Context.Service<
  FreedTime,
  {
    /**
     * The subjects' time was freed, inside the transaction that freed it, so whoever takes it
     * up does so in that same transaction; answers how many subjects were taken up.
     */
    readonly freed: (orgId: OrgId, subjects: ReadonlyArray<Subject>) => Effect.Effect<number, never, Ids>
  }
>()("@rota/core/ledger/FreedTime") {}

/**
 * The unit subjects of the given unit ids.
 *
 * @since 0.1.0
 * @category constructors
 */
export const units = (unitIds: Iterable<Subject["id"]>): Array<Subject> =>
  Array.from(unitIds, (id) => ({ type: "unit", id }))

/**
 * Nobody takes freed time up: for embedders without a waitlist, and for tests.
 *
 * @since 0.1.0
 * @category layers
 */
export const ignored: Layer.Layer<FreedTime> = Layer.succeed(
  FreedTime,
  FreedTime.of({ freed: Effect.fn("FreedTime.freed")(() => Effect.succeed(0)) })
)
