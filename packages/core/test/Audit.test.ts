import { assert, describe, it } from "@effect/vitest"
import { Audit } from "../src/index.ts"

describe("Audit", () => {
  it("redacts secrets at any depth and keeps everything else", () => {
    assert.deepStrictEqual(
      Audit.redact({
        name: "cat",
        passwordHash: "$argon2id$...",
        profile: { apiKey: "k", phone: "555", tokens: ["t"] },
        items: [{ refreshToken: "r", unitId: "u1" }]
      }),
      { name: "cat", profile: { phone: "555" }, items: [{ unitId: "u1" }] }
    )
  })

  it("renders dates as ISO strings", () => {
    assert.deepStrictEqual(Audit.redact({ at: new Date("2030-01-01T00:00:00Z") }), {
      at: "2030-01-01T00:00:00.000Z"
    })
  })
})
