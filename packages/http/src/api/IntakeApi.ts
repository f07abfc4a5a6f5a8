/**
 * Self-service intake: a unit's public link and QR code (`/v1/units/{id}/intake`, for whoever
 * manages inventory), and the no-login work request the link's form sends
 * (`POST /v1/intake/{token}`).
 *
 * @since 0.1.0
 */
import { ResourceUnit, WorkRequest } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, PublicThrottle, Requires, Tenant } from "./Security.ts"

/**
 * A unit's intake link as its managers see it: the form's address, the same as an SVG QR code
 * to print, and its generation (revoking moves it on).
 *
 * @since 0.1.0
 * @category schemas
 */
export const IntakeLinkView = Schema.Struct({
  unitId: ResourceUnit.UnitId,
  generation: Schema.Int,
  url: Schema.String,
  qrSvg: Schema.String
})

const Token = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 2048)))

/**
 * @since 0.1.0
 * @category groups
 */
export class UnitIntakeApi extends HttpApiGroup.make("unitIntake")
  .add(
    HttpApiEndpoint.get("link", "/v1/units/:id/intake", {
      params: { id: ResourceUnit.UnitId },
      success: IntakeLinkView,
      error: Problems.NotFound
    })
      .annotate(Requires, "inventory.write")
      .annotate(OpenApi.Summary, "Get a unit's intake link")
      .annotate(
        OpenApi.Description,
        "The public address of the unit's work request form, and an SVG QR code of it to stick on " +
          "the unit. Anyone with the link can report a problem without an account."
      ),
    HttpApiEndpoint.post("revoke", "/v1/units/:id/intake/revoke", {
      params: { id: ResourceUnit.UnitId },
      success: IntakeLinkView,
      error: Problems.NotFound
    })
      .annotate(Requires, "inventory.write")
      .annotate(OpenApi.Summary, "Revoke a unit's intake link")
      .annotate(
        OpenApi.Description,
        "Ends every earlier link of the unit (its printed QR codes stop working at once) and answers the new one."
      )
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(OpenApi.annotations({ title: "Intake links" })) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class IntakeApi extends HttpApiGroup.make("intake")
  .add(
    HttpApiEndpoint.post("submit", "/v1/intake/:token", {
      params: { token: Token },
      payload: WorkRequest.WorkRequest,
      success: WorkRequest.WorkRequestReceipt.pipe(HttpApiSchema.status(201)),
      error: [Problems.NotFound, Problems.RateLimited]
    })
      .annotate(Requires, "public")
      .annotate(OpenApi.Summary, "Send a work request")
      .annotate(
        OpenApi.Description,
        "No login: the token of a unit's intake link opens a pending corrective intervention on the " +
          "unit for triage, and answers its reference. Limited per client address, per link and per " +
          "unit (10 an hour); `website` must stay empty."
      )
  )
  .middleware(InputGuard)
  .middleware(PublicThrottle)
  .annotateMerge(OpenApi.annotations({ title: "Intake" })) {}
