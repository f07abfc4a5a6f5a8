import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Result, Stream } from "effect"
import * as Bookings from "../../src/bookings/Bookings.ts"
import { InvitationRepo, MembershipRepo } from "../../src/identity/IdentityRepos.ts"
import * as Invitations from "../../src/identity/Invitations.ts"
import * as Members from "../../src/identity/Members.ts"
import * as Inventory from "../../src/inventory/Inventory.ts"
import { PartRepo } from "../../src/inventory/InventoryRepos.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import { part, resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import type { ImportKind } from "../../src/transfer/Columns.ts"
import * as Csv from "../../src/transfer/Csv.ts"
import * as Exports from "../../src/transfer/Exports.ts"
import * as Imports from "../../src/transfer/Imports.ts"
import * as Offers from "../../src/waitlist/Offers.ts"
import * as IdentityPorts from "../support/IdentityPorts.ts"
import { as } from "../support/UseCases.ts"

// CSV imports on the memory adapters, wired as `Rota.layer` wires them: all of a file or none of
// it, each record through its kind's own use case.
const memory = Layer.mergeAll(Imports.layer, Exports.layer).pipe(
  Layer.provideMerge(Layer.mergeAll(Inventory.layer, Members.layer, Bookings.layer)),
  Layer.provideMerge(Layer.mergeAll(Offers.layer, Invitations.layer)),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, IdentityPorts.layer)),
  Layer.provideMerge(Ids.layer)
)

const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

/** A new org and its admin. */
const orgAdmin = Effect.gen(function* () {
  const { id: orgId } = yield* Fixtures.org()
  return { orgId, admin: yield* actorIn(orgId, "admin") }
})

const csv = (...records: ReadonlyArray<ReadonlyArray<string>>) => records.map(Csv.encodeRow).join("")

const imported = (actor: Actor, kind: ImportKind, text: string) =>
  as(
    actor,
    Effect.flatMap(Effect.service(Imports.Imports), (imports) => imports.csv(kind, Effect.succeed(text)))
  )

/** Why an import was refused: each problem as [row, column]. */
const problems = (actor: Actor, kind: ImportKind, text: string) =>
  Effect.map(Effect.flip(imported(actor, kind, text)), (error) =>
    error._tag === "ImportRejected" ? error.errors.map((issue) => [issue.row, issue.column]) : error._tag
  )

/** The export of the kind, as text. */
const exportOf = (actor: Actor, kind: "parts" | "clients") =>
  Effect.gen(function* () {
    const stream = yield* as(
      actor,
      Effect.flatMap(Effect.service(Exports.Exports), (e) => e.csv(kind))
    )
    return (yield* Stream.runCollect(stream)).join("")
  })

/** The records of an export without their first (server-owned id) column. */
const withoutIds = (text: string) => Result.getOrThrow(Csv.parse(text)).map((record) => record.slice(1))

/** The org's outbox topics since the last call. */
const topicsOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(Outbox), (outbox) => {
    const [now, later] = [
      DateTime.makeUnsafe(Date.UTC(2200, 0, 1)),
      DateTime.makeUnsafe(Date.UTC(2300, 0, 1))
    ]
    return Effect.map(outbox.lease(1000, now, later), (messages) =>
      messages.filter((message) => message.orgId === orgId).map((message) => message.topic)
    )
  })

const partsHeader = ["sku", "name", "unitPriceAmount", "unitPriceCurrency"]

layer(memory, { excludeTestServices: true })("Imports on memory storage", (it) => {
  it.effect("parts exported from one org import into another and export back the same", () =>
    Effect.gen(function* () {
      const from = yield* orgAdmin
      const to = yield* orgAdmin
      yield* Effect.orDie(part(from.orgId, "SKU-1", 4))
      yield* Effect.orDie(part(from.orgId, "SKU-2", 9))
      const formula = csv(partsHeader, ["=SUM(A1)", '-minus, "quoted"', "120", "EUR"])
      yield* imported(from.admin, "parts", formula)
      const file = yield* exportOf(from.admin, "parts")
      yield* topicsOf(to.orgId)
      assert.deepStrictEqual(yield* imported(to.admin, "parts", file), { kind: "parts", created: 3 })
      assert.deepStrictEqual(withoutIds(yield* exportOf(to.admin, "parts")), withoutIds(file))
      assert.deepStrictEqual(yield* topicsOf(to.orgId), ["part.created", "part.created", "part.created"])
      // The formula guard's apostrophe is an export's, not the value's: the store has the cell as typed.
      const stored = yield* (yield* PartRepo).list(to.orgId, {
        limit: 10,
        filters: {},
        sort: { field: "sku", direction: "asc" }
      })
      assert.deepStrictEqual(
        stored.items.map((item) => [item.sku, item.name]),
        [
          ["=SUM(A1)", '-minus, "quoted"'],
          ["SKU-1", "part SKU-1"],
          ["SKU-2", "part SKU-2"]
        ]
      )
    })
  )

  it.effect("a file with any bad record creates nothing and answers every problem by row and column", () =>
    Effect.gen(function* () {
      const { orgId, admin } = yield* orgAdmin
      yield* Effect.orDie(part(orgId, "SKU-OLD", 1))
      const before = yield* exportOf(admin, "parts")
      yield* topicsOf(orgId)
      const file = csv(
        partsHeader,
        ["SKU-NEW", "Fine part", "100", "EUR"],
        ["SKU-X", "Bad price", "abc", "EUR"],
        ["sku-new", "Same SKU again", "100", "EUR"],
        ["sku-old", "Taken in the org", "100", "EUR"],
        ["SKU-Y", "Too few fields"]
      )
      assert.deepStrictEqual(yield* problems(admin, "parts", file), [
        [3, "unitPriceAmount"],
        [4, "sku"],
        [5, "sku"],
        [6, null]
      ])
      assert.strictEqual(yield* exportOf(admin, "parts"), before)
      assert.deepStrictEqual(yield* topicsOf(orgId), [])
    })
  )

  it.effect("a file that cannot be read is refused whole, before any record", () =>
    Effect.gen(function* () {
      const { admin } = yield* orgAdmin
      const header = csv(["sku", "name", "name", "colour", "unitPriceAmount"], ["A", "B", "B", "red", "1"])
      assert.deepStrictEqual(yield* problems(admin, "parts", header), [
        [1, "name"],
        [1, "colour"],
        [1, "unitPriceCurrency"]
      ])
      const unclosed = `${Csv.encodeRow(partsHeader)}"SKU-1,Part,1,EUR\r\n`
      assert.deepStrictEqual((yield* problems(admin, "parts", unclosed)) as ReadonlyArray<unknown>, [
        [2, null]
      ])
      const rows = Array.from({ length: Imports.maxRows + 1 }, (_, n) => [`S-${n}`, "Part", "1", "EUR"])
      assert.strictEqual(yield* problems(admin, "parts", csv(partsHeader, ...rows)), "ImportTooLarge")
    })
  )

  it.effect(
    "importing needs the permission to create the kind, and a refused caller's file is not read",
    () =>
      Effect.gen(function* () {
        const { orgId } = yield* orgAdmin
        const technician = yield* actorIn(orgId, "technician")
        let read = false
        const body = Effect.sync(() => {
          read = true
          return csv(partsHeader, ["SKU-1", "Part", "1", "EUR"])
        })
        const imports = yield* Imports.Imports
        const refused = yield* Effect.flip(as(technician, imports.csv("parts", body)))
        assert.deepStrictEqual(
          [refused._tag, refused._tag === "Forbidden" && refused.permission],
          ["Forbidden", "inventory.write"]
        )
        assert.isFalse(read)
      })
  )

  it.effect(
    "clients are invited, not joined; an address already a client or twice in the file is refused",
    () =>
      Effect.gen(function* () {
        const { orgId, admin } = yield* orgAdmin
        const header = ["email", "fullName", "username", "tags"]
        const file = csv(
          header,
          ["ann@example.test", "Ann", "ann", "vip"],
          ["bob@example.test", "Bob", "bob", ""]
        )
        assert.deepStrictEqual(yield* imported(admin, "clients", file), { kind: "clients", created: 2 })
        const invitations = yield* (yield* InvitationRepo).list(orgId)
        assert.sameDeepMembers(
          invitations.map((invitation) => [invitation.email, invitation.role, invitation.profile.tags ?? []]),
          [
            ["ann@example.test", "member", ["vip"]],
            ["bob@example.test", "member", []]
          ]
        )
        const page = yield* (yield* MembershipRepo).list(orgId, { limit: 10, roles: ["member"] })
        assert.deepStrictEqual(page.items, [])
        const client = yield* Fixtures.account({ name: "client" })
        yield* Fixtures.join(orgId, client.id, "member")
        const clashing = csv(
          header,
          [client.email.toUpperCase(), "Again", "again", ""],
          ["cy@example.test", "Cy", "cy", ""],
          ["CY@example.test", "Cy twice", "cy2", ""]
        )
        assert.deepStrictEqual(yield* problems(admin, "clients", clashing), [
          [2, "email"],
          [4, "email"]
        ])
      })
  )

  it.effect("a unit's resource must be the org's own: another org's resource is no such resource", () =>
    Effect.gen(function* () {
      const { orgId, admin } = yield* orgAdmin
      const other = yield* orgAdmin
      const mine = yield* resource(orgId, [])
      const theirs = yield* resource(other.orgId, [])
      const file = csv(["resourceId", "barcode"], [mine.id, "BC-1"], [theirs.id, "BC-2"])
      const refused = yield* Effect.flip(imported(admin, "units", file))
      assert.deepStrictEqual(
        refused._tag === "ImportRejected"
          ? refused.errors.map((issue) => [issue.row, issue.column, issue.message])
          : [],
        [[3, "resourceId", "No such resource"]]
      )
      const created = yield* imported(admin, "units", csv(["resourceId", "barcode"], [mine.id, "BC-1"]))
      assert.deepStrictEqual(created, { kind: "units", created: 1 })
    })
  )
})
