import { assert, describe, it } from "@effect/vitest"
import { Webhook } from "@rota/core"
import { DateTime, Duration, Schema } from "effect"

const policy: Webhook.RetryPolicy = {
  base: Duration.seconds(10),
  cap: Duration.seconds(60),
  maxAttempts: 5,
  disableAfter: 3
}

describe("Webhook rules", () => {
  it("a filter matches everything (*), one topic, or every topic of a kind", () => {
    assert.isTrue(Webhook.matches(["*"], "booking.approved"))
    assert.isTrue(Webhook.matches(["booking.approved"], "booking.approved"))
    assert.isTrue(Webhook.matches(["booking.*"], "booking.approved"))
    assert.isFalse(Webhook.matches(["booking.*"], "bookings.approved"))
    assert.isFalse(Webhook.matches(["booking.created"], "booking.approved"))
    assert.isFalse(Webhook.matches(["tag.*", "fine.created"], "booking.approved"))
  })

  it("the wait doubles from the base, is capped, and is jittered between half and all of it", () => {
    const millis = (attempts: number, random: number) =>
      Duration.toMillis(Webhook.retryDelay(policy, attempts, random))
    assert.deepStrictEqual(
      [1, 2, 3, 4, 5].map((attempts) => millis(attempts, 0.999999)),
      [10_000, 20_000, 40_000, 60_000, 60_000]
    )
    assert.deepStrictEqual(
      [1, 2, 3, 4].map((attempts) => millis(attempts, 0)),
      [5_000, 10_000, 20_000, 30_000]
    )
    assert.strictEqual(millis(2, 0.5), 15_000)
  })

  it("gives a delivery up after its last attempt, and an endpoint after its consecutive failures", () => {
    assert.isTrue(Webhook.retries(policy, 4))
    assert.isFalse(Webhook.retries(policy, 5))
    assert.isFalse(Webhook.disables(policy, 2))
    assert.isTrue(Webhook.disables(policy, 3))
    assert.isFalse(Webhook.disables({ ...policy, disableAfter: 0 }, 1_000))
    assert.strictEqual(Webhook.failureReason(3), "disabled after 3 consecutive failed deliveries")
  })

  it("the envelope has the documented fields in the documented order", () => {
    const body = Webhook.envelope({
      id: "e1",
      topic: "tag.created",
      createdAt: DateTime.makeUnsafe("2026-12-06T05:30:00.000Z"),
      orgId: "o1",
      data: { id: "t1", version: 1 }
    })
    assert.strictEqual(
      body,
      '{"id":"e1","type":"tag.created","createdAt":"2026-12-06T05:30:00.000Z","orgId":"o1","data":{"id":"t1","version":1}}'
    )
  })

  it("URLs and filters are checked by their schemas", () => {
    const url = Schema.is(Webhook.WebhookUrl)
    assert.isTrue(url("https://hooks.example.com/rota?key=1"))
    assert.isTrue(url("http://[2606:4700::1111]:8080/in"))
    for (const bad of [
      "ftp://example.com/",
      "https://user:pw@example.com/",
      "example.com/hook",
      "https://",
      ""
    ]) {
      assert.isFalse(url(bad), bad)
    }
    const filters = Schema.is(Webhook.TopicFilters)
    assert.isTrue(filters(["*", "booking.*", "fine.created"]))
    assert.isFalse(filters([]))
    assert.isFalse(filters(["Booking.created"]))
    assert.isFalse(filters(["*.created"]))
  })
})
