import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { at, idempotencyKey, resourceWithUnits } from "./fixtures/Bookings.ts"
import { type Answer, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

// Each is refused for its own reason: a day February does not have, no offset, a year past
// 9999 (two spellings), a date alone, a space for `T`, hour 24, a missing seconds field.
const notRfc3339 = [
  "2027-02-30T10:00:00Z",
  "2027-03-01T10:00:00",
  "10000-01-01T00:00:00Z",
  "+010000-01-01T00:00:00Z",
  "2027-03-01",
  "2027-03-01 10:00:00Z",
  "2027-03-01T24:00:00Z",
  "2027-03-01T10:00Z",
  "0000-06-01T00:00:00Z"
]

type Org = { readonly token: string; readonly orgId: string }

interface Case {
  readonly name: string
  /** The request with `value` in the field under test. */
  readonly send: (org: Org, value: string) => Effect.Effect<Answer, never, TestServer.TestServer>
  readonly path: ReadonlyArray<string>
}

const asOwner = (org: Org, extra: Record<string, string> = {}) => ({
  token: org.token,
  orgId: org.orgId,
  headers: extra
})

const namesField = (answer: Answer, path: ReadonlyArray<string>) => {
  const problem = body<{ code: string; errors?: ReadonlyArray<{ path: ReadonlyArray<string> }> }>(answer)
  return (
    answer.status === 400 &&
    problem.code === "validation_failed" &&
    (problem.errors ?? []).some((issue) => issue.path.join(".") === path.join("."))
  )
}

for (const store of Stores.everyStore()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "timestamps",
      (it) => {
        it.effect(
          "every date-time input is strict RFC 3339 with an offset, a real day, in years 0001-9999",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const { unitIds } = yield* resourceWithUnits(owner, 1)
              const cases: ReadonlyArray<Case> = [
                {
                  name: "booking body",
                  path: ["body", "startAt"],
                  send: (org, value) =>
                    call("POST", "/v1/bookings", {
                      ...asOwner(org, { "idempotency-key": idempotencyKey() }),
                      body: {
                        purpose: "Shoot",
                        startAt: value,
                        endAt: at(200),
                        items: [{ unitId: unitIds[0] }]
                      }
                    })
                },
                {
                  name: "booking list query",
                  path: ["query", "from"],
                  send: (org, value) =>
                    call("GET", `/v1/bookings?from=${encodeURIComponent(value)}`, asOwner(org))
                },
                {
                  name: "mission list query",
                  path: ["query", "to"],
                  send: (org, value) =>
                    call("GET", `/v1/missions?to=${encodeURIComponent(value)}`, asOwner(org))
                },
                {
                  name: "project body",
                  path: ["body", "startsAt"],
                  send: (org, value) =>
                    call("POST", "/v1/projects", { ...asOwner(org), body: { name: "Tour", startsAt: value } })
                },
                {
                  name: "availability body",
                  path: ["body", "endAt"],
                  send: (org, value) =>
                    call("POST", "/v1/availability", {
                      ...asOwner(org),
                      body: { kind: "UNAVAILABLE", startAt: at(50), endAt: value }
                    })
                },
                {
                  name: "intervention body",
                  path: ["body", "dueAt"],
                  send: (org, value) =>
                    call("POST", "/v1/interventions", {
                      ...asOwner(org),
                      body: { title: "Brakes", dueAt: value }
                    })
                }
              ]
              const wrong: Array<string> = []
              for (const [index, testCase] of cases.entries()) {
                // The same request with a valid instant (an offset other than Z) is not refused.
                const valid = new Date(Date.parse(at(100 + index * 10)) + 3_600_000)
                  .toISOString()
                  .slice(0, 19)
                const accepted = yield* testCase.send(owner, `${valid}+01:00`)
                if (accepted.status >= 400)
                  wrong.push(`${testCase.name} refused a valid instant: ${accepted.text}`)
                for (const value of notRfc3339) {
                  const answer = yield* testCase.send(owner, value)
                  if (!namesField(answer, testCase.path))
                    wrong.push(`${testCase.name} ${value}: ${answer.status} ${answer.text.slice(0, 160)}`)
                }
              }
              assert.deepStrictEqual(wrong, [])
            })
        )

        it.effect("an end a query leaves out is filled in no further than years 0001-9999", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 1)
            const first = encodeURIComponent("0001-01-01T00:00:00.028Z")
            const last = encodeURIComponent("9999-12-31T23:00:00Z")
            const paths = [
              `/v1/reports/utilisation?to=${first}`,
              `/v1/reports/overdue-fines?from=${last}`,
              `/v1/technicians/leaderboard?to=${first}`,
              `/v1/schedule?from=${last}`,
              `/v1/conflicts?unitId=${unitIds[0]}&from=${last}`,
              `/v1/resources/${resourceId}/availability?from=${last}`
            ]
            const answers: Array<string> = []
            for (const path of paths) {
              const answer = yield* call("GET", path, asOwner(owner))
              answers.push(`${path} ${answer.status}`)
            }
            assert.deepStrictEqual(
              answers,
              paths.map((path) => `${path} 200`)
            )
          })
        )

        it.effect("a window as long as the calendar leaves windowed lists answering", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const created = yield* call("POST", "/v1/availability", {
              ...asOwner(owner),
              body: { kind: "UNAVAILABLE", startAt: "1970-01-01T00:00:00Z", endAt: "9999-12-31T00:00:00Z" }
            })
            assert.strictEqual(created.status, 201, created.text)
            const listed = yield* call(
              "GET",
              `/v1/availability?from=${encodeURIComponent("1970-01-01T00:00:00.026Z")}`,
              asOwner(owner)
            )
            assert.strictEqual(listed.status, 200, listed.text)
            assert.lengthOf(body<{ items: ReadonlyArray<unknown> }>(listed).items, 1)
          })
        )

        it.effect("an accepted instant is answered in UTC, as it was meant", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const created = yield* call("POST", "/v1/projects", {
              ...asOwner(owner),
              body: { name: "Leap day", startsAt: "2028-02-29T10:30:00.250+02:00" }
            })
            assert.strictEqual(created.status, 201, created.text)
            assert.strictEqual(body<{ startsAt: string }>(created).startsAt, "2028-02-29T08:30:00.250Z")
          })
        )
      }
    )
  })
}
