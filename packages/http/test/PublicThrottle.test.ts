/**
 * The public link routes (calendar feeds, intake) draw from a quota of their own, per client
 * address and per link token: calendar apps polling from one office address cannot lock its
 * people out of signing in, and a burst of sign-ins cannot stop the feeds.
 */
import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { type Answer, body, call } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

const request = { description: "The tripod head is loose", name: "Sam Visitor" }

// Behind a trusted proxy, so each request can come from the address its test says.
layer(
  TestServer.layer(Stores.stores()[0]!.layer, {
    rateLimitAuth: 3,
    rateLimitPublic: 3,
    trustedProxies: ["127.0.0.1/32", "::1/128"]
  }),
  { timeout: 120_000, excludeTestServices: true }
)("public link quotas", (it) => {
  const from = (address: string) => ({ "x-forwarded-for": address })
  const feed = (address: string, token: string) =>
    call("GET", `/v1/calendar/${token}.ics`, { headers: from(address) })
  const intake = (address: string, token: string) =>
    call("POST", `/v1/intake/${token}`, { body: request, headers: from(address) })
  const signIn = (address: string) =>
    call("POST", "/v1/auth/login", {
      body: { login: `nobody-${address}`, password: "Whatever-123" },
      headers: from(address)
    })
  const intakeForm = (address: string, token: string) =>
    Effect.gen(function* () {
      const { url } = yield* TestServer.TestServer
      const response = yield* Effect.promise(() =>
        fetch(`${url}/intake/${token}`, {
          method: "POST",
          headers: { ...from(address), "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(request).toString()
        })
      )
      return response.status
    })
  const intakePage = (address: string, token: string) =>
    Effect.gen(function* () {
      const { url } = yield* TestServer.TestServer
      const response = yield* Effect.promise(() =>
        fetch(`${url}/intake/${token}`, { headers: from(address) })
      )
      return response.status
    })
  const statuses = (answers: ReadonlyArray<Answer>) => answers.map((answer) => answer.status)
  const assertRefused = (answer: Answer) => {
    assert.strictEqual(answer.status, 429)
    assert.strictEqual(body<{ code: string }>(answer).code, "rate_limited")
    assert.isAbove(Number(answer.headers.get("retry-after")), 0)
    assert.strictEqual(answer.headers.get("ratelimit-limit"), "3")
    assert.strictEqual(answer.headers.get("ratelimit-remaining"), "0")
  }

  it.effect("feeds polled from one address spend their own quota: a sign-in from there still runs", () =>
    Effect.gen(function* () {
      const address = "203.0.113.10"
      const polls = yield* Effect.forEach(["a", "b", "c", "d"], (token) => feed(address, `office-${token}`))
      assert.deepStrictEqual(statuses(polls), [404, 404, 404, 429])
      assertRefused(polls[3]!)
      assert.strictEqual(polls[0]!.headers.get("ratelimit-remaining"), "2")
      assert.strictEqual((yield* signIn(address)).status, 401)
    })
  )

  it.effect("intake requests from one address spend their own quota: a sign-in from there still runs", () =>
    Effect.gen(function* () {
      const address = "203.0.113.20"
      const sent = yield* Effect.forEach(["a", "b", "c", "d"], (token) => intake(address, `form-${token}`))
      assert.deepStrictEqual(statuses(sent), [404, 404, 404, 429])
      assertRefused(sent[3]!)
      assert.strictEqual(yield* intakeForm(address, "form-e"), 429)
      assert.strictEqual((yield* signIn(address)).status, 401)
    })
  )

  it.effect("the intake page draws from the same quota as the intake route", () =>
    Effect.gen(function* () {
      const address = "203.0.113.25"
      const pages = yield* Effect.forEach(["a", "b", "c"], (token) => intakeForm(address, `page-${token}`))
      assert.deepStrictEqual(pages, [404, 404, 404])
      assertRefused(yield* intake(address, "page-d"))
    })
  )

  it.effect("the page a QR code opens answers whether a token is valid, so it draws from the quota too", () =>
    Effect.gen(function* () {
      const address = "203.0.113.27"
      const guesses = yield* Effect.forEach(["a", "b", "c", "d"], (token) =>
        intakePage(address, `guess-${token}`)
      )
      assert.deepStrictEqual(guesses, [404, 404, 404, 429])
      assertRefused(yield* intake(address, "guess-e"))
    })
  )

  it.effect("a burst of sign-ins from one address stops neither its feeds nor its intake form", () =>
    Effect.gen(function* () {
      const address = "203.0.113.30"
      const attempts = yield* Effect.forEach([1, 2, 3, 4], () => signIn(address))
      assert.deepStrictEqual(statuses(attempts), [401, 401, 401, 429])
      const feedAnswer = yield* feed(address, "after-burst")
      assert.strictEqual(feedAnswer.status, 404)
      assert.strictEqual(feedAnswer.headers.get("ratelimit-remaining"), "2")
      assert.strictEqual((yield* intake(address, "after-burst")).status, 404)
      assert.strictEqual(yield* intakeForm(address, "after-burst-page"), 404)
    })
  )

  it.effect("one feed fetched from many addresses is refused past its own limit, other feeds are not", () =>
    Effect.gen(function* () {
      const answers = yield* Effect.forEach([1, 2, 3, 4], (index) =>
        feed(`203.0.113.${40 + index}`, "leaked")
      )
      assert.deepStrictEqual(statuses(answers), [404, 404, 404, 429])
      assertRefused(answers[3]!)
      assert.strictEqual((yield* feed("203.0.113.45", "another")).status, 404)
    })
  )
})
