import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Result, Stream } from "effect"
import { PartRepo } from "../../src/inventory/InventoryRepos.ts"
import { Part, PartId } from "../../src/inventory/Part.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import { base, hour, part } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import type { ExportKind } from "../../src/transfer/Columns.ts"
import * as Csv from "../../src/transfer/Csv.ts"
import * as Exports from "../../src/transfer/Exports.ts"
import { as } from "../support/UseCases.ts"

// CSV exports on the memory adapters: what an export holds, whose records, and who may take one.
const memory = Exports.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

/** A new org and its manager. */
const orgManager = Effect.gen(function* () {
  const { id: orgId } = yield* Fixtures.org()
  return { orgId, manager: yield* actorIn(orgId, "manager") }
})

/** The export of `kind` as the actor takes it, parsed back into records. */
const exported = (actor: Actor, kind: ExportKind) =>
  Effect.gen(function* () {
    const stream = yield* as(
      actor,
      Effect.flatMap(Effect.service(Exports.Exports), (e) => e.csv(kind))
    )
    const text = (yield* Stream.runCollect(stream)).join("")
    const records = Csv.parse(text)
    assert.isTrue(Result.isSuccess(records))
    return Result.getOrThrow(records)
  })

/** A part stored with a name and description as given. */
const namedPart = (orgId: OrgId, sku: string, name: string, description: string | null) =>
  Effect.gen(function* () {
    const stored = new Part({
      ...base,
      id: yield* nextId(PartId),
      orgId,
      sku,
      name,
      description,
      quantityOnHand: 3,
      unitPrice: { amount: 1999, currency: "EUR" },
      reorderLevel: 1,
      createdAt: hour(0)
    })
    yield* Effect.orDie((yield* PartRepo).insert(stored))
    return stored
  })

layer(memory, { excludeTestServices: true })("Exports on memory storage", (it) => {
  it.effect("an export is the header, then one record per record of the caller's org, in key order", () =>
    Effect.gen(function* () {
      const mine = yield* orgManager
      const theirs = yield* orgManager
      yield* Effect.orDie(part(mine.orgId, "SKU-B", 4))
      yield* Effect.orDie(part(mine.orgId, "SKU-A", 7))
      yield* Effect.orDie(part(theirs.orgId, "SKU-C", 1))
      const [header, ...records] = yield* exported(mine.manager, "parts")
      assert.deepStrictEqual(header, [
        "id",
        "sku",
        "name",
        "description",
        "quantityOnHand",
        "unitPriceAmount",
        "unitPriceCurrency",
        "reorderLevel"
      ])
      assert.deepStrictEqual(
        records.map((record) => record.slice(1)),
        [
          ["SKU-A", "part SKU-A", "", "7", "250", "EUR", "5"],
          ["SKU-B", "part SKU-B", "", "4", "250", "EUR", "5"]
        ]
      )
      const [, ...others] = yield* exported(theirs.manager, "parts")
      assert.deepStrictEqual(
        others.map((record) => record[1]),
        ["SKU-C"]
      )
    })
  )

  it.effect(
    "a cell a spreadsheet would run as a formula is exported as text; quotes and commas survive",
    () =>
      Effect.gen(function* () {
        const { orgId, manager } = yield* orgManager
        yield* namedPart(orgId, "F-1", '=HYPERLINK("http://evil.test")', 'Bolts, "large"')
        yield* namedPart(orgId, "F-2", "-2+3", "+1 spare\r\nsecond line")
        const [, ...records] = yield* exported(manager, "parts")
        assert.deepStrictEqual(
          records.map((record) => [record[2], record[3]]),
          [
            ['\'=HYPERLINK("http://evil.test")', 'Bolts, "large"'],
            ["'-2+3", "'+1 spare\r\nsecond line"]
          ]
        )
      })
  )

  it.effect("an export longer than a page holds every record exactly once", () =>
    Effect.gen(function* () {
      const { orgId, manager } = yield* orgManager
      const count = Exports.pageSize * 2 + 17
      for (let n = 0; n < count; n++) yield* Effect.orDie(part(orgId, `P-${String(n).padStart(4, "0")}`, n))
      const [, ...records] = yield* exported(manager, "parts")
      const skus = records.map((record) => record[1])
      assert.strictEqual(skus.length, count)
      assert.strictEqual(new Set(skus).size, count)
      assert.deepStrictEqual(skus, [...skus].sort())
    })
  )

  it.effect("the clients export lists the org's clients only, not its staff", () =>
    Effect.gen(function* () {
      const { orgId, manager } = yield* orgManager
      const client = yield* Fixtures.account({ name: "client", phone: "+33612345678" })
      const technician = yield* Fixtures.account({ name: "tech" })
      yield* Fixtures.join(orgId, client.id, "member", { tags: ["vip", "north"] })
      yield* Fixtures.join(orgId, technician.id, "technician")
      const [header, ...records] = yield* exported(manager, "clients")
      assert.deepStrictEqual(header?.slice(0, 6), [
        "accountId",
        "email",
        "username",
        "fullName",
        "phone",
        "tags"
      ])
      // A phone's leading + would start a formula too: guarded like any cell, restored on import.
      assert.deepStrictEqual(
        records.map((record) => record.slice(0, 7)),
        [[client.id, client.email, client.username, client.fullName, "'+33612345678", "vip,north", "true"]]
      )
    })
  )

  it.effect("an export needs the permission to list its kind", () =>
    Effect.gen(function* () {
      const { orgId } = yield* orgManager
      const client = yield* actorIn(orgId, "member")
      const technician = yield* actorIn(orgId, "technician")
      const refusals: ReadonlyArray<readonly [Actor, ExportKind, string]> = [
        [client, "clients", "client.read"],
        [technician, "bookings", "booking.read_all"]
      ]
      for (const [actor, kind, permission] of refusals) {
        const error = yield* Effect.flip(exported(actor, kind))
        assert.deepStrictEqual([error._tag, error.permission], ["Forbidden", permission])
      }
      const [header] = yield* exported(client, "resources")
      assert.strictEqual(header?.[0], "id")
      assert.strictEqual((yield* exported(technician, "clients")).length, 1)
    })
  )
})
