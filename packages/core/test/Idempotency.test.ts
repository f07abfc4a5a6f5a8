import { assert, describe, it } from "@effect/vitest"
import { DateTime } from "effect"
import { Idempotency } from "../src/index.ts"

const now = DateTime.makeUnsafe("2030-01-01T00:00:00Z")
const later = DateTime.makeUnsafe("2030-01-01T00:05:00Z")
const response = { status: 201, headers: {}, body: "{}" }

describe("Idempotency", () => {
  it("canonical JSON ignores key order and whitespace, at every depth", () => {
    assert.strictEqual(
      Idempotency.canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }),
      Idempotency.canonicalJson(JSON.parse('{ "a": { "c": null, "d": [1, { "e": 3, "f": 2 }] }, "b": 1 }'))
    )
    assert.notStrictEqual(Idempotency.canonicalJson({ a: [1, 2] }), Idempotency.canonicalJson({ a: [2, 1] }))
  })

  it("canonical JSON is the sorted JSON text, and any depth of nesting fingerprints without a crash", () => {
    assert.strictEqual(
      Idempotency.canonicalJson({ b: [1, "x", null, { z: true, y: [] }], a: {}, c: undefined }),
      '{"a":{},"b":[1,"x",null,{"y":[],"z":true}]}'
    )
    const depth = 200_000
    const deep = JSON.parse(`${"[".repeat(depth)}{"k":1}${"]".repeat(depth)}`)
    assert.strictEqual(Idempotency.canonicalJson(deep), `${"[".repeat(depth)}{"k":1}${"]".repeat(depth)}`)
  })

  it("another request under a used key is a mismatch, whatever its state", () => {
    assert.strictEqual(
      Idempotency.decide({ fingerprint: "a", response, leaseUntil: now }, "b", now)._tag,
      "Mismatch"
    )
    assert.strictEqual(
      Idempotency.decide({ fingerprint: "a", response: null, leaseUntil: later }, "b", now)._tag,
      "Mismatch"
    )
  })

  it("the same request replays a stored answer, waits for a live one, takes over a dead one", () => {
    assert.strictEqual(
      Idempotency.decide({ fingerprint: "a", response, leaseUntil: now }, "a", now)._tag,
      "Replay"
    )
    assert.strictEqual(
      Idempotency.decide({ fingerprint: "a", response: null, leaseUntil: later }, "a", now)._tag,
      "InProgress"
    )
    assert.strictEqual(
      Idempotency.decide({ fingerprint: "a", response: null, leaseUntil: now }, "a", later)._tag,
      "Claimed"
    )
  })

  it("stores 2xx and 4xx answers, never 5xx", () => {
    assert.isTrue(Idempotency.isStorable(201))
    assert.isTrue(Idempotency.isStorable(409))
    assert.isFalse(Idempotency.isStorable(500))
    assert.isFalse(Idempotency.isStorable(503))
  })
})
