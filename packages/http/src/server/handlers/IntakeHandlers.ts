/**
 * Intake routes: a unit's link (with its QR code) for its managers, and the public work request.
 *
 * @since 0.1.0
 */

import { Intake, type WorkRequest } from "@rota/core"
import { Effect, Layer } from "effect"
import { HttpServerRequest } from "effect/http"
import { Api } from "../../api/Api.ts"
import { ServerConfig, type Settings } from "../ServerConfig.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

/**
 * The form's address for a link token: under `ROTA_PUBLIC_URL` when set, else under the address
 * the request came to.
 *
 * @since 0.1.0
 * @category rendering
 */
export const formUrl = (base: string, token: string): string =>
  `${base.replace(/\/+$/, "")}/intake/${encodeURIComponent(token)}`

const baseOf = (settings: Settings) =>
  Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
    settings.publicUrl !== undefined
      ? settings.publicUrl
      : `http://${request.headers.host ?? `${settings.host}:${settings.port}`}`
  )

const view = (settings: Settings) => (link: WorkRequest.IntakeLink) =>
  Effect.gen(function* () {
    const url = formUrl(yield* baseOf(settings), link.token)
    // The QR encoder is loaded by the first link shown, not by every server at start-up.
    const qrSvg = yield* Effect.promise(() =>
      import("qrcode").then((QRCode) =>
        QRCode.default.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 })
      )
    )
    return { unitId: link.unitId, generation: link.generation, url, qrSvg }
  })

const unitIntakeHandlers = HandlerGroup.group(
  Api,
  "unitIntake",
  Effect.fn(function* (handlers) {
    const intake = yield* Intake.Intake
    const asView = view(yield* ServerConfig)
    return handlers
      .handle("link", ({ params }) => toProblems(intake.link(params.id)).pipe(Effect.flatMap(asView)))
      .handle("revoke", ({ params }) => toProblems(intake.revoke(params.id)).pipe(Effect.flatMap(asView)))
  })
)

const intakeHandlers = HandlerGroup.group(
  Api,
  "intake",
  Effect.fn(function* (handlers) {
    const intake = yield* Intake.Intake
    return handlers.handle("submit", ({ params, payload }) =>
      toProblems(intake.submit(params.token, payload))
    )
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(unitIntakeHandlers, intakeHandlers)
