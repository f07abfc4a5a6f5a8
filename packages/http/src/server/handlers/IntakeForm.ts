/**
 * The page a unit's QR code opens: `GET /intake/{token}` shows a plain HTML form (no script, no
 * login), `POST /intake/{token}` takes it form-encoded and answers a page with the request's
 * reference. It calls the same use case as `POST /v1/intake/{token}`, within the same quota (per
 * client address and per link). A platform route, like `/docs`, outside the API definition.
 *
 * @since 0.1.0
 */
import { Intake, WorkRequest } from "@rota/core"
import { Effect, Layer, Result, Schema } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import * as ClientAddress from "../edge/ClientAddress.ts"
import { RateLimits } from "../edge/RateLimits.ts"
import * as SecretPaths from "../edge/SecretPaths.ts"
import { TrustedProxies } from "../edge/ThrottleLive.ts"

const prefix = SecretPaths.intakeForm

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const page = (status: number, title: string, body: string) =>
  HttpServerResponse.text(
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>` +
      `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}` +
      `label{display:block;margin-top:1rem}input,textarea{width:100%;font:inherit;padding:.4rem}` +
      `textarea{min-height:8rem}button{margin-top:1rem;font:inherit;padding:.5rem 1rem}.hp{position:absolute;left:-10000px}` +
      `.error{color:#a00}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    { status, contentType: "text/html; charset=utf-8" }
  )

interface Filled {
  readonly description?: string
  readonly name?: string
  readonly contact?: string
}

const form = (unitLabel: string, filled: Filled, errors: ReadonlyArray<string>) =>
  page(
    errors.length > 0 ? 400 : 200,
    `Report a problem with ${unitLabel}`,
    `${errors.map((error) => `<p class="error">${escapeHtml(error)}</p>`).join("")}` +
      `<form method="post">` +
      `<label>What is wrong?<textarea name="description" required minlength="3" maxlength="2000">${escapeHtml(filled.description ?? "")}</textarea></label>` +
      `<label>Your name<input name="name" required maxlength="120" value="${escapeHtml(filled.name ?? "")}"></label>` +
      `<label>Phone or email (optional)<input name="contact" maxlength="200" value="${escapeHtml(filled.contact ?? "")}"></label>` +
      `<label class="hp" aria-hidden="true">Website<input name="website" tabindex="-1" autocomplete="off"></label>` +
      `<button type="submit">Send</button></form>`
  )

const gone = page(404, "This link no longer works", "<p>Ask the equipment's owner for a new one.</p>")

const decodeRequest = Schema.decodeUnknownResult(WorkRequest.WorkRequest)

const fieldsOf = (body: string): Record<string, string> => {
  const params = new URLSearchParams(body)
  const fields: Record<string, string> = {}
  for (const name of ["description", "name", "contact", "website"]) {
    const value = params.get(name)
    if (value !== null && (name === "description" || name === "name" || value.trim().length > 0))
      fields[name] = value
  }
  return fields
}

/**
 * @since 0.1.0
 * @category routes
 */
export const layer = HttpRouter.use(
  Effect.fnUntraced(function* (router) {
    const intake = yield* Intake.Intake
    const limits = yield* RateLimits
    const trusted = yield* TrustedProxies
    const tokenOf = Effect.map(HttpRouter.params, (params) => params.token ?? "")
    // Both the page and the form draw from the public links' quota: the page answers whether a
    // token opens something, so an unlimited one would let tokens be guessed.
    const refused = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const ip = ClientAddress.limitKey(ClientAddress.fromRequest(request, trusted) ?? "unknown")
      return Result.isFailure(yield* Effect.result(limits.publicLink({ ip, token: yield* tokenOf })))
    })
    const tooMany = page(429, "Too many requests", "<p>Please try again in a minute.</p>")

    yield* router.add(
      "GET",
      `${prefix}:token`,
      Effect.gen(function* () {
        if (yield* refused) return tooMany
        const opened = yield* Effect.result(intake.open(yield* tokenOf))
        return Result.isSuccess(opened) ? form(opened.success.unitLabel, {}, []) : gone
      })
    )

    yield* router.add(
      "POST",
      `${prefix}:token`,
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const token = yield* tokenOf
        if (yield* refused) return tooMany
        const opened = yield* Effect.result(intake.open(token))
        if (Result.isFailure(opened)) return gone
        const fields = fieldsOf(yield* Effect.orElseSucceed(request.text, () => ""))
        const decoded = decodeRequest(fields)
        if (Result.isFailure(decoded))
          return form(opened.success.unitLabel, fields, [
            "Please describe the problem (3 to 2,000 characters) and give your name."
          ])
        const sent = yield* Effect.result(intake.submit(token, decoded.success))
        if (Result.isSuccess(sent))
          return page(
            201,
            "Thank you",
            `<p>Your request was received. Its reference is <strong>${escapeHtml(sent.success.reference)}</strong>.</p>`
          )
        switch (sent.failure._tag) {
          case "IntakeBusy":
            return page(
              429,
              "Too many requests",
              "<p>This unit has had many reports lately; try again later.</p>"
            )
          case "NotFound":
            return gone
          case "ValidationFailed":
            return form(opened.success.unitLabel, fields, ["The request could not be taken as written."])
        }
      })
    )
  })
).pipe(Layer.provide(Layer.mergeAll(RateLimits.layer, TrustedProxies.layer)))
