/**
 * Outgoing webhooks end to end: a real receiver gets each matching event once, signed so the
 * documented snippet verifies it; failures are retried with backoff, repeated failures disable
 * the endpoint, a delivery can be sent again, secrets rotate and never rest in clear, another
 * org sees nothing, and the SSRF guard refuses what it must (at registration and at sending).
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { WebhookTransport } from "@rota/core"
import { Duration, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import * as WebhookAddress from "../src/server/adapters/WebhookAddress.ts"
import * as WebhookSender from "../src/server/adapters/WebhookSender.ts"
import { ServerConfig } from "../src/server/ServerConfig.ts"
import { TestServer } from "../src/testing.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createTag } from "./fixtures/Inventory.ts"
import { documentedVerifier, type Receiver, receiver } from "./fixtures/Receiver.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

interface WebhookView {
  readonly id: string
  readonly url: string
  readonly topics: ReadonlyArray<string>
  readonly enabled: boolean
  readonly disabledReason: string | null
  readonly consecutiveFailures: number
  readonly version: number
}

interface DeliveryView {
  readonly id: string
  readonly eventId: string
  readonly topic: string
  readonly status: "pending" | "delivered" | "failed"
  readonly attempts: number
  readonly responseStatus: number | null
  readonly lastError: string | null
  readonly nextAttemptAt: string | null
  readonly createdAt: string
}

const register = (org: Org, fields: { url: string; topics: ReadonlyArray<string> }) =>
  Effect.gen(function* () {
    const answer = yield* call("POST", "/v1/webhooks", { token: org.token, orgId: org.orgId, body: fields })
    assert.strictEqual(answer.status, 201, answer.text)
    return body<{ webhook: WebhookView; secret: string }>(answer)
  })

const deliveriesOf = (org: Org, id: string) =>
  Effect.map(
    call("GET", `/v1/webhooks/${id}/deliveries`, { token: org.token, orgId: org.orgId }),
    (answer) => {
      assert.strictEqual(answer.status, 200, answer.text)
      return body<{ items: Array<DeliveryView> }>(answer).items
    }
  )

const webhookOf = (org: Org, id: string) =>
  Effect.map(call("GET", `/v1/webhooks/${id}`, { token: org.token, orgId: org.orgId }), (answer) =>
    body<WebhookView>(answer)
  )

const deliver = Effect.flatMap(TestServer.TestServer, (server) => server.deliverWebhooks)

const header = (received: Receiver["received"][number], name: string) => {
  const value = received.headers[name]
  return Array.isArray(value) ? value[0] : value
}

// Retries come quickly here: 400 ms doubling to 800 ms at most (each wait 50-100% of that).
const fast = {
  webhookAllowPrivate: true,
  webhookRetryBaseMillis: 400,
  webhookRetryMaxMillis: 800,
  webhookMaxAttempts: 4,
  webhookDisableAfter: 3
}

const logLines: Array<string> = []

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer, fast, { logLines }), { timeout: 120_000, excludeTestServices: true })(
      "webhooks",
      (it) => {
        it.effect("a real receiver gets each matching event once, signed as documented", () =>
          Effect.scoped(
            Effect.gen(function* () {
              const verify = yield* documentedVerifier
              const target = yield* receiver
              const owner = yield* registerOwner("hooks")
              const { webhook, secret } = yield* register(owner, {
                url: `${target.url}/in`,
                topics: ["tag.*"]
              })
              assert.match(secret, /^whsec_[\w-]{43}$/)
              assert.isTrue(webhook.enabled)
              assert.isNull(webhook.disabledReason)
              const listed = yield* call("GET", "/v1/webhooks", { token: owner.token, orgId: owner.orgId })
              assert.deepStrictEqual(
                body<{ items: Array<WebhookView> }>(listed).items.map((item) => item.id),
                [webhook.id]
              )
              assert.notInclude(listed.text, secret)

              const tag = yield* createTag(owner)
              const run = yield* deliver
              assert.isAtLeast(run.delivered, 1)
              assert.strictEqual(target.received.length, 1)
              const [request] = target.received
              const event = JSON.parse(request!.body) as Record<string, unknown>
              assert.deepStrictEqual(Object.keys(event), ["id", "type", "createdAt", "orgId", "data"])
              assert.strictEqual(event.type, "tag.created")
              assert.strictEqual(event.orgId, owner.orgId)
              assert.deepStrictEqual(event.data, { id: tag.id, version: 1 })
              assert.strictEqual(header(request!, "rota-event-id"), event.id)
              assert.strictEqual(header(request!, "content-type"), "application/json")
              const signature = header(request!, "rota-signature")
              assert.match(signature ?? "", /^t=\d+,v1=[0-9a-f]{64}$/)
              assert.isTrue(verify(request!.body, signature, secret), "the documented snippet verifies it")
              assert.isFalse(verify(request!.body, signature, `${secret}x`), "another secret does not")
              assert.isFalse(verify(`${request!.body} `, signature, secret), "another body does not")
              assert.isFalse(
                verify(request!.body, signature, secret, 300, Date.now() + 301_000),
                "outside the 5 minute window it does not"
              )

              // Exactly once: a second run finds nothing to send.
              yield* deliver
              assert.strictEqual(target.received.length, 1)
              const [delivery] = yield* deliveriesOf(owner, webhook.id)
              assert.strictEqual(delivery!.status, "delivered")
              assert.strictEqual(delivery!.attempts, 1)
              assert.strictEqual(delivery!.responseStatus, 200)
              assert.strictEqual(delivery!.eventId, event.id)
              assert.isNull(delivery!.nextAttemptAt)
            })
          )
        )

        it.effect("an event no filter matches is not sent", () =>
          Effect.scoped(
            Effect.gen(function* () {
              const target = yield* receiver
              const owner = yield* registerOwner("filters")
              const { webhook } = yield* register(owner, { url: target.url, topics: ["booking.*"] })
              const exact = yield* register(owner, { url: `${target.url}/exact`, topics: ["tag.updated"] })
              yield* createTag(owner)
              yield* deliver
              assert.strictEqual(target.received.length, 0)
              assert.deepStrictEqual(yield* deliveriesOf(owner, webhook.id), [])
              assert.deepStrictEqual(yield* deliveriesOf(owner, exact.webhook.id), [])
            })
          )
        )

        it.effect("a failed attempt is retried after a jittered backoff, then delivered", () =>
          Effect.scoped(
            Effect.gen(function* () {
              const verify = yield* documentedVerifier
              const target = yield* receiver
              target.answers.push(500)
              const owner = yield* registerOwner("retry")
              const { webhook, secret } = yield* register(owner, { url: target.url, topics: ["tag.created"] })
              yield* createTag(owner)
              yield* deliver
              assert.strictEqual(target.received.length, 1)
              const [failed] = yield* deliveriesOf(owner, webhook.id)
              assert.strictEqual(failed!.status, "pending")
              assert.strictEqual(failed!.attempts, 1)
              assert.strictEqual(failed!.responseStatus, 500)
              assert.strictEqual(failed!.lastError, "answered 500")
              // The first wait is 50-100% of the 400 ms base, counted from the attempt.
              const wait = Date.parse(failed!.nextAttemptAt!) - target.received[0]!.at
              assert.isAtLeast(wait, 150)
              assert.isAtMost(wait, 1_000)
              assert.strictEqual((yield* webhookOf(owner, webhook.id)).consecutiveFailures, 1)

              yield* Effect.sleep(Duration.millis(900))
              yield* deliver
              assert.strictEqual(target.received.length, 2)
              const [first, second] = target.received
              assert.strictEqual(header(second!, "rota-event-id"), header(first!, "rota-event-id"))
              assert.strictEqual(second!.body, first!.body)
              assert.isTrue(verify(second!.body, header(second!, "rota-signature"), secret))
              const [delivered] = yield* deliveriesOf(owner, webhook.id)
              assert.strictEqual(delivered!.status, "delivered")
              assert.strictEqual(delivered!.attempts, 2)
              assert.strictEqual(delivered!.responseStatus, 200)
              assert.strictEqual((yield* webhookOf(owner, webhook.id)).consecutiveFailures, 0)
            })
          )
        )

        it.effect("after 3 consecutive failures the endpoint is disabled; enabling it resumes delivery", () =>
          Effect.scoped(
            Effect.gen(function* () {
              const target = yield* receiver
              target.fallback = 503
              const owner = yield* registerOwner("disable")
              const { webhook } = yield* register(owner, { url: target.url, topics: ["tag.*"] })
              yield* createTag(owner)
              for (let attempt = 1; attempt <= 3; attempt++) {
                yield* deliver
                assert.strictEqual(target.received.length, attempt)
                if (attempt < 3) yield* Effect.sleep(Duration.millis(850))
              }
              const disabled = yield* webhookOf(owner, webhook.id)
              assert.isFalse(disabled.enabled)
              assert.strictEqual(disabled.disabledReason, "disabled after 3 consecutive failed deliveries")
              const [waiting] = yield* deliveriesOf(owner, webhook.id)
              assert.strictEqual(waiting!.status, "pending")
              assert.strictEqual(waiting!.attempts, 3)

              // Disabled: nothing is attempted, however long it waits.
              yield* Effect.sleep(Duration.millis(850))
              yield* deliver
              assert.strictEqual(target.received.length, 3)

              target.fallback = 200
              const enabled = yield* call("PATCH", `/v1/webhooks/${webhook.id}`, {
                token: owner.token,
                orgId: owner.orgId,
                body: { enabled: true }
              })
              assert.strictEqual(enabled.status, 200, enabled.text)
              assert.isNull(body<WebhookView>(enabled).disabledReason)
              assert.strictEqual(body<WebhookView>(enabled).consecutiveFailures, 0)
              yield* deliver
              assert.strictEqual(target.received.length, 4)
              const [delivered] = yield* deliveriesOf(owner, webhook.id)
              assert.strictEqual(delivered!.status, "delivered")
              assert.strictEqual(delivered!.attempts, 4)
            })
          )
        )

        it.effect("a delivery is sent again on request: same event, fresh signature", () =>
          Effect.scoped(
            Effect.gen(function* () {
              const verify = yield* documentedVerifier
              const target = yield* receiver
              const owner = yield* registerOwner("redeliver")
              const { webhook, secret } = yield* register(owner, { url: target.url, topics: ["*"] })
              yield* createTag(owner)
              yield* deliver
              const deliveries = yield* deliveriesOf(owner, webhook.id)
              const tagDelivery = deliveries.find((delivery) => delivery.topic === "tag.created")!
              assert.strictEqual(tagDelivery.status, "delivered")
              const sent = target.received.length

              const again = yield* call(
                "POST",
                `/v1/webhooks/${webhook.id}/deliveries/${tagDelivery.id}/redeliver`,
                { token: owner.token, orgId: owner.orgId }
              )
              assert.strictEqual(again.status, 202, again.text)
              assert.strictEqual(body<DeliveryView>(again).status, "pending")
              yield* deliver
              assert.strictEqual(target.received.length, sent + 1)
              const resent = target.received.at(-1)!
              assert.strictEqual(header(resent, "rota-event-id"), tagDelivery.eventId)
              assert.isTrue(verify(resent.body, header(resent, "rota-signature"), secret))
              const after = (yield* deliveriesOf(owner, webhook.id)).find((d) => d.id === tagDelivery.id)!
              assert.strictEqual(after.status, "delivered")
              assert.strictEqual(after.attempts, 2)

              const unknown = yield* call(
                "POST",
                `/v1/webhooks/${webhook.id}/deliveries/018f0000-0000-7000-8000-0000000fffff/redeliver`,
                { token: owner.token, orgId: owner.orgId }
              )
              assert.strictEqual(unknown.status, 404)
            })
          )
        )

        it.effect("a rotated secret signs from then on; no secret rests in clear or reaches the log", () =>
          Effect.scoped(
            Effect.gen(function* () {
              const verify = yield* documentedVerifier
              const target = yield* receiver
              const owner = yield* registerOwner("rotate")
              const { webhook, secret: first } = yield* register(owner, {
                url: target.url,
                topics: ["tag.*"]
              })
              const rotated = yield* call("POST", `/v1/webhooks/${webhook.id}/rotate-secret`, {
                token: owner.token,
                orgId: owner.orgId
              })
              assert.strictEqual(rotated.status, 200, rotated.text)
              const second = body<{ secret: string }>(rotated).secret
              assert.notStrictEqual(second, first)
              yield* createTag(owner)
              yield* deliver
              const [request] = target.received
              assert.isTrue(verify(request!.body, header(request!, "rota-signature"), second))
              assert.isFalse(verify(request!.body, header(request!, "rota-signature"), first))

              const sql = yield* SqlClient.SqlClient
              const columns = yield* sql<{ table_name: string; column_name: string }>`
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb', 'json', 'ARRAY')`
              const holding: Array<string> = []
              for (const { table_name, column_name } of columns) {
                const rows = yield* sql<{ value: string | null }>`
                  SELECT ${sql(column_name)}::text AS value FROM ${sql(table_name)}`
                for (const { value } of rows) {
                  if (value !== null && (value.includes(first) || value.includes(second)))
                    holding.push(`${table_name}.${column_name}`)
                }
              }
              assert.deepStrictEqual(holding, [])
              const log = logLines.join("\n")
              assert.include(log, "webhook attempt failed", "the server's log is the one captured")
              assert.isFalse(log.includes(first) || log.includes(second), "the log holds a secret")
              assert.notInclude(log, "whsec_")
            }).pipe(Effect.orDie)
          )
        )

        it.effect("another org cannot see or change an org's webhooks; lower roles are refused", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("victim")
            const other = yield* registerOwner("other")
            const { webhook } = yield* register(owner, { url: "http://127.0.0.1:9/", topics: ["booking.*"] })
            const as = { token: other.token, orgId: other.orgId }
            const attempts = [
              yield* call("GET", `/v1/webhooks/${webhook.id}`, as),
              yield* call("PATCH", `/v1/webhooks/${webhook.id}`, { ...as, body: { enabled: false } }),
              yield* call("POST", `/v1/webhooks/${webhook.id}/rotate-secret`, as),
              yield* call("GET", `/v1/webhooks/${webhook.id}/deliveries`, as),
              yield* call("DELETE", `/v1/webhooks/${webhook.id}`, as)
            ]
            assert.deepStrictEqual(
              attempts.map((answer) => answer.status),
              [404, 404, 404, 404, 404]
            )
            const theirs = yield* call("GET", "/v1/webhooks", as)
            assert.deepStrictEqual(body<{ items: Array<unknown> }>(theirs).items, [])
            const still = yield* webhookOf(owner, webhook.id)
            assert.strictEqual(still.version, webhook.version)
            assert.isTrue(still.enabled)

            const manager = yield* addMember(owner, "manager")
            const refused = yield* call("GET", "/v1/webhooks", { token: manager.token, orgId: owner.orgId })
            assert.strictEqual(refused.status, 403)
            const admin = yield* addMember(owner, "admin")
            const allowed = yield* call("GET", "/v1/webhooks", { token: admin.token, orgId: owner.orgId })
            assert.strictEqual(allowed.status, 200)

            const removed = yield* call("DELETE", `/v1/webhooks/${webhook.id}`, {
              token: owner.token,
              orgId: owner.orgId
            })
            assert.strictEqual(removed.status, 204)
            const gone = yield* call("GET", `/v1/webhooks/${webhook.id}`, {
              token: owner.token,
              orgId: owner.orgId
            })
            assert.strictEqual(gone.status, 404)
          })
        )
      }
    )
  })
}

describe("the SSRF guard at registration (private addresses not allowed)", () => {
  layer(TestServer.layer(Stores.stores()[0]!.layer), { timeout: 120_000, excludeTestServices: true })(
    "",
    (it) => {
      it.effect("refuses loopback, private, metadata and non-http URLs, in any spelling", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner("ssrf")
          const refused = [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://0x7f.1/",
            "http://2130706433/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://10.1.2.3/",
            "http://192.168.0.10/",
            "http://[fe80::1]/",
            "http://224.0.0.1/",
            "http://0.0.0.0/",
            "ftp://example.com/",
            "file:///etc/passwd",
            "http://user:pass@example.com/"
          ]
          const answers: Array<string> = []
          for (const url of refused) {
            const answer = yield* call("POST", "/v1/webhooks", {
              token: owner.token,
              orgId: owner.orgId,
              body: { url, topics: ["*"] }
            })
            if (answer.status !== 400 || !answer.text.includes("validation_failed"))
              answers.push(`${url}: ${answer.status} ${answer.text.slice(0, 200)}`)
          }
          assert.deepStrictEqual(answers, [])
          const listed = yield* call("GET", "/v1/webhooks", { token: owner.token, orgId: owner.orgId })
          assert.deepStrictEqual(body<{ items: Array<unknown> }>(listed).items, [])

          // A public address is accepted; moving the endpoint to a private one is refused.
          const { webhook } = yield* register(owner, { url: "https://93.184.215.14/hook", topics: ["*"] })
          const moved = yield* call("PATCH", `/v1/webhooks/${webhook.id}`, {
            token: owner.token,
            orgId: owner.orgId,
            body: { url: "http://[::ffff:169.254.169.254]/" }
          })
          assert.strictEqual(moved.status, 400, moved.text)
          assert.strictEqual((yield* webhookOf(owner, webhook.id)).url, "https://93.184.215.14/hook")
        })
      )
    }
  )
})

describe("address rules", () => {
  it("refuses private, loopback, link-local, multicast, reserved and embedded-IPv4 addresses", () => {
    const refused = [
      "127.0.0.1",
      "127.255.255.254",
      "10.0.0.1",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.100.100.200",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "0:0:0:0:0:ffff:7f00:1",
      "::ffff:10.0.0.1",
      "::127.0.0.1",
      "64:ff9b::7f00:1",
      "2002:7f00:1::",
      "fc00::1",
      "fd00:ec2::254",
      "fe80::1",
      "fe80::1%eth0",
      "ff02::1",
      "2001:db8::1",
      "not an address"
    ]
    assert.deepStrictEqual(
      refused.filter((address) => !WebhookAddress.isRefused(address)),
      []
    )
    const allowed = ["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]
    assert.deepStrictEqual(
      allowed.filter((address) => WebhookAddress.isRefused(address)),
      []
    )
  })

  it("reads hosts as the URL parser does, so odd spellings of loopback are refused before any lookup", () => {
    for (const url of [
      "http://0x7f.1/",
      "http://2130706433/",
      "http://0177.0.0.1/",
      "http://[::ffff:127.0.0.1]/"
    ]) {
      assert.match(WebhookAddress.refusalOf(url, false) ?? "", /is not public/, url)
      assert.isUndefined(WebhookAddress.refusalOf(url, true), url)
    }
    assert.strictEqual(
      WebhookAddress.refusalOf("gopher://example.com/", true),
      "only http and https URLs are called"
    )
    assert.isUndefined(WebhookAddress.refusalOf("https://example.com/hook", false))
  })

  it.effect("checks what a name resolves to: localhost is 127.0.0.1", () =>
    Effect.gen(function* () {
      const refusal = yield* Effect.flip(WebhookAddress.check("http://localhost:8080/", false))
      assert.match(refusal, /^host localhost resolves to (127\.0\.0\.1|::1), which is not public$/)
      yield* WebhookAddress.check("http://localhost:8080/", true)
      const unknown = yield* Effect.flip(WebhookAddress.check("http://no-such-host.invalid/", false))
      assert.match(unknown, /does not resolve/)
    })
  )
})

describe("the sender", () => {
  const senderWith = (overrides: Partial<typeof fast & { webhookTimeoutSeconds: number }>) =>
    Effect.service(WebhookTransport.WebhookSender).pipe(
      Effect.provide(
        WebhookSender.layer.pipe(
          Layer.provide(
            ServerConfig.layer({ ...TestServer.settings(), webhookAllowPrivate: false, ...overrides })
          )
        )
      )
    )
  const secret = Redacted.make("whsec_test")

  it.effect("refuses at connection time a host that resolves to a private address", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const target = yield* receiver
        const sender = yield* senderWith({})
        const failure = yield* Effect.flip(
          sender.send({ url: `http://localhost:${target.port}/`, eventId: "e", body: "{}", secret })
        )
        assert.match(failure.reason, /resolves to .* which is not public/)
        assert.strictEqual(target.received.length, 0)
        const literal = yield* Effect.flip(
          sender.send({ url: `http://0x7f.1:${target.port}/`, eventId: "e", body: "{}", secret })
        )
        assert.match(literal.reason, /127\.0\.0\.1 is not public/)
        assert.strictEqual(target.received.length, 0)
      })
    )
  )

  it.effect("does not follow redirects, and gives up on a receiver that does not answer in time", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const target = yield* receiver
        const sender = yield* senderWith({ webhookAllowPrivate: true, webhookTimeoutSeconds: 1 })
        target.answers.push(302)
        const redirected = yield* Effect.flip(
          sender.send({ url: target.url, eventId: "e", body: "{}", secret })
        )
        assert.strictEqual(redirected.reason, "redirect (302) not followed")
        assert.strictEqual(redirected.responseStatus, 302)
        assert.strictEqual(target.received.length, 1)

        target.delay = Number.POSITIVE_INFINITY
        const started = Date.now()
        const silent = yield* Effect.flip(sender.send({ url: target.url, eventId: "e", body: "{}", secret }))
        assert.strictEqual(silent.reason, "no answer within 1 s")
        assert.isBelow(Date.now() - started, 5_000)
      })
    )
  )
})
