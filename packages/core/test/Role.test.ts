import { assert, describe, it } from "@effect/vitest"
import { Role } from "../src/index.ts"

describe("Role", () => {
  it("orders roles from owner down to member", () => {
    const order = Role.Role.literals
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        assert.strictEqual(Role.isAtLeast(order[i]!, order[j]!), i <= j, `${order[i]} >= ${order[j]}`)
      }
    }
  })
})
