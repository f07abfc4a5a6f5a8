/**
 * The reports through the whole stack, on a small hand-made scenario whose hours, ratios and
 * counts are worked out below; their CSV form; who may read them; and that an org's report holds
 * nothing of another org.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { at, book, bookingOf, idempotencyKey, resourceWithUnits } from "./fixtures/Bookings.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { as, createIntervention, type Intervention, move } from "./fixtures/Interventions.ts"
import { createResource, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
interface Report<Row> {
  readonly from: string
  readonly to: string
  readonly by: string
  readonly items: ReadonlyArray<Row>
}
type Row = Record<string, unknown>

const expectStatus = (answer: Answer, status: number) =>
  assert.strictEqual(answer.status, status, answer.text)
const post = (org: Org, path: string, payload?: unknown, headers: Record<string, string> = {}) =>
  call("POST", path, { ...as(org, { "idempotency-key": idempotencyKey(), ...headers }), body: payload })
const window = (from: string, to: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
const report = (org: Org, name: string, query: string, headers: Record<string, string> = {}) =>
  call("GET", `/v1/reports/${name}?${query}`, as(org, headers))
const rowsOf = (answer: Answer) => {
  expectStatus(answer, 200)
  return body<Report<Row>>(answer).items
}
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString()

// Shifts a checked-out booking into the past, as if time had passed (and its ledger time with it).
const shiftIntoPast = (bookingId: string, hours: number) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) =>
    Effect.orDie(
      sql`UPDATE bookings SET start_at = start_at - ${`${hours} hours`}::interval,
        end_at = end_at - ${`${hours} hours`}::interval WHERE id = ${bookingId}`
    )
  )

// The timeline cannot be rewritten, so the request time moves instead: an intervention was
// requested `hours` before its `started` event, and completed `completedAfter` hours after it.
const requestedBeforeStart = (id: string, hours: number, completedAfter?: number) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) =>
    Effect.orDie(sql`UPDATE interventions SET
        created_at = started.at - ${`${hours} hours`}::interval,
        completed_at = CASE WHEN status = 'COMPLETED' THEN started.at + ${`${completedAfter ?? 0} hours`}::interval END
      FROM (SELECT min(at) AS at FROM intervention_events WHERE intervention_id = ${id} AND type = 'started') AS started
      WHERE interventions.id = ${id}`)
  )

// Opens an intervention and moves it through `statuses` in turn.
const interventionThrough = (org: Org, fields: object, statuses: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    let current = yield* createIntervention(org, fields)
    for (const status of statuses) {
      const moved = yield* move(org, current, status)
      expectStatus(moved, 200)
      current = body<Intervention>(moved)
    }
    return current
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 180_000, excludeTestServices: true })("reports", (it) => {
      it.effect("utilisation: booked over available hours, clipped to the window, blackouts excluded", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const { resourceId, unitIds } = yield* resourceWithUnits(owner, 2)
          const [first, second] = unitIds as [string, string]
          // Unit 1: 6 h inside the window and 2 h of a booking that runs past its end.
          expectStatus(yield* book(owner, { startAt: at(2), endAt: at(8), items: [{ unitId: first }] }), 201)
          expectStatus(
            yield* book(owner, { startAt: at(22), endAt: at(26), items: [{ unitId: first }] }),
            201
          )
          // Unit 2: a cancelled booking counts for nothing; a 6 h blackout closes it.
          const cancelled = bookingOf(
            yield* book(owner, { startAt: at(1), endAt: at(3), items: [{ unitId: second }] })
          )
          expectStatus(yield* post(owner, `/v1/bookings/${cancelled.id}/cancel`), 200)
          expectStatus(
            yield* post(owner, "/v1/blackouts", {
              scope: "unit",
              scopeId: second,
              startAt: at(10),
              endAt: at(16),
              reason: "Inspection"
            }),
            201
          )
          const query = window(at(0), at(24))
          const byResource = rowsOf(yield* report(owner, "utilisation", query))
          assert.deepStrictEqual(byResource, [
            {
              resourceId,
              resourceName: byResource[0]!.resourceName,
              unitId: null,
              unitBarcode: null,
              units: 2,
              bookings: 2,
              bookedHours: 8,
              blackoutHours: 6,
              // 2 units x 24 h, less the blackout: 8 / 42.
              availableHours: 42,
              ratio: 0.1905
            }
          ])
          const byUnit = rowsOf(yield* report(owner, "utilisation", `${query}&by=unit`))
          const unitRow = (unitId: string) => byUnit.find((row) => row.unitId === unitId)!
          assert.deepStrictEqual(
            [first, second].map((unitId) => {
              const row = unitRow(unitId)
              return [row.bookings, row.bookedHours, row.blackoutHours, row.availableHours, row.ratio]
            }),
            [
              [2, 8, 0, 24, 0.3333],
              [0, 0, 6, 18, 0]
            ]
          )
        })
      )

      it.effect("overdue and fines: by client and by status, in minor units", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const member = yield* addMember(owner, "member")
          const { unitIds } = yield* resourceWithUnits(owner, 1)
          const late = bookingOf(
            yield* book(member, { startAt: at(40), endAt: at(41), items: [{ unitId: unitIds[0]! }] })
          )
          expectStatus(yield* post(owner, `/v1/bookings/${late.id}/approve`), 200)
          expectStatus(yield* post(owner, `/v1/bookings/${late.id}/check-out`), 200)
          // at(41) is 65 h from now: moved 68 h back, it ended 3 h ago and was never returned.
          yield* shiftIntoPast(late.id, 68)
          const fine = (amount: number) =>
            Effect.map(
              post(owner, "/v1/fines", { accountId: member.accountId, amount, reason: "Late" }),
              (answer) => {
                expectStatus(answer, 201)
                return body<{ id: string }>(answer).id
              }
            )
          const owed = yield* fine(1000)
          const forgiven = yield* fine(250)
          expectStatus(
            yield* post(owner, `/v1/fines/${owed}/payments`, { amount: 100 }, { "if-match": '"1"' }),
            200
          )
          expectStatus(
            yield* post(owner, `/v1/fines/${forgiven}/waive`, undefined, { "if-match": '"1"' }),
            200
          )

          const query = window(hoursAgo(24), at(0))
          const [client, ...others] = rowsOf(yield* report(owner, "overdue-fines", query))
          assert.lengthOf(others, 0)
          const { overdueHours, ...rest } = client!
          assert.closeTo(overdueHours as number, 3, 0.2)
          assert.deepStrictEqual(rest, {
            accountId: member.accountId,
            username: member.username,
            fullName: member.fullName,
            overdueBookings: 1,
            currency: "EUR",
            fines: 2,
            amount: 1250,
            paid: 100,
            outstanding: 900
          })
          assert.deepStrictEqual(rowsOf(yield* report(owner, "overdue-fines", `${query}&by=status`)), [
            { status: "OPEN", currency: "EUR", fines: 1, amount: 1000, paid: 100, outstanding: 900 },
            { status: "WAIVED", currency: "EUR", fines: 1, amount: 250, paid: 0, outstanding: 0 }
          ])
          // A window before the fines holds the overdue booking only.
          const before = rowsOf(yield* report(owner, "overdue-fines", window(hoursAgo(48), hoursAgo(24))))
          assert.deepStrictEqual(
            before.map((row) => [row.overdueBookings, row.currency, row.fines, row.amount]),
            [[1, null, 0, 0]]
          )
        })
      )

      it.effect("technician workload and intervention lead times", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const ann = yield* addMember(owner, "technician", "ann")
          const bob = yield* addMember(owner, "technician", "bob")
          const urgentFix = { priority: "HIGH", kind: "CORRECTIVE" }
          const done = yield* interventionThrough(owner, { ...urgentFix, assigneeIds: [ann.accountId] }, [
            "IN_PROGRESS",
            "COMPLETED"
          ])
          const working = yield* interventionThrough(
            owner,
            { ...urgentFix, assigneeIds: [ann.accountId, bob.accountId] },
            ["IN_PROGRESS"]
          )
          yield* interventionThrough(
            owner,
            { priority: "NORMAL", kind: "PREVENTIVE", assigneeIds: [bob.accountId] },
            []
          )
          // Started 2 h and 4 h after their requests; the first completed 10 h after its request.
          yield* requestedBeforeStart(done.id, 2, 8)
          yield* requestedBeforeStart(working.id, 4)

          const query = window(hoursAgo(6), at(0))
          const workload = rowsOf(yield* report(owner, "technician-workload", query))
          assert.deepStrictEqual(
            [ann, bob].map((tech) => {
              const row = workload.find((item) => item.accountId === tech.accountId)!
              return [row.username, row.assigned, row.open, row.completed]
            }),
            [
              [ann.username, 2, 1, 1],
              [bob.username, 2, 2, 0]
            ]
          )
          assert.lengthOf(workload, 2)

          assert.deepStrictEqual(rowsOf(yield* report(owner, "intervention-lead-times", query)), [
            {
              priority: "HIGH",
              kind: "CORRECTIVE",
              requested: 2,
              started: 2,
              startMeanHours: 3,
              startP50Hours: 3,
              // Linear between the two: 2 + 0.9 x (4 - 2).
              startP90Hours: 3.8,
              completed: 1,
              completionMeanHours: 10,
              completionP50Hours: 10,
              completionP90Hours: 10
            },
            {
              priority: "NORMAL",
              kind: "PREVENTIVE",
              requested: 1,
              started: 0,
              startMeanHours: null,
              startP50Hours: null,
              startP90Hours: null,
              completed: 0,
              completionMeanHours: null,
              completionP50Hours: null,
              completionP90Hours: null
            }
          ])
        })
      )

      it.effect("CSV: RFC 4180 quoting, formula cells guarded, by query or Accept header", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const resource = yield* createResource(owner, { name: '=HYPERLINK("http://x"), drill' })
          const unit = yield* createUnit(owner, resource.id)
          expectStatus(
            yield* book(owner, { startAt: at(0), endAt: at(3), items: [{ unitId: unit.id }] }),
            201
          )
          const query = window(at(0), at(12))
          const byQuery = yield* report(owner, "utilisation", `${query}&format=csv`)
          expectStatus(byQuery, 200)
          assert.match(byQuery.headers.get("content-type") ?? "", /^text\/csv/)
          assert.strictEqual(
            byQuery.text,
            "resourceId,resourceName,unitId,unitBarcode,units,bookings,bookedHours,blackoutHours,availableHours,ratio\r\n" +
              `${resource.id},"'=HYPERLINK(""http://x""), drill",,,1,1,3,0,12,0.25\r\n`
          )
          // The same URL as JSON first: reports are never kept, so the Accept header is heard.
          assert.match((yield* report(owner, "utilisation", query)).headers.get("content-type") ?? "", /json/)
          const byAccept = yield* report(owner, "utilisation", query, { accept: "text/csv" })
          assert.strictEqual(byAccept.text, byQuery.text)
          // The query wins over the header; every report has its CSV form.
          const json = yield* report(owner, "utilisation", `${query}&format=json`, { accept: "text/csv" })
          assert.match(json.headers.get("content-type") ?? "", /json/)
          // With nothing in them, the other reports are their header line alone.
          for (const [name, query, header] of [
            [
              "overdue-fines",
              "format=csv",
              "accountId,username,fullName,overdueBookings,overdueHours,currency,fines,amount,paid,outstanding"
            ],
            ["overdue-fines", "format=csv&by=status", "status,currency,fines,amount,paid,outstanding"],
            ["technician-workload", "format=csv", "accountId,username,fullName,assigned,open,completed"],
            [
              "intervention-lead-times",
              "format=csv",
              "priority,kind,requested,started,startMeanHours,startP50Hours,startP90Hours,completed," +
                "completionMeanHours,completionP50Hours,completionP90Hours"
            ]
          ] as const) {
            const csv = yield* report(owner, name, query)
            expectStatus(csv, 200)
            assert.strictEqual(csv.text, `${header}\r\n`, name)
          }
        })
      )

      it.effect("managers and owners read reports; members and technicians are refused (403)", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const manager = yield* addMember(owner, "manager")
          const member = yield* addMember(owner, "member")
          const technician = yield* addMember(owner, "technician")
          for (const name of [
            "utilisation",
            "overdue-fines",
            "technician-workload",
            "intervention-lead-times"
          ]) {
            expectStatus(yield* report(manager, name, ""), 200)
            for (const refused of [member, technician]) {
              const answer = yield* report(refused, name, "format=csv")
              expectStatus(answer, 403)
              assert.match(answer.headers.get("content-type") ?? "", /application\/problem\+json/)
            }
          }
        })
      )

      it.effect("a reversed, empty, over-long or malformed window is a 400 problem", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          for (const query of [
            window(at(10), at(5)),
            window(at(10), at(10)),
            window(at(0), at(367 * 24)),
            "from=yesterday",
            "by=site",
            "format=xml"
          ]) {
            const answer = yield* report(owner, "utilisation", query)
            expectStatus(answer, 400)
            assert.match(answer.headers.get("content-type") ?? "", /application\/problem\+json/)
          }
          // A year and a day (366 days) is the longest window.
          expectStatus(yield* report(owner, "utilisation", window(at(0), at(366 * 24))), 200)
        })
      )

      it.effect("an org's reports hold nothing of another org's, whose id is refused", () =>
        Effect.gen(function* () {
          const first = yield* registerOwner()
          const second = yield* registerOwner()
          const mine = yield* resourceWithUnits(first, 1)
          const theirs = yield* resourceWithUnits(second, 1)
          for (const [org, units] of [
            [first, mine],
            [second, theirs]
          ] as const) {
            expectStatus(
              yield* book(org, { startAt: at(1), endAt: at(2), items: [{ unitId: units.unitIds[0]! }] }),
              201
            )
            const owed = yield* post(org, "/v1/fines", {
              accountId: (org === first ? first : second).accountId,
              amount: 500,
              reason: "Late"
            })
            expectStatus(owed, 201)
          }
          const query = window(hoursAgo(1), at(3))
          const ids = (rows: ReadonlyArray<Row>, field: string) => rows.map((row) => row[field])
          assert.deepStrictEqual(ids(rowsOf(yield* report(first, "utilisation", query)), "resourceId"), [
            mine.resourceId
          ])
          assert.deepStrictEqual(ids(rowsOf(yield* report(second, "utilisation", query)), "resourceId"), [
            theirs.resourceId
          ])
          assert.deepStrictEqual(ids(rowsOf(yield* report(first, "overdue-fines", query)), "accountId"), [
            first.accountId
          ])
          // Asking for the other org's report with one's own token is refused.
          const crossed = yield* call("GET", `/v1/reports/utilisation?${query}`, {
            token: first.token,
            orgId: second.orgId
          })
          assert.oneOf(crossed.status, [403, 404])
          assert.notInclude(crossed.text, theirs.resourceId)
        })
      )
    })
  })
}
