/**
 * Random sequences of booking operations run through the real use cases and the real store,
 * checked step by step against a plain interval model: who may hold which unit when.
 */
import { assert, describe, layer } from "@effect/vitest"
import { type Booking, Bookings, Ids, Offers, RequestContext, Resource, ResourceUnit } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as fc from "fast-check"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const units = 3
const hour = 3_600_000
// Every booking lies in the far future, so "in the future" always holds and nothing is late.
const base = Date.UTC(2031, 0, 1)
const instant = (slot: number) => DateTime.makeUnsafe(base + slot * hour)

type Op =
  | {
      readonly kind: "create"
      readonly unit: number
      readonly start: number
      readonly length: number
      readonly member: boolean
    }
  | { readonly kind: "cancel" | "approve" | "checkOut" | "return"; readonly pick: number }
  | { readonly kind: "edit"; readonly pick: number; readonly start: number; readonly length: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("create" as const),
      unit: fc.nat(units - 1),
      start: fc.nat(10),
      length: fc.integer({ min: 1, max: 4 }),
      member: fc.boolean()
    })
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("cancel" as const, "approve" as const, "checkOut" as const, "return" as const),
      pick: fc.nat(20)
    })
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("edit" as const),
      pick: fc.nat(20),
      start: fc.nat(10),
      length: fc.integer({ min: 1, max: 4 })
    })
  }
)

interface Modelled {
  readonly id: string
  readonly unit: number
  start: number
  end: number
  status: Booking.BookingStatus
}

const holdsTime = (status: Booking.BookingStatus) =>
  status === "PENDING" || status === "APPROVED" || status === "CHECKED_OUT" || status === "OVERDUE"

const clashes = (model: ReadonlyArray<Modelled>, unit: number, start: number, end: number, except?: string) =>
  model.some(
    (b) => b.id !== except && b.unit === unit && holdsTime(b.status) && b.start < end && start < b.end
  )

const next: Record<
  "cancel" | "approve" | "checkOut" | "return",
  { from: ReadonlyArray<string>; to: Booking.BookingStatus }
> = {
  cancel: { from: ["PENDING", "APPROVED"], to: "CANCELLED" },
  approve: { from: ["PENDING"], to: "APPROVED" },
  checkOut: { from: ["APPROVED"], to: "CHECKED_OUT" },
  return: { from: ["CHECKED_OUT", "OVERDUE"], to: "RETURNED" }
}

// One run: a fresh org with one resource of three units, the operations, and the checks.
const run = (ops: ReadonlyArray<Op>) =>
  Effect.gen(function* () {
    const bookings = yield* Bookings.Bookings
    const sql = yield* SqlClient.SqlClient
    const orgId = yield* Ids.nextId(Ids.OrgId)
    const manager = new RequestContext.Actor({
      accountId: yield* Ids.nextId(Ids.AccountId),
      orgId,
      role: "manager"
    })
    const member = new RequestContext.Actor({
      accountId: yield* Ids.nextId(Ids.AccountId),
      orgId,
      role: "member"
    })
    const resourceId = yield* Ids.nextId(Resource.ResourceId)
    yield* Effect.orDie(
      sql`INSERT INTO resources (org_id, id, type, name, status, created_at)
        VALUES (${orgId}, ${resourceId}, 'kit', 'Kit', 'AVAILABLE', ${new Date()})`
    )
    const unitIds: Array<ResourceUnit.UnitId> = []
    for (let index = 0; index < units; index++) {
      const unitId = yield* Ids.nextId(ResourceUnit.UnitId)
      unitIds.push(unitId)
      yield* Effect.orDie(
        sql`INSERT INTO resource_units (org_id, id, resource_id, barcode, condition, status, created_at)
          VALUES (${orgId}, ${unitId}, ${resourceId}, ${`U-${index}`}, 'GOOD', 'AVAILABLE', ${new Date()})`
      )
    }
    const model: Array<Modelled> = []
    const as = (actor: RequestContext.Actor) => Effect.provideService(RequestContext.CurrentActor, actor)

    for (const [step, operation] of ops.entries()) {
      const where = `step ${step}: ${JSON.stringify(operation)}`
      if (operation.kind === "create") {
        const start = operation.start
        const end = start + operation.length
        const expectClash = clashes(model, operation.unit, start, end)
        const result = yield* Effect.result(
          bookings
            .create({
              startAt: instant(start),
              endAt: instant(end),
              purpose: "p",
              items: [{ unitId: unitIds[operation.unit]! }]
            })
            .pipe(as(operation.member ? member : manager))
        )
        if (expectClash) {
          assert.isTrue(result._tag === "Failure" && result.failure._tag === "Conflict", where)
        } else {
          assert.strictEqual(result._tag, "Success", where)
          if (result._tag === "Success") {
            assert.strictEqual(result.success.status, operation.member ? "PENDING" : "APPROVED", where)
            model.push({
              id: result.success.id,
              unit: operation.unit,
              start,
              end,
              status: result.success.status
            })
          }
        }
        continue
      }
      if (model.length === 0) continue
      const target = model[operation.pick % model.length]!
      if (operation.kind === "edit") {
        const start = operation.start
        const end = start + operation.length
        const editable = target.status === "PENDING" || target.status === "APPROVED"
        const current = yield* bookings.get(target.id).pipe(as(manager), Effect.orDie)
        const result = yield* Effect.result(
          bookings
            .update(target.id, current.version, { startAt: instant(start), endAt: instant(end) })
            .pipe(as(manager))
        )
        if (!editable)
          assert.isTrue(result._tag === "Failure" && result.failure._tag === "InvalidTransition", where)
        else if (clashes(model, target.unit, start, end, target.id))
          assert.isTrue(result._tag === "Failure" && result.failure._tag === "Conflict", where)
        else {
          assert.strictEqual(result._tag, "Success", where)
          target.start = start
          target.end = end
        }
        continue
      }
      const rule = next[operation.kind]
      const blocked =
        operation.kind === "checkOut" &&
        model.some(
          (b) =>
            b.id !== target.id &&
            b.unit === target.unit &&
            (b.status === "CHECKED_OUT" || b.status === "OVERDUE")
        )
      const result = yield* Effect.result(bookings[operation.kind](target.id, undefined).pipe(as(manager)))
      if (!rule.from.includes(target.status))
        assert.isTrue(result._tag === "Failure" && result.failure._tag === "InvalidTransition", where)
      else if (blocked)
        assert.isTrue(result._tag === "Failure" && result.failure._tag === "UnitNotReturned", where)
      else {
        assert.strictEqual(result._tag, "Success", where)
        target.status = rule.to
      }
    }

    // The store agrees with the model: statuses, and exactly the active bookings' time is held.
    for (const b of model) {
      const stored = yield* bookings.get(b.id).pipe(as(manager), Effect.orDie)
      assert.strictEqual(stored.status, b.status)
      assert.strictEqual(DateTime.toEpochMillis(stored.startAt), base + b.start * hour)
    }
    const held = yield* Effect.orDie(
      sql<{ subject_id: string; start_at: Date; end_at: Date }>`SELECT subject_id, lower(during) AS start_at,
        upper(during) AS end_at FROM allocations WHERE org_id = ${orgId} AND active ORDER BY 1, 2`
    )
    const expected = model
      .filter((b) => holdsTime(b.status))
      .map((b) => `${unitIds[b.unit]}@${base + b.start * hour}-${base + b.end * hour}`)
      .sort()
    const actual = held
      .map((row) => `${row.subject_id}@${new Date(row.start_at).getTime()}-${new Date(row.end_at).getTime()}`)
      .sort()
    assert.deepStrictEqual(actual, expected)
  })

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(
      Bookings.layer.pipe(
        Layer.provide(Offers.layer),
        Layer.provideMerge(Storage.layer),
        Layer.provideMerge(Ids.Ids.layer),
        Layer.provideMerge(store.layer)
      ),
      { timeout: 600_000, excludeTestServices: true }
    )("bookings against an interval model", (it) => {
      it.effect(
        "1,000 random sequences of create, cancel, edit, approve, check-out and return",
        () =>
          Effect.gen(function* () {
            const context = yield* Effect.context<Bookings.Bookings | SqlClient.SqlClient | Ids.Ids>()
            // Each sequence runs in an org of its own, so four run side by side: the store is
            // waited on far more than it works, and the 1,000 sequences take a third of the time.
            yield* Effect.promise(() =>
              fc.assert(
                fc.asyncProperty(
                  fc.array(fc.array(op, { minLength: 1, maxLength: 12 }), { minLength: 4, maxLength: 4 }),
                  (sequences) =>
                    Effect.runPromise(
                      Effect.forEach(sequences, run, { concurrency: "unbounded", discard: true }).pipe(
                        Effect.provide(context)
                      )
                    )
                ),
                { numRuns: 250 }
              )
            )
          }),
        { timeout: 600_000 }
      )
    })
  })
}
