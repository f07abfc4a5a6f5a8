import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import {
  type BookingBody,
  book,
  idempotencyKey,
  overlappingPairs,
  resourceWithUnits
} from "./fixtures/Bookings.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

const hour = 3_600_000
// A UTC midnight at least two days ahead: series start on whole minutes.
const day0 = Math.ceil((Date.now() + 48 * hour) / (24 * hour)) * 24 * hour
/** An ISO instant `days` days and `hours` hours after `day0`. */
const on = (days: number, hours = 9) => new Date(day0 + days * 24 * hour + hours * hour).toISOString()
const dateOf = (days: number) => on(days).slice(0, 10)

interface Occurrence {
  readonly date: string
  readonly startAt: string
  readonly endAt: string
  readonly outcome: "created" | "conflict" | "skipped"
  readonly bookingId: string | null
  readonly conflicts: ReadonlyArray<{
    readonly subjectId: string
    readonly startAt: string
    readonly endAt: string
  }>
}
interface SeriesBody {
  readonly id: string
  readonly occurrences: ReadonlyArray<Occurrence>
}

const expectStatus = (answer: Answer, status: number) =>
  assert.strictEqual(answer.status, status, answer.text)

const createSeries = (org: Org, payload: object) =>
  call("POST", "/v1/booking-series", {
    token: org.token,
    orgId: org.orgId,
    headers: { "idempotency-key": idempotencyKey() },
    body: { purpose: "Weekly lesson", ...payload }
  })

const outcomes = (series: SeriesBody) => series.occurrences.map((occurrence) => occurrence.outcome)

const bookingsOfUnit = (unitId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* Effect.orDie(
      sql<{ status: string; start_at: Date }>`SELECT b.status, b.start_at FROM bookings b
        JOIN booking_items i ON i.org_id = b.org_id AND i.booking_id = b.id
        WHERE i.unit_id = ${unitId} ORDER BY b.start_at`
    )
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 180_000, excludeTestServices: true })(
      "booking series",
      (it) => {
        it.effect(
          "books each occurrence: created, conflict with the clashing interval, skipped exception",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const items = [{ unitId: unitIds[0]! }]
              // Someone already holds the third day, 09:30-10:30.
              expectStatus(yield* book(owner, { startAt: on(2, 9.5), endAt: on(2, 10.5), items }), 201)
              const answer = yield* createSeries(owner, {
                startAt: on(0),
                endAt: on(0, 10),
                items,
                rule: "FREQ=DAILY;COUNT=5",
                exceptions: [dateOf(3)]
              })
              expectStatus(answer, 201)
              const series = body<SeriesBody>(answer)
              assert.deepStrictEqual(outcomes(series), [
                "created",
                "created",
                "conflict",
                "skipped",
                "created"
              ])
              const clash = series.occurrences[2]!.conflicts[0]!
              assert.strictEqual(clash.subjectId, unitIds[0])
              assert.strictEqual(new Date(clash.startAt).toISOString(), on(2, 9.5))
              assert.strictEqual(new Date(clash.endAt).toISOString(), on(2, 10.5))
              assert.deepStrictEqual(
                series.occurrences.map((occurrence) => occurrence.date),
                [0, 1, 2, 3, 4].map(dateOf)
              )
              // Each booked occurrence is an ordinary booking, readable alone.
              const first = yield* call("GET", `/v1/bookings/${series.occurrences[0]!.bookingId}`, owner)
              expectStatus(first, 200)
              assert.strictEqual(body<BookingBody>(first).startAt, on(0))
              const read = yield* call("GET", `/v1/booking-series/${series.id}`, owner)
              expectStatus(read, 200)
              assert.deepStrictEqual(outcomes(body<SeriesBody>(read)), outcomes(series))
              assert.strictEqual((yield* bookingsOfUnit(unitIds[0]!)).length, 4)
            })
        )

        it.effect(
          "allOrNothing: one conflict is a 409 with the per-occurrence report, and nothing is written",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const items = [{ unitId: unitIds[0]! }]
              expectStatus(yield* book(owner, { startAt: on(7), endAt: on(7, 10), items }), 201)
              const answer = yield* createSeries(owner, {
                startAt: on(0),
                endAt: on(0, 10),
                items,
                rule: "FREQ=WEEKLY;COUNT=3",
                allOrNothing: true
              })
              expectStatus(answer, 409)
              const problem = body<{ code: string; occurrences: ReadonlyArray<Occurrence> }>(answer)
              assert.strictEqual(problem.code, "series_conflict")
              assert.deepStrictEqual(
                problem.occurrences.map((occurrence) => occurrence.outcome),
                ["created", "conflict", "created"]
              )
              // Only the earlier booking remains; no series row either.
              assert.strictEqual((yield* bookingsOfUnit(unitIds[0]!)).length, 1)
              const sql = yield* SqlClient.SqlClient
              const [row] = yield* Effect.orDie(
                sql<{
                  n: number
                }>`SELECT count(*)::int AS n FROM booking_series WHERE org_id = ${owner.orgId}`
              )
              assert.strictEqual(row?.n, 0)
            })
        )

        it.effect("cancel one occurrence alone, then this and the following ones", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const member = yield* addMember(owner, "member")
            const { unitIds } = yield* resourceWithUnits(owner, 1)
            const answer = yield* createSeries(member, {
              startAt: on(0),
              endAt: on(0, 10),
              items: [{ unitId: unitIds[0]! }],
              rule: "FREQ=DAILY;COUNT=6"
            })
            expectStatus(answer, 201)
            const series = body<SeriesBody>(answer)
            const ids = series.occurrences.map((occurrence) => occurrence.bookingId!)
            expectStatus(yield* call("POST", `/v1/bookings/${ids[1]}/cancel`, member), 200)
            // Another member sees neither the series nor its bookings.
            const other = yield* addMember(owner, "member", "other")
            expectStatus(yield* call("GET", `/v1/booking-series/${series.id}`, other), 404)
            expectStatus(yield* call("POST", `/v1/booking-series/${series.id}/cancel`, other), 404)
            const cancelled = yield* call(
              "POST",
              `/v1/booking-series/${series.id}/cancel?from=${encodeURIComponent(on(3))}`,
              member
            )
            expectStatus(cancelled, 200)
            const result = body<{
              seriesId: string
              cancelled: ReadonlyArray<string>
              kept: ReadonlyArray<string>
            }>(cancelled)
            assert.deepStrictEqual(result, { seriesId: series.id, cancelled: ids.slice(3), kept: [] })
            const statuses = (yield* bookingsOfUnit(unitIds[0]!)).map((row) => row.status)
            assert.deepStrictEqual(statuses, [
              "PENDING",
              "CANCELLED",
              "PENDING",
              "CANCELLED",
              "CANCELLED",
              "CANCELLED"
            ])
            // The freed time can be booked again.
            expectStatus(
              yield* book(owner, { startAt: on(4), endAt: on(4, 10), items: [{ unitId: unitIds[0]! }] }),
              201
            )
            // Cancelling again keeps the ones already cancelled as they are.
            const again = yield* call(
              "POST",
              `/v1/booking-series/${series.id}/cancel?from=${encodeURIComponent(on(3))}`,
              member
            )
            assert.deepStrictEqual(body<{ kept: ReadonlyArray<string> }>(again).kept, ids.slice(3))
            const sql = yield* SqlClient.SqlClient
            const audit = yield* Effect.orDie(
              sql<{ action: string }>`SELECT action FROM audit_events
              WHERE entity_type = 'booking_series' AND entity_id = ${series.id} ORDER BY at, id`
            )
            assert.deepStrictEqual(
              audit.map((row) => row.action),
              ["CREATE", "UPDATE", "UPDATE"]
            )
          })
        )

        it.effect(
          "refuses rules outside the subset, over 366 occurrences, or with nothing to book (400)",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const base = { startAt: on(0), endAt: on(0, 10), items: [{ unitId: unitIds[0]! }] }
              for (const payload of [
                { ...base, rule: "FREQ=YEARLY;COUNT=2" },
                { ...base, rule: "FREQ=DAILY" },
                { ...base, rule: "FREQ=DAILY;COUNT=400" },
                { ...base, rule: "FREQ=DAILY;UNTIL=20991231" },
                { ...base, rule: "FREQ=DAILY;COUNT=1", exceptions: [dateOf(0)] },
                {
                  ...base,
                  startAt: new Date(Date.parse(on(0)) + 1000).toISOString(),
                  rule: "FREQ=DAILY;COUNT=2"
                }
              ]) {
                const answer = yield* createSeries(owner, payload)
                expectStatus(answer, 400)
                assert.strictEqual(body<{ code: string }>(answer).code, "validation_failed")
              }
              assert.strictEqual((yield* bookingsOfUnit(unitIds[0]!)).length, 0)
            })
        )

        it.effect("keeps the wall-clock time over a DST change in the org's zone", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const org = yield* call("GET", "/v1/org", owner)
            expectStatus(
              yield* call("PATCH", "/v1/org", {
                ...owner,
                headers: { "if-match": `"${body<{ version: number }>(org).version}"` },
                body: { timezone: "Europe/Paris" }
              }),
              200
            )
            const { unitIds } = yield* resourceWithUnits(owner, 1)
            // 09:00 in Paris from Friday 2030-03-29; summer time starts on Sunday the 31st.
            const answer = yield* createSeries(owner, {
              startAt: "2030-03-29T08:00:00Z",
              endAt: "2030-03-29T09:00:00Z",
              items: [{ unitId: unitIds[0]! }],
              rule: "FREQ=DAILY;COUNT=4"
            })
            expectStatus(answer, 201)
            assert.deepStrictEqual(
              body<SeriesBody>(answer).occurrences.map((occurrence) =>
                new Date(occurrence.startAt).toISOString()
              ),
              [
                "2030-03-29T08:00:00.000Z",
                "2030-03-30T08:00:00.000Z",
                "2030-03-31T07:00:00.000Z",
                "2030-04-01T07:00:00.000Z"
              ]
            )
          })
        )

        it.effect(
          "two overlapping series created in parallel never double-book: every day is held once",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const items = [{ unitId: unitIds[0]! }]
              for (let round = 0; round < 3; round++) {
                // Days 0-9 and days 5-14 of this round's stretch: days 5-9 are wanted by both.
                const start = round * 20
                const answers = yield* Effect.all(
                  [
                    createSeries(owner, {
                      startAt: on(start),
                      endAt: on(start, 10),
                      items,
                      rule: "FREQ=DAILY;COUNT=10"
                    }),
                    createSeries(owner, {
                      startAt: on(start + 5),
                      endAt: on(start + 5, 10),
                      items,
                      rule: "FREQ=DAILY;COUNT=10"
                    })
                  ],
                  { concurrency: "unbounded" }
                )
                for (const answer of answers) expectStatus(answer, 201)
                const created = answers
                  .flatMap((answer) => outcomes(body<SeriesBody>(answer)))
                  .filter((o) => o === "created")
                const conflicts = answers
                  .flatMap((answer) => outcomes(body<SeriesBody>(answer)))
                  .filter((o) => o === "conflict")
                assert.deepStrictEqual([created.length, conflicts.length], [15, 5], `round ${round}`)
              }
              assert.strictEqual(yield* overlappingPairs, 0)
              assert.strictEqual((yield* bookingsOfUnit(unitIds[0]!)).length, 45)
            }),
          120_000
        )
      }
    )
  })
}
