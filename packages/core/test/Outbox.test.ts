import { assert, describe, it } from "@effect/vitest"
import { Outbox } from "@rota/core"

describe("Outbox", () => {
  it("the log transport redacts every value whose key names a secret, at any depth", () => {
    const payload = {
      resetId: "01a2493c-a0c0-7001-9fdd-417654460961",
      token: "eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl",
      link: { invitationToken: "abc", items: [{ password: "hunter2", refreshToken: "r" }] },
      title: "Stage build"
    }
    assert.deepStrictEqual(Outbox.redact(payload), {
      resetId: "01a2493c-a0c0-7001-9fdd-417654460961",
      token: "[redacted]",
      link: {
        invitationToken: "[redacted]",
        items: [{ password: "[redacted]", refreshToken: "[redacted]" }]
      },
      title: "Stage build"
    })
  })
})
