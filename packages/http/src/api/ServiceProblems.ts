/**
 * The problems of the server itself: overload, faults and outages, which any endpoint may answer
 * with.
 *
 * @since 0.1.0
 */
import { HttpApiError } from "effect/http-api"
import { fields, type } from "./ProblemFields.ts"
import { PayloadTooLarge, ValidationFailed } from "./RequestProblems.ts"

/** @since 0.1.0 @category problems */
export class RateLimited extends HttpApiError.Problem<RateLimited>()(
  "RateLimitedProblem",
  { type: type("rate_limited"), status: 429, title: "Too many requests" },
  fields("rate_limited")
) {}

/** @since 0.1.0 @category problems */
export class Internal extends HttpApiError.Problem<Internal>()(
  "InternalProblem",
  { type: type("internal"), status: 500, title: "Internal error" },
  fields("internal")
) {}

/** @since 0.1.0 @category problems */
export class Unavailable extends HttpApiError.Problem<Unavailable>()(
  "UnavailableProblem",
  { type: type("unavailable"), status: 503, title: "Service unavailable" },
  fields("unavailable")
) {}

/**
 * The problems any endpoint may answer with, whatever it does: bad input, overload, faults.
 *
 * @since 0.1.0
 * @category problems
 */
export const everywhere = [ValidationFailed, PayloadTooLarge, RateLimited, Internal, Unavailable] as const
