import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { Ids, Membership } from "../../src/index.ts"

const holder = Ids.AccountId.make("01900000-0000-7000-8000-000000000001")
const staff = Ids.AccountId.make("01900000-0000-7000-8000-000000000002")

const allowed = (actor: Ids.AccountId, changes: Parameters<typeof Membership.checkProfileChange>[2]) =>
  Exit.isSuccess(Effect.runSyncExit(Membership.checkProfileChange(actor, holder, changes)))

describe("Membership", () => {
  it("staff cannot change an account's profile fields", () => {
    assert.isFalse(allowed(staff, { fullName: "Renamed" }))
    assert.isFalse(allowed(staff, { phone: "+1 555 0100" }))
    assert.isFalse(allowed(staff, { phone: null }))
  })

  it("staff change what the org keeps, and the holder changes their own profile", () => {
    assert.isTrue(allowed(staff, {}))
    assert.isTrue(allowed(holder, { fullName: "Own Choice", phone: null }))
  })
})
