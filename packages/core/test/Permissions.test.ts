import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Ids, Permissions, RequestContext, Role } from "../src/index.ts"

describe("Permissions", () => {
  it("each role has every permission of the roles below it", () => {
    const roles = Role.Role.literals
    for (let i = 0; i < roles.length - 1; i++) {
      for (const permission of Permissions.table[roles[i + 1]!]) {
        assert.isTrue(Permissions.allows(roles[i]!, permission), `${roles[i]} lacks ${permission}`)
      }
    }
  })

  it("the table in docs/access-control.md is the table in the code, cell by cell", () => {
    const doc = readFileSync(new URL("../../../docs/access-control.md", import.meta.url), "utf8")
    for (const permission of Permissions.Permission.literals) {
      // Read cell by cell, so the table may be aligned or not.
      const row = doc
        .split("\n")
        .map((line) => line.split("|").map((cell) => cell.trim()))
        .find((cells) => cells[1] === `\`${permission}\``)
      assert.isDefined(row, `${permission} is not documented`)
      const cells = row!.slice(2, -1).map((cell) => cell === "yes")
      assert.deepStrictEqual(
        cells,
        Role.Role.literals.map((role) => Permissions.allows(role, permission)),
        permission
      )
    }
  })

  it.effect("require refuses a role without the permission with Forbidden naming it", () =>
    Effect.gen(function* () {
      const actor = (role: Role.Role) =>
        new RequestContext.Actor({
          accountId: Ids.AccountId.make("018f0000-0000-7000-8000-000000000001"),
          orgId: Ids.OrgId.make("018f0000-0000-7000-8000-000000000002"),
          role
        })
      yield* Permissions.require("member.manage").pipe(
        Effect.provideService(RequestContext.CurrentActor, actor("admin"))
      )
      const error = yield* Effect.flip(
        Permissions.require("member.manage").pipe(
          Effect.provideService(RequestContext.CurrentActor, actor("manager"))
        )
      )
      assert.deepStrictEqual([error._tag, error.permission], ["Forbidden", "member.manage"])
    })
  )

  describe("accountFilter", () => {
    const self = Ids.AccountId.make("018f0000-0000-7000-8000-000000000001")
    const other = Ids.AccountId.make("018f0000-0000-7000-8000-000000000003")
    const actor = (role: Role.Role, scopes?: ReadonlyArray<string>) =>
      new RequestContext.Actor({
        accountId: self,
        orgId: Ids.OrgId.make("018f0000-0000-7000-8000-000000000002"),
        role,
        ...(scopes === undefined ? {} : { scopes })
      })

    it.effect("gives one who cannot read all their own records, asked for by their id or by no one", () =>
      Effect.gen(function* () {
        assert.strictEqual(yield* Permissions.accountFilter(actor("member"), "fine.manage", undefined), self)
        assert.strictEqual(yield* Permissions.accountFilter(actor("member"), "fine.manage", self), self)
      })
    )

    it.effect(
      "refuses one who cannot read all another account's records with Forbidden naming the permission",
      () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(Permissions.accountFilter(actor("member"), "fine.manage", other))
          assert.deepStrictEqual([error._tag, error.permission], ["Forbidden", "fine.manage"])
        })
    )

    it.effect("gives one who reads all the account asked for, or everyone's", () =>
      Effect.gen(function* () {
        assert.strictEqual(yield* Permissions.accountFilter(actor("manager"), "fine.manage", other), other)
        assert.strictEqual(yield* Permissions.accountFilter(actor("manager"), "fine.manage", self), self)
        assert.isUndefined(yield* Permissions.accountFilter(actor("manager"), "fine.manage", undefined))
      })
    )

    it.effect("reads all only when the API key's scopes allow it too", () =>
      Effect.gen(function* () {
        const narrow = actor("manager", ["org.read"])
        assert.strictEqual(yield* Permissions.accountFilter(narrow, "fine.manage", undefined), self)
        const error = yield* Effect.flip(Permissions.accountFilter(narrow, "fine.manage", other))
        assert.strictEqual(error._tag, "Forbidden")
      })
    )
  })
})
