/**
 * The report statements against the report arithmetic of the core: random bookings and
 * interventions are written straight into the tables, and what the SQL sums (clipped booked
 * time, blackout time) and ranks (mean, median, 90th percentile) must be what `ReportMath`
 * computes from the same rows in memory.
 */
import { randomUUID } from "node:crypto"
import { assert, describe, layer } from "@effect/vitest"
import { Ids, ReportMath, ReportRepo } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const hour = 3_600_000
const base = Date.UTC(2031, 0, 1)
const at = (hours: number) => new Date(base + hours * hour)
const statuses = [
  "PENDING",
  "APPROVED",
  "REJECTED",
  "CANCELLED",
  "CHECKED_OUT",
  "OVERDUE",
  "RETURNED"
] as const
const booked: ReadonlyArray<string> = ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE", "RETURNED"]

const span = fc.record({ start: fc.nat(48), length: fc.integer({ min: 1, max: 12 }) })
const scenario = fc.record({
  bookings: fc.array(fc.record({ span, status: fc.constantFrom(...statuses) }), { maxLength: 8 }),
  // Blackouts of one unit never overlap (the ledger refuses it): one per 12 h slot at most.
  blackouts: fc
    .uniqueArray(fc.nat(4), { maxLength: 3 })
    .map((slots) => slots.map((slot) => ({ start: slot * 12 + 1, length: 5 }))),
  interventions: fc.array(
    fc.record({ created: fc.nat(40), started: fc.option(fc.nat(30)), completed: fc.option(fc.nat(30)) }),
    { maxLength: 10 }
  ),
  window: span
})

const millis = ({ start, length }: { start: number; length: number }) => ({
  start: base + start * hour,
  end: base + (start + length) * hour
})

const run = (input: typeof scenario extends fc.Arbitrary<infer A> ? A : never) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const reports = yield* ReportRepo.ReportRepo
    const orgId = randomUUID()
    const resourceId = randomUUID()
    const unitId = randomUUID()
    yield* sql.withTransaction(
      Effect.gen(function* () {
        // The org's accounts, requesters and technicians are not what is compared here.
        yield* sql`SET LOCAL session_replication_role = replica`
        yield* sql`INSERT INTO resources (org_id, id, type, name, status, created_at)
          VALUES (${orgId}, ${resourceId}, 'tool', 'Drill', 'AVAILABLE', now())`
        yield* sql`INSERT INTO resource_units (org_id, id, resource_id, barcode, condition, status, created_at)
          VALUES (${orgId}, ${unitId}, ${resourceId}, 'D-1', 'GOOD', 'AVAILABLE', now())`
        for (const booking of input.bookings) {
          const id = randomUUID()
          const { start, end } = millis(booking.span)
          yield* sql`INSERT INTO bookings (org_id, id, requester_id, status, start_at, end_at, purpose, created_at)
            VALUES (${orgId}, ${id}, ${randomUUID()}, ${booking.status}, ${new Date(start)}, ${new Date(end)}, 'p', now())`
          // With the booking's keys: the replica role skips the trigger that would copy them.
          yield* sql`INSERT INTO booking_items (org_id, booking_id, unit_id, resource_id, start_at, created_at, status)
            VALUES (${orgId}, ${id}, ${unitId}, ${resourceId}, ${new Date(start)}, now(), ${booking.status})`
        }
        for (const blackout of input.blackouts) {
          const { start, end } = millis(blackout)
          yield* sql`INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, created_at)
            VALUES (${orgId}, ${randomUUID()}, 'unit', ${unitId},
              tstzrange(${new Date(start)}::timestamptz, ${new Date(end)}::timestamptz, '[)'), 'blackout', ${randomUUID()}, now())`
        }
        let number = 0
        for (const intervention of input.interventions) {
          const id = randomUUID()
          const created = at(intervention.created)
          const completed =
            intervention.completed === null ? null : at(intervention.created + intervention.completed)
          yield* sql`INSERT INTO interventions (org_id, id, number, title, kind, priority, status, completed_at, created_at)
            VALUES (${orgId}, ${id}, ${++number}, 'Work', 'CORRECTIVE', 'HIGH',
              ${completed === null ? "PENDING" : "COMPLETED"}, ${completed}, ${created})`
          if (intervention.started !== null)
            yield* sql`INSERT INTO intervention_events (org_id, id, intervention_id, type, at, data)
              VALUES (${orgId}, ${randomUUID()}, ${id}, 'started', ${at(intervention.created + intervention.started)}, '{}'::jsonb)`
        }
      })
    )
    const window = millis(input.window)
    const asked = {
      from: DateTime.makeUnsafe(window.start),
      to: DateTime.makeUnsafe(window.end)
    }
    const org = Ids.OrgId.make(orgId)

    const [unit] = yield* reports.utilisation(org, asked, "unit")
    const clipped = input.bookings
      .filter((booking) => booked.includes(booking.status))
      .map((booking) => ReportMath.clippedMillis(millis(booking.span), window))
      .filter((part) => part > 0)
    assert.strictEqual(unit!.bookings, clipped.length)
    assert.closeTo(unit!.bookedSeconds, clipped.reduce((sum, part) => sum + part, 0) / 1000, 1e-6)
    const closed = input.blackouts.map((blackout) => ReportMath.clippedMillis(millis(blackout), window))
    assert.closeTo(unit!.blackoutSeconds, closed.reduce((sum, part) => sum + part, 0) / 1000, 1e-6)

    const requested = input.interventions.filter(
      (intervention) =>
        base + intervention.created * hour >= window.start && base + intervention.created * hour < window.end
    )
    const rows = yield* reports.leadTimes(org, asked)
    if (requested.length === 0) return assert.lengthOf(rows, 0)
    const toStart = requested.flatMap((one) => (one.started === null ? [] : [one.started * 3600]))
    const toComplete = requested.flatMap((one) => (one.completed === null ? [] : [one.completed * 3600]))
    const [row] = rows
    const near = (actual: number | null, expected: number | null) =>
      expected === null ? assert.isNull(actual) : assert.closeTo(actual!, expected, 1e-6)
    assert.deepStrictEqual(
      [row!.requested, row!.started, row!.completed],
      [requested.length, toStart.length, toComplete.length]
    )
    near(row!.startMean, ReportMath.mean(toStart))
    near(row!.startP50, ReportMath.percentile(toStart, 0.5))
    near(row!.startP90, ReportMath.percentile(toStart, 0.9))
    near(row!.completionMean, ReportMath.mean(toComplete))
    near(row!.completionP50, ReportMath.percentile(toComplete, 0.5))
    near(row!.completionP90, ReportMath.percentile(toComplete, 0.9))
  })

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
      timeout: 300_000,
      excludeTestServices: true
    })("report statements against the report arithmetic", (it) => {
      it.effect(
        "clipped sums and percentiles in SQL equal ReportMath's on 100 random scenarios",
        () =>
          Effect.gen(function* () {
            const context = yield* Effect.context<ReportRepo.ReportRepo | SqlClient.SqlClient>()
            yield* Effect.promise(() =>
              fc.assert(
                fc.asyncProperty(scenario, (input) =>
                  Effect.runPromise(run(input).pipe(Effect.provide(context)))
                ),
                { numRuns: 100 }
              )
            )
          }),
        { timeout: 300_000 }
      )
    })
  })
}
