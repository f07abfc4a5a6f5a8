/**
 * Paths that carry a secret: a calendar feed's URL and a unit's intake link are their tokens.
 * Logs show them redacted and traces leave them out, so reading the logs or the traces never
 * gives anyone the feed or the form.
 *
 * @since 0.1.0
 */
import type { HttpServerRequest } from "effect/http"

/**
 * The intake form a unit's QR code opens.
 *
 * @since 0.1.0
 * @category constants
 */
export const intakeForm = "/intake/"

const calendar = /^\/v1\/calendar\/[^/?#]+/
const intake = /^(\/v1)?\/intake\/[^/?#]+/

/**
 * Whether the URL's path is a secret.
 *
 * @since 0.1.0
 * @category rules
 */
export const isSecret = (url: string): boolean => calendar.test(url) || intake.test(url)

/**
 * The URL as logs may show it.
 *
 * @since 0.1.0
 * @category rules
 */
export const redact = (url: string): string =>
  url
    .replace(calendar, "/v1/calendar/[redacted]")
    .replace(intake, (_, v1: string | undefined) => `${v1 ?? ""}/intake/[redacted]`)

/**
 * For `HttpMiddleware.TracerDisabledWhen`: no span, so no `url.path` attribute, for these.
 *
 * @since 0.1.0
 * @category rules
 */
export const untraced = (request: HttpServerRequest.HttpServerRequest): boolean => isSecret(request.url)
