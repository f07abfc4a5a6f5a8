import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createResource, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
interface LinkView {
  readonly unitId: string
  readonly generation: number
  readonly url: string
  readonly qrSvg: string
}
interface Intervention {
  readonly id: string
  readonly unitId: string | null
  readonly status: string
  readonly kind: string
  readonly title: string
  readonly description: string | null
  readonly number: string
}

const as = (org: Org) => ({ token: org.token, orgId: org.orgId })
const codeOf = (answer: Answer) => body<{ readonly code: string }>(answer).code
const tokenOf = (link: LinkView) => decodeURIComponent(link.url.split("/intake/")[1]!)

const request = {
  description: "The tripod head is loose\nIt wobbles when panning.",
  name: "Sam Visitor",
  contact: "+33 6 12 34 56 78"
}

const unitWithLink = (owner: Org) =>
  Effect.gen(function* () {
    const resource = yield* createResource(owner)
    const unit = yield* createUnit(owner, resource.id)
    const answer = yield* call("GET", `/v1/units/${unit.id}/intake`, as(owner))
    assert.strictEqual(answer.status, 200, answer.text)
    return { unitId: unit.id, resourceId: resource.id, link: body<LinkView>(answer) }
  })

const submit = (token: string, payload: object = request) =>
  call("POST", `/v1/intake/${encodeURIComponent(token)}`, { body: payload })

// Each test's resource has one unit: its interventions are the unit's.
const interventionsOfUnit = (owner: Org, unit: { readonly resourceId: string }) =>
  Effect.map(call("GET", `/v1/interventions?resourceId=${unit.resourceId}`, as(owner)), (answer) => {
    assert.strictEqual(answer.status, 200, answer.text)
    return body<{ readonly items: ReadonlyArray<Intervention> }>(answer).items
  })

const form = (token: string, method: "GET" | "POST", fields?: Record<string, string>) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const response = yield* Effect.promise(() =>
      fetch(`${url}/intake/${encodeURIComponent(token)}`, {
        method,
        ...(fields === undefined
          ? {}
          : {
              headers: { "content-type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams(fields).toString()
            })
      })
    )
    return {
      status: response.status,
      headers: response.headers,
      text: yield* Effect.promise(() => response.text())
    }
  })

const logLines: Array<string> = []

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer, { accessLog: true }, { logLines }), {
      timeout: 120_000,
      excludeTestServices: true
    })("self-service intake", (it) => {
      it.effect(
        "a unit's link takes a request without login: a pending corrective intervention on the unit",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const unit = yield* unitWithLink(owner)
            const { unitId, link } = unit
            assert.strictEqual(link.generation, 0)
            assert.match(link.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/)
            assert.match(link.url, /^http:\/\/127\.0\.0\.1:\d+\/intake\//)

            const sent = yield* submit(tokenOf(link))
            assert.strictEqual(sent.status, 201, sent.text)
            const { reference } = body<{ readonly reference: string }>(sent)

            const [opened, ...others] = yield* interventionsOfUnit(owner, unit)
            assert.strictEqual(others.length, 0)
            assert.deepStrictEqual(
              [opened!.number, opened!.status, opened!.kind, opened!.unitId, opened!.title],
              [reference, "PENDING", "CORRECTIVE", unitId, "Work request: The tripod head is loose"]
            )
            assert.include(opened!.description ?? "", "Reported by Sam Visitor (+33 6 12 34 56 78)")
          })
      )

      it.effect("the QR code's page is a plain form; sent, it answers the reference", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const unit = yield* unitWithLink(owner)
          const { link } = unit
          const token = tokenOf(link)

          const page = yield* form(token, "GET")
          assert.strictEqual(page.status, 200)
          assert.match(page.headers.get("content-type") ?? "", /^text\/html/)
          assert.include(page.headers.get("content-security-policy") ?? "", "form-action 'self'")
          assert.include(page.text, '<form method="post">')

          const refused = yield* form(token, "POST", { description: "", name: "" })
          assert.strictEqual(refused.status, 400)
          assert.include(refused.text, '<form method="post">')

          const taken = yield* form(token, "POST", { ...request, website: "" })
          assert.strictEqual(taken.status, 201, taken.text)
          const [opened] = yield* interventionsOfUnit(owner, unit)
          assert.include(taken.text, `<strong>${opened!.number}</strong>`)
          // Markup typed into the form is shown as text, never run.
          const echoed = yield* form(token, "POST", { description: "<script>alert(1)</script>", name: "" })
          assert.notInclude(echoed.text, "<script>alert(1)</script>")
          assert.include(echoed.text, "&#60;script&#62;")
        })
      )

      it.effect("revoking ends every earlier link at once; the new one works", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const unit = yield* unitWithLink(owner)
          const { unitId, link } = unit
          const revoked = yield* call("POST", `/v1/units/${unitId}/intake/revoke`, as(owner))
          assert.strictEqual(revoked.status, 200, revoked.text)
          const next = body<LinkView>(revoked)
          assert.strictEqual(next.generation, 1)

          const old = yield* submit(tokenOf(link))
          assert.deepStrictEqual([old.status, codeOf(old)], [404, "not_found"])
          assert.strictEqual((yield* form(tokenOf(link), "GET")).status, 404)
          assert.strictEqual((yield* submit(tokenOf(next))).status, 201)
          assert.strictEqual((yield* interventionsOfUnit(owner, unit)).length, 1)
        })
      )

      it.effect("a filled honeypot is answered like a person and writes nothing", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const unit = yield* unitWithLink(owner)
          const { link } = unit
          const bot = yield* submit(tokenOf(link), { ...request, website: "http://spam.example" })
          assert.strictEqual(bot.status, 201, bot.text)
          assert.strictEqual((yield* interventionsOfUnit(owner, unit)).length, 0)
        })
      )

      it.effect("a unit takes 10 requests an hour; the 11th is 429", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const unit = yield* unitWithLink(owner)
          const { link } = unit
          const answers = yield* Effect.forEach(Array.from({ length: 11 }), () => submit(tokenOf(link)), {
            concurrency: 4
          })
          assert.deepStrictEqual(answers.map((answer) => answer.status).sort(), [
            ...Array.from({ length: 10 }, () => 201),
            429
          ])
          assert.strictEqual(codeOf(answers.find((answer) => answer.status === 429)!), "rate_limited")
          assert.strictEqual((yield* interventionsOfUnit(owner, unit)).length, 10)
        })
      )

      it.effect("links are the org's managers' to print; forged and other orgs' tokens open nothing", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const other = yield* registerOwner()
          const technician = yield* addMember(owner, "technician")
          const unit = yield* unitWithLink(owner)
          const { unitId, link } = unit

          assert.strictEqual((yield* call("GET", `/v1/units/${unitId}/intake`, as(other))).status, 404)
          assert.strictEqual((yield* call("GET", `/v1/units/${unitId}/intake`, as(technician))).status, 403)
          assert.strictEqual(
            (yield* call("POST", `/v1/units/${unitId}/intake/revoke`, as(technician))).status,
            403
          )

          const token = tokenOf(link)
          const forged = `${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`
          for (const bad of [forged, "not-a-token", owner.token]) {
            const answer = yield* submit(bad)
            assert.deepStrictEqual([answer.status, codeOf(answer)], [404, "not_found"], bad)
          }
          assert.strictEqual((yield* interventionsOfUnit(owner, unit)).length, 0)
        })
      )

      it.effect("the link's token never reaches the log", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const { link } = yield* unitWithLink(owner)
          const token = tokenOf(link)
          yield* submit(token)
          yield* form(token, "GET")
          yield* submit(`${token}x`)
          const log = logLines.join("\n")
          assert.notInclude(log, token)
          assert.include(log, "/v1/intake/[redacted]")
          assert.include(log, '"/intake/[redacted]')
        })
      )
    })
  })
}
