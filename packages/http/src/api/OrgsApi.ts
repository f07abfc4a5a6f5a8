/**
 * `/v1/orgs` (the caller's organisations, and creating one) and `/v1/org` (the current one,
 * named by `X-Org-Id`).
 *
 * @since 0.1.0
 */
import { Organization, Role } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const OrgView = Organization.Organization

const Settings = Organization.Settings.fields

/**
 * @since 0.1.0
 * @category groups
 */
export class OrgsApi extends HttpApiGroup.make("orgs")
  .add(
    HttpApiEndpoint.get("listMine", "/v1/orgs", {
      success: Schema.Struct({ items: Schema.Array(Schema.Struct({ org: OrgView, role: Role.Role })) }),
      error: Problems.Forbidden
    })
      .annotate(OpenApi.Summary, "List the caller's organisations")
      .annotate(Requires, "authenticated"),
    HttpApiEndpoint.post("create", "/v1/orgs", {
      payload: Schema.Struct({
        name: Organization.OrgName,
        timezone: Schema.optionalKey(Organization.TimeZone)
      }),
      success: withEtag(OrgView.pipe(HttpApiSchema.status(201))),
      error: Problems.Forbidden
    })
      .annotate(OpenApi.Summary, "Create an organisation")
      .annotate(Requires, "authenticated")
  )
  .middleware(InputGuard)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Organisations",
      description: "The organisations the caller belongs to; creating one."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class OrgApi extends HttpApiGroup.make("org")
  .add(
    HttpApiEndpoint.get("get", "/v1/org", { success: withEtag(OrgView), error: Problems.NotFound })
      .annotate(OpenApi.Summary, "Get the current organisation")
      .annotate(Requires, "org.read"),
    HttpApiEndpoint.patch("update", "/v1/org", {
      headers: IfMatch,
      payload: Schema.Struct({
        name: Schema.optionalKey(Organization.OrgName),
        timezone: Schema.optionalKey(Organization.TimeZone),
        settings: Schema.optionalKey(
          Schema.Struct({
            autoApprove: Schema.optionalKey(Settings.autoApprove),
            offerTtlMinutes: Schema.optionalKey(Settings.offerTtlMinutes),
            lateGraceMinutes: Schema.optionalKey(Settings.lateGraceMinutes),
            invitationTtlHours: Schema.optionalKey(Settings.invitationTtlHours),
            fine: Schema.optionalKey(Settings.fine),
            priorityWeights: Schema.optionalKey(Settings.priorityWeights)
          })
        )
      }),
      success: withEtag(OrgView),
      error: [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]
    })
      .annotate(OpenApi.Summary, "Update the current organisation")
      .annotate(
        OpenApi.Description,
        "Changes the name, time zone or policy settings; settings left out keep their value. " +
          "`invitationTtlHours` (1 to 720, default 168: 7 days) is how long invitations sent from " +
          "then on stay valid."
      )
      .annotate(Requires, "org.update")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({ title: "Organisation", description: "The organisation named by X-Org-Id." })
  ) {}
