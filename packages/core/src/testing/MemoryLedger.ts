/**
 * The `Ledger` port on the {@link MemoryDatabase}. The no-overlap guarantee that PostgreSQL
 * keeps with an exclusion constraint is kept here by checking and writing in one step of the
 * database (`modify`), with the core's own rules (`clashesWith`, `clashesWithin`): two claims
 * can never both see the time free. The same `LedgerContract` holds both adapters to it.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Result } from "effect"
import type { Conflict } from "../kernel/Errors.ts"
import { nextId, type OrgId } from "../kernel/Ids.ts"
import { type Interval, overlaps } from "../ledger/Interval.ts"
import {
  Allocation,
  AllocationId,
  type Claim,
  clashesWith,
  clashesWithin,
  conflictOf,
  Ledger,
  type Source,
  type Subject,
  sameSource,
  sameSubject
} from "../ledger/Ledger.ts"
import { MemoryDatabase, rows } from "./MemoryDatabase.ts"

const allocations = rows<Allocation>("allocations")

type Table = ReadonlyMap<string, Allocation>

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

// As PostgreSQL orders them: by subject, then start, then id.
const bySubjectAndStart = (a: Allocation, b: Allocation) =>
  compare(a.subject.type, b.subject.type) ||
  compare(a.subject.id, b.subject.id) ||
  DateTime.toEpochMillis(a.interval.startAt) - DateTime.toEpochMillis(b.interval.startAt) ||
  compare(a.id, b.id)

const activeOf = (table: Table, orgId: OrgId) =>
  [...table.values()].filter((allocation) => allocation.orgId === orgId && allocation.active)

const ofSource = (table: Table, orgId: OrgId, source: Source) =>
  activeOf(table, orgId).filter((allocation) => sameSource(allocation.source, source))

const withRows = (table: Table, changed: ReadonlyArray<Allocation>): Table => {
  const next = new Map(table)
  for (const allocation of changed) next.set(allocation.id, allocation)
  return next
}

// Stores `minted` unless an active allocation other than the moving source's own is in the way;
// `replaced` are the source's allocations a move releases in the same step.
const stored = (
  table: Table,
  orgId: OrgId,
  minted: ReadonlyArray<Allocation>,
  replaced: ReadonlyArray<Allocation> = []
): readonly [Result.Result<ReadonlyArray<Allocation>, Conflict>, Table] => {
  const released = new Set(replaced.map((allocation) => allocation.id))
  const inTheWay = activeOf(table, orgId).filter((allocation) => !released.has(allocation.id))
  const conflict = conflictOf(clashesWith(inTheWay, minted))
  if (conflict !== undefined) return [Result.fail(conflict), table]
  const inactive = replaced.map((allocation) => new Allocation({ ...allocation, active: false }))
  return [Result.succeed(minted), withRows(table, [...inactive, ...minted])]
}

const mint = (orgId: OrgId, claims: ReadonlyArray<Claim>) =>
  Effect.forEach(claims, (claim) =>
    Effect.map(nextId(AllocationId), (id) => new Allocation({ id, orgId, ...claim, active: true }))
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Ledger, never, MemoryDatabase> = Layer.effect(
  Ledger,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    const claim = Effect.fn("MemoryLedger.claim")(function* (orgId: OrgId, claims: ReadonlyArray<Claim>) {
      if (claims.length === 0) return []
      const within = conflictOf(clashesWithin(claims))
      if (within !== undefined) return yield* within
      const minted = yield* mint(orgId, claims)
      return yield* Effect.fromResult(
        yield* database.modify(allocations, (table) => stored(table, orgId, minted))
      )
    })

    const release = Effect.fn("MemoryLedger.release")(function* (orgId: OrgId, source: Source) {
      return yield* database.modify(allocations, (table) => {
        const released = ofSource(table, orgId, source).map(
          (allocation) => new Allocation({ ...allocation, active: false })
        )
        return [released.length, withRows(table, released)]
      })
    })

    // One transaction from reading the source's time to replacing it, so nothing moves it meanwhile.
    const move = Effect.fn("MemoryLedger.move")(function* (orgId: OrgId, source: Source, interval: Interval) {
      return yield* database.transaction(
        Effect.gen(function* () {
          const current = ofSource(yield* database.read(allocations), orgId, source)
          if (current.length === 0) return []
          const claims = current.map((allocation) => ({ subject: allocation.subject, interval, source }))
          const within = conflictOf(clashesWithin(claims))
          if (within !== undefined) return yield* within
          const minted = yield* mint(orgId, claims)
          return yield* Effect.fromResult(
            yield* database.modify(allocations, (table) => stored(table, orgId, minted, current))
          )
        })
      )
    })

    const activeFor = Effect.fn("MemoryLedger.activeFor")(function* (
      orgId: OrgId,
      subjects: ReadonlyArray<Subject>,
      window: Interval
    ) {
      const table = yield* database.read(allocations)
      return activeOf(table, orgId)
        .filter(
          (allocation) =>
            overlaps(allocation.interval, window) &&
            subjects.some((subject) => sameSubject(subject, allocation.subject))
        )
        .sort(bySubjectAndStart)
    })

    const activeIn = Effect.fn("MemoryLedger.activeIn")(function* (
      orgId: OrgId,
      window: Interval,
      limit: number
    ) {
      const table = yield* database.read(allocations)
      return activeOf(table, orgId)
        .filter((allocation) => overlaps(allocation.interval, window))
        .sort(bySubjectAndStart)
        .slice(0, limit)
    })

    return Ledger.of({ claim, release, move, activeFor, activeIn })
  })
)
