/**
 * Rate profiles: `/v1/members/{accountId}/rate-profile`, what a member's time costs.
 *
 * @since 0.1.0
 */
import { Ids, RateProfile } from "@rota/core"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * @since 0.1.0
 * @category groups
 */
export class RateProfilesApi extends HttpApiGroup.make("rateProfiles")
  .add(
    HttpApiEndpoint.get("get", "/v1/members/:accountId/rate-profile", {
      params: { accountId: Ids.AccountId },
      success: RateProfile.RateProfile,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a member's rate profile")
      .annotate(Requires, "rate_profile.manage"),
    HttpApiEndpoint.put("put", "/v1/members/:accountId/rate-profile", {
      params: { accountId: Ids.AccountId },
      payload: RateProfile.RateFields,
      success: RateProfile.RateProfile,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Set a member's rate profile")
      .annotate(Requires, "rate_profile.manage")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Rate profiles",
      description:
        "What a member's time costs (minor units per hour, or per started day without an hourly rate); " +
        "`GET /v1/projects/{id}` sums accepted assignments into `estimatedCost`."
    })
  ) {}
