import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect } from "effect"
import { Ids, Intervention, InterventionRules } from "../../src/index.ts"

const statuses = Intervention.Status.literals

const at = (iso: string) => DateTime.makeUnsafe(iso)

const intervention = (fields: Partial<ConstructorParameters<typeof Intervention.Intervention>[0]> = {}) =>
  new Intervention.Intervention({
    id: Intervention.InterventionId.make("018f0000-0000-7000-8000-000000000001"),
    orgId: Ids.OrgId.make("018f0000-0000-7000-8000-000000000002"),
    number: "INT-000001",
    title: "Replace the pump",
    description: null,
    kind: "CORRECTIVE",
    priority: "NORMAL",
    status: "PENDING",
    clientId: null,
    resourceId: null,
    unitId: null,
    subject: null,
    siteId: null,
    assigneeIds: [Ids.AccountId.make("018f0000-0000-7000-8000-0000000000a1")],
    scheduledStart: at("2030-01-01T10:00:00Z"),
    scheduledEnd: at("2030-01-01T12:00:00Z"),
    dueAt: null,
    completedAt: null,
    completedBy: null,
    partsCost: null,
    version: 1,
    createdAt: at("2029-12-01T10:00:00Z"),
    deletedAt: null,
    ...fields
  })

describe("InterventionRules", () => {
  it.effect("allows exactly the moves of the table and refuses every other, naming the allowed ones", () =>
    Effect.gen(function* () {
      const allowed: Array<string> = []
      for (const from of statuses) {
        for (const to of statuses) {
          const result = yield* Effect.result(InterventionRules.transition(from, to))
          if (result._tag === "Success") allowed.push(`${from}->${to}`)
          else assert.deepStrictEqual(result.failure.allowed, InterventionRules.transitions[from])
        }
      }
      assert.deepStrictEqual(allowed.sort(), [
        "IN_PROGRESS->CANCELLED",
        "IN_PROGRESS->COMPLETED",
        "IN_PROGRESS->WAITING_PARTS",
        "PENDING->CANCELLED",
        "PENDING->IN_PROGRESS",
        "WAITING_PARTS->CANCELLED",
        "WAITING_PARTS->IN_PROGRESS"
      ])
    })
  )

  it("COMPLETED and CANCELLED are terminal; every other status can be cancelled", () => {
    assert.deepStrictEqual(
      statuses.filter((status) => InterventionRules.isTerminal(status)),
      ["COMPLETED", "CANCELLED"]
    )
    for (const status of statuses.filter((s) => !InterventionRules.isTerminal(s)))
      assert.include(InterventionRules.transitions[status], "CANCELLED")
  })

  it("formats the per-org number with six digits and reads it back", () => {
    assert.strictEqual(InterventionRules.formatNumber(123), "INT-000123")
    assert.strictEqual(InterventionRules.formatNumber(1_234_567), "INT-1234567")
    assert.strictEqual(InterventionRules.parseNumber("INT-000123"), 123)
  })

  it.effect("a schedule is both ends or neither, the end after the start", () =>
    Effect.gen(function* () {
      assert.isUndefined(yield* InterventionRules.schedule({ scheduledStart: null, scheduledEnd: null }))
      const half = yield* Effect.flip(
        InterventionRules.schedule({ scheduledStart: at("2030-01-01T10:00:00Z"), scheduledEnd: null })
      )
      assert.deepStrictEqual(half.errors[0]!.path, ["body", "scheduledEnd"])
      const backwards = yield* Effect.flip(
        InterventionRules.schedule({
          scheduledStart: at("2030-01-01T10:00:00Z"),
          scheduledEnd: at("2030-01-01T10:00:00Z")
        })
      )
      assert.deepStrictEqual(backwards.errors[0]!.path, ["body", "scheduledEnd"])
    })
  )

  it("holds one claim per assignee while live, scheduled and unfinished; none otherwise", () => {
    const open = intervention()
    assert.strictEqual(InterventionRules.claimsOf(open).length, 1)
    assert.deepStrictEqual(InterventionRules.claimsOf(open)[0]!.source, { type: "intervention", id: open.id })
    assert.lengthOf(InterventionRules.claimsOf(intervention({ status: "COMPLETED" })), 0)
    assert.lengthOf(InterventionRules.claimsOf(intervention({ status: "CANCELLED" })), 0)
    assert.lengthOf(InterventionRules.claimsOf(intervention({ deletedAt: at("2030-01-01T00:00:00Z") })), 0)
    assert.lengthOf(InterventionRules.claimsOf(intervention({ scheduledStart: null, scheduledEnd: null })), 0)
    assert.isTrue(InterventionRules.holdsOtherTime(open, intervention({ status: "COMPLETED" })))
    assert.isFalse(InterventionRules.holdsOtherTime(open, intervention({ status: "IN_PROGRESS" })))
    assert.isTrue(
      InterventionRules.holdsOtherTime(open, intervention({ scheduledEnd: at("2030-01-01T13:00:00Z") }))
    )
  })

  it("applies assignee changes once each, removal winning", () => {
    assert.deepStrictEqual(InterventionRules.applyAssignees(["a", "b"], ["c", "a", "c"], ["b"]), ["a", "c"])
    assert.deepStrictEqual(InterventionRules.applyAssignees(["a"], ["b"], ["b"]), ["a"])
  })
})
