import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Ids } from "../src/index.ts"

const isUuidV7 = Schema.is(Schema.String.pipe(Schema.check(Schema.isUUID(7))))

describe("Ids", () => {
  it("formats a UUIDv7 whose first 48 bits are the timestamp", () => {
    const id = Ids.formatUuidV7(0x0123456789ab, new Uint8Array(10).fill(0xff))
    assert.strictEqual(id, "01234567-89ab-7fff-bfff-ffffffffffff")
    assert.isTrue(isUuidV7(id))
  })

  it.effect("mints time-ordered ids from the Clock", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_700_000_000_000)
      const first = yield* Ids.nextId(Ids.OrgId)
      yield* TestClock.adjust("1 millis")
      const second = yield* Ids.nextId(Ids.OrgId)
      assert.isTrue(isUuidV7(first) && isUuidV7(second))
      assert.isTrue(first < second)
      assert.strictEqual(first.slice(0, 13), "018bcfe5-6800")
    }).pipe(Effect.provide(Ids.Ids.layer))
  )

  it.effect("ids minted in one millisecond still increase", () =>
    Effect.gen(function* () {
      const ids: Array<string> = []
      for (let i = 0; i < 5000; i++) ids.push(yield* Ids.nextId(Ids.OrgId))
      assert.isTrue(ids.every((id, i) => i === 0 || ids[i - 1]! < id))
      assert.isTrue(ids.every(isUuidV7))
    }).pipe(Effect.provide(Ids.Ids.layer))
  )

  it.effect("the test layer is deterministic and still ordered within one millisecond", () =>
    Effect.gen(function* () {
      const a = yield* Ids.nextId(Ids.AccountId)
      const b = yield* Ids.nextId(Ids.AccountId)
      assert.isTrue(a < b)
    }).pipe(Effect.provide(Ids.Ids.layerTest))
  )

  it("accepts request ids of safe characters only", () => {
    const isRequestId = Schema.is(Ids.RequestId)
    assert.isTrue(isRequestId("req-1:a.b_c"))
    assert.isFalse(isRequestId(""))
    assert.isFalse(isRequestId("a".repeat(129)))
    assert.isFalse(isRequestId("bad id\n"))
  })
})
