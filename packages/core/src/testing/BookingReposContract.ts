/**
 * The contract of every adapter of the booking ports (`BookingRepo`, `FineRepo`): the bookings
 * themselves (`BookingRecordsContract`), the queries across them (`BookingScansContract`) and the
 * fines (`FineRepoContract`). Booking items name units, which a store may require to exist: the
 * adapter's test gives `unit`, which makes one in the org.
 *
 * @since 0.1.0
 */
import type { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import type { Ids } from "../kernel/Ids.ts"
import type { Fixtures } from "./BookingFixtures.ts"
import { BookingRecordsCases } from "./BookingRecordsContract.ts"
import { BookingScansCases } from "./BookingScansContract.ts"
import type { ContractSuite } from "./Contract.ts"
import { FineRepoCases } from "./FineRepoContract.ts"

export type {
  /**
   * What the suite needs from the adapter's test: a unit of the org that bookings may name.
   *
   * @since 0.1.0
   * @category models
   */
  Fixtures
} from "./BookingFixtures.ts"

/**
 * @since 0.1.0
 * @category suites
 */
export const BookingReposContract = <R>(
  fixtures: Fixtures<R>
): ContractSuite<BookingRepo | FineRepo | Ids | R> => ({
  name: "BookingRepos",
  cases: [...BookingRecordsCases(fixtures), ...BookingScansCases(fixtures), ...FineRepoCases(fixtures)]
})
