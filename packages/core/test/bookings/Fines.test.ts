import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { BookingRepo } from "../../src/bookings/BookingRepos.ts"
import type { Payment } from "../../src/bookings/Fine.ts"
import * as Fines from "../../src/bookings/Fines.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { at, booking } from "../../src/testing/BookingFixtures.ts"
import { account, join, org } from "../../src/testing/IdentityFixtures.ts"
import * as MemoryDatabase from "../../src/testing/MemoryDatabase.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as, auditedOf, messagesOf, stranger, topicsOf } from "../support/UseCases.ts"

// The fines use case on the memory adapters: who owes what, paid or waived, in milliseconds.
const memory = Fines.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

const payments = MemoryDatabase.rows<Payment>("fine_payments")

/** A stored org (fines in EUR by default) with a stored member of each role given. */
const office = (roles: ReadonlyArray<Role>) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* org("Lending desk")
    const people: Array<Actor> = []
    for (const role of roles) {
      const person = yield* account({ name: role })
      yield* join(orgId, person.id, role)
      people.push(new Actor({ orgId, accountId: person.id, role }))
    }
    return people
  })

const late = (accountId: Actor["accountId"]) => ({ accountId, amount: 500, reason: "Returned late" })

layer(memory, { excludeTestServices: true })("Fines on memory storage: payments", (it) => {
  it.effect(
    "a manager fines a member in the org's currency; paid in two parts, the fine is PAID, each step audited and announced",
    () =>
      Effect.gen(function* () {
        const fines = yield* Fines.Fines
        const [manager, member] = (yield* office(["manager", "member"])) as [Actor, Actor]
        const fine = yield* as(manager, fines.create(late(member.accountId)))
        assert.deepStrictEqual(
          [fine.status, fine.amount, fine.paid, fine.currency, fine.version],
          ["OPEN", 500, 0, "EUR", 1]
        )
        const part = yield* as(member, fines.pay(fine.id, 1, 200))
        assert.deepStrictEqual([part.status, part.paid, part.version], ["OPEN", 200, 2])
        const paid = yield* as(member, fines.pay(fine.id, 2, 300))
        assert.deepStrictEqual([paid.status, paid.paid], ["PAID", 500])
        const stored = [...(yield* MemoryDatabase.read(payments)).values()].filter(
          (one) => one.fineId === fine.id
        )
        assert.deepStrictEqual(
          stored.map((payment) => [payment.amount, payment.paidBy]),
          [
            [200, member.accountId],
            [300, member.accountId]
          ]
        )
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
          "fine.CREATE",
          "fine.UPDATE",
          "fine.STATUS_CHANGE"
        ])
        assert.deepStrictEqual(yield* topicsOf(manager.orgId), [
          "fine.created",
          "fine.payment_received",
          "fine.paid"
        ])
        const [, , last] = yield* messagesOf(manager.orgId)
        assert.deepStrictEqual(last?.payload, {
          id: fine.id,
          accountId: member.accountId,
          status: "PAID",
          paid: 500
        })
      })
  )

  it.effect("paying more than is owed is refused and records nothing", () =>
    Effect.gen(function* () {
      const fines = yield* Fines.Fines
      const [manager, member] = (yield* office(["manager", "member"])) as [Actor, Actor]
      const fine = yield* as(manager, fines.create(late(member.accountId)))
      yield* as(member, fines.pay(fine.id, 1, 400))
      const over = yield* Effect.flip(as(member, fines.pay(fine.id, 2, 101)))
      assert.strictEqual(over._tag, "ValidationFailed")
      assert.deepStrictEqual(
        [(yield* as(member, fines.get(fine.id))).paid, yield* topicsOf(manager.orgId)],
        [400, ["fine.created", "fine.payment_received"]]
      )
    })
  )
})

layer(memory, { excludeTestServices: true })("Fines on memory storage: states and versions", (it) => {
  it.effect("only an OPEN fine is paid or waived: a waived or paid one refuses both", () =>
    Effect.gen(function* () {
      const fines = yield* Fines.Fines
      const [manager, member] = (yield* office(["manager", "member"])) as [Actor, Actor]
      const waived = yield* as(
        manager,
        fines.waive((yield* as(manager, fines.create(late(member.accountId)))).id, 1)
      )
      assert.deepStrictEqual([waived.status, waived.paid], ["WAIVED", 0])
      const paid = yield* as(
        member,
        fines.pay((yield* as(manager, fines.create(late(member.accountId)))).id, 1, 500)
      )
      for (const [fine, step] of [
        [waived, fines.pay(waived.id, waived.version, 1)],
        [waived, fines.waive(waived.id, waived.version)],
        [paid, fines.pay(paid.id, paid.version, 1)],
        [paid, fines.waive(paid.id, paid.version)]
      ] as const) {
        const refused = yield* Effect.flip(as(manager, step))
        assert.strictEqual(refused._tag, "InvalidTransition")
        if (refused._tag === "InvalidTransition")
          assert.deepStrictEqual([refused.from, refused.allowed], [fine.status, []])
      }
      assert.strictEqual(
        (yield* topicsOf(manager.orgId)).filter((topic) => topic === "fine.waived").length,
        1
      )
    })
  )

  it.effect("a payment needs the current version: a stale one is refused and pays nothing", () =>
    Effect.gen(function* () {
      const fines = yield* Fines.Fines
      const [manager, member] = (yield* office(["manager", "member"])) as [Actor, Actor]
      const fine = yield* as(manager, fines.create(late(member.accountId)))
      yield* as(member, fines.pay(fine.id, 1, 100))
      assert.strictEqual(
        (yield* Effect.flip(as(member, fines.pay(fine.id, 1, 100))))._tag,
        "PreconditionFailed"
      )
      assert.strictEqual(
        (yield* Effect.flip(as(manager, fines.waive(fine.id, "missing"))))._tag,
        "PreconditionRequired"
      )
      const now = yield* as(member, fines.get(fine.id))
      assert.deepStrictEqual([now.paid, now.status, now.version], [100, "OPEN", 2])
    })
  )
})

layer(memory, { excludeTestServices: true })("Fines on memory storage: who sees what", (it) => {
  it.effect("a member sees and pays only their own fines, and may neither set nor waive one", () =>
    Effect.gen(function* () {
      const fines = yield* Fines.Fines
      const [manager, member, other] = (yield* office(["manager", "member", "member"])) as [
        Actor,
        Actor,
        Actor
      ]
      const mine = yield* as(manager, fines.create(late(member.accountId)))
      const theirs = yield* as(manager, fines.create(late(other.accountId)))
      const listed = yield* as(member, fines.list({ limit: 10, filters: {} }))
      assert.deepStrictEqual(
        listed.items.map((fine) => fine.id),
        [mine.id]
      )
      const asked = yield* Effect.flip(
        as(member, fines.list({ limit: 10, filters: { accountId: other.accountId } }))
      )
      assert.deepStrictEqual(
        asked._tag === "Forbidden" ? asked.permission : asked._tag,
        "fine.manage",
        "a filter naming someone else is refused, not replaced by their own id"
      )
      const ownByName = yield* as(member, fines.list({ limit: 10, filters: { accountId: member.accountId } }))
      assert.deepStrictEqual(
        ownByName.items.map((fine) => fine.id),
        [mine.id]
      )
      const all = yield* as(manager, fines.list({ limit: 10, filters: {} }))
      assert.deepStrictEqual(all.items.map((fine) => fine.id).sort(), [mine.id, theirs.id].sort())
      assert.strictEqual((yield* Effect.flip(as(member, fines.get(theirs.id))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(member, fines.pay(theirs.id, 1, 10))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(member, fines.waive(mine.id, 1))))._tag, "Forbidden")
      assert.strictEqual(
        (yield* Effect.flip(as(member, fines.create(late(member.accountId)))))._tag,
        "Forbidden"
      )
    })
  )

  it.effect("another org's fine is not found, to its members and managers alike", () =>
    Effect.gen(function* () {
      const fines = yield* Fines.Fines
      const [manager, member] = (yield* office(["manager", "member"])) as [Actor, Actor]
      const fine = yield* as(manager, fines.create(late(member.accountId)))
      const outsider = yield* stranger
      assert.strictEqual((yield* Effect.flip(as(outsider, fines.get(fine.id))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(outsider, fines.waive(fine.id, 1))))._tag, "NotFound")
      assert.deepStrictEqual((yield* as(outsider, fines.list({ limit: 10, filters: {} }))).items, [])
      assert.strictEqual((yield* as(member, fines.get(fine.id))).status, "OPEN")
    })
  )
})

layer(memory, { excludeTestServices: true })("Fines on memory storage: what a fine names", (it) => {
  it.effect("the fined account must be a member, and the booking named one of theirs", () =>
    Effect.gen(function* () {
      const fines = yield* Fines.Fines
      const [manager, member, other] = (yield* office(["manager", "member", "member"])) as [
        Actor,
        Actor,
        Actor
      ]
      const outsider = yield* account({ name: "outsider" })
      const theirs = yield* booking(manager.orgId, other.accountId, [], { start: at(2040, 1, 1) })
      yield* (yield* BookingRepo).insert(theirs)
      const refused = yield* Effect.flip(
        as(manager, fines.create({ ...late(outsider.id), bookingId: theirs.id }))
      )
      assert.strictEqual(refused._tag, "ValidationFailed")
      if (refused._tag === "ValidationFailed")
        assert.deepStrictEqual(
          refused.errors.map((issue) => issue.path),
          [
            ["body", "accountId"],
            ["body", "bookingId"]
          ]
        )
      const wrongBooking = yield* Effect.flip(
        as(manager, fines.create({ ...late(member.accountId), bookingId: theirs.id }))
      )
      assert.strictEqual(wrongBooking._tag, "ValidationFailed")
      const right = yield* as(
        manager,
        fines.create({ ...late(other.accountId), bookingId: theirs.id, currency: "USD" })
      )
      assert.deepStrictEqual([right.bookingId, right.currency], [theirs.id, "USD"])
      assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["fine.CREATE"])
    })
  )
})
