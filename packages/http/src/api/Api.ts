/**
 * The one definition of Rota's HTTP API: the server implements it, the SDK is derived from it,
 * and `/openapi.json` is generated from it, so the three never drift.
 *
 * @since 0.1.0
 */
// Named so the declaration of `Api` can refer to the entity types its groups answer with.
import type {
  ApiKey,
  Assignment,
  Audit,
  Availability,
  Blackout,
  Booking,
  CalendarFeed,
  Change,
  Document,
  Fine,
  Intervention,
  MaintenancePlan,
  Membership,
  Mission,
  Notification,
  Organization,
  Part,
  PartUse,
  Project,
  RateProfile,
  Resource,
  ResourceUnit,
  Series,
  Site,
  Tag,
  TimelineEvent,
  WaitlistEntry,
  Webhook
} from "@rota/core"
import { HttpApi, OpenApi } from "effect/http-api"
import { ApiKeysApi } from "./ApiKeysApi.ts"
import { AssignmentResponseApi, AssignmentsApi } from "./AssignmentsApi.ts"
import { AuditApi } from "./AuditApi.ts"
import { AuthApi } from "./AuthApi.ts"
import { AvailabilityApi } from "./AvailabilityApi.ts"
import { BlackoutsApi } from "./BlackoutsApi.ts"
import { BookingSeriesApi } from "./BookingSeriesApi.ts"
import { BookingsApi, FinesApi, ScheduleApi } from "./BookingsApi.ts"
import { CalendarApi, CalendarFeedsApi } from "./CalendarFeedsApi.ts"
import { ChangesApi } from "./ChangesApi.ts"
import { IntakeApi, UnitIntakeApi } from "./IntakeApi.ts"
import { DocumentsApi, InterventionsApi } from "./InterventionsApi.ts"
import { PartsApi, ResourcesApi, SitesApi, TagsApi, UnitsApi } from "./InventoryApi.ts"
import { InvitationAcceptApi, InvitationsApi } from "./InvitationsApi.ts"
import { MaintenancePlansApi, PlanningApi } from "./MaintenanceApi.ts"
import { NotificationsApi } from "./NotificationsApi.ts"
import { OrgApi, OrgsApi } from "./OrgsApi.ts"
import { ClientsApi, MembersApi, TechniciansApi } from "./PeopleApi.ts"
import { MissionsApi, ProjectsApi } from "./ProjectsApi.ts"
import { RateProfilesApi } from "./RateProfilesApi.ts"
import { ReportsApi } from "./ReportsApi.ts"
import { RequestValidation } from "./RequestValidation.ts"
import { SystemApi } from "./SystemApi.ts"
import { ExportsApi, ImportsApi } from "./TransferApi.ts"
import { WaitlistApi } from "./WaitlistApi.ts"
import { WebhooksApi } from "./WebhooksApi.ts"

/**
 * The API version reported by `/health` and the OpenAPI document.
 *
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

/**
 * Every entity and record the API's groups answer with.
 *
 * @since 0.1.0
 * @category api
 */
export type Entities =
  | Membership.Member
  | Organization.Organization
  | Site.Site
  | Tag.Tag
  | Resource.Resource
  | ResourceUnit.ResourceUnit
  | Part.Part
  | Booking.Booking
  | Fine.Fine
  | WaitlistEntry.WaitlistEntry
  | Project.Project
  | Mission.Mission
  | Assignment.Assignment
  | Availability.Availability
  | RateProfile.RateProfile
  | Intervention.Intervention
  | Document.Document
  | PartUse.PartUse
  | TimelineEvent.TimelineEvent
  | Audit.AuditEvent
  | Webhook.Webhook
  | Webhook.Delivery
  | Notification.Notification
  | MaintenancePlan.MaintenancePlan
  | Blackout.Blackout
  | ApiKey.ApiKey
  | Change.Change
  | Series.BookingSeries
  | CalendarFeed.CalendarFeed

// What `withOAuth2` reads and changes of the generated document.
interface SecuredSpec {
  readonly components: { readonly securitySchemes: Record<string, object> }
  readonly paths: Record<string, Record<string, { security?: Array<Record<string, Array<string>>> }>>
}

// The bearer token is a JWT, and OAuth2 tools obtain it with the password grant of
// `/v1/auth/token`: declaring both lets a docs page or a generated client authorise either way.
const withOAuth2 = (spec: SecuredSpec) => {
  const schemes = spec.components.securitySchemes
  schemes.bearer = {
    ...schemes.bearer,
    bearerFormat: "JWT",
    description: "The access token of a login, or an API key (`rota_live_...`)."
  }
  schemes.oauth2 = {
    type: "oauth2",
    description: "The OAuth2 password grant: the same access token, obtained form-encoded.",
    flows: { password: { tokenUrl: "/v1/auth/token", scopes: {} } }
  }
  for (const pathItem of Object.values(spec.paths)) {
    for (const operation of Object.values(pathItem)) {
      const security = operation.security
      if (security?.some((requirement) => "bearer" in requirement)) {
        operation.security = [
          ...security,
          ...security.map(({ bearer: _, ...rest }) => ({ ...rest, oauth2: [] }))
        ]
      }
    }
  }
  return spec
}

/**
 * @since 0.1.0
 * @category api
 */
export class Api extends HttpApi.make("rota")
  .add(SystemApi)
  .add(AuthApi)
  .add(OrgsApi)
  .add(OrgApi)
  .add(MembersApi)
  .add(ClientsApi)
  .add(TechniciansApi)
  .add(InvitationsApi)
  .add(InvitationAcceptApi)
  .add(AuditApi)
  .add(SitesApi)
  .add(TagsApi)
  .add(ResourcesApi)
  .add(UnitsApi)
  .add(PartsApi)
  .add(InterventionsApi)
  .add(DocumentsApi)
  .add(BookingsApi)
  .add(FinesApi)
  .add(ScheduleApi)
  .add(WaitlistApi)
  .add(ProjectsApi)
  .add(MissionsApi)
  .add(AssignmentsApi)
  .add(AssignmentResponseApi)
  .add(AvailabilityApi)
  .add(RateProfilesApi)
  .add(WebhooksApi)
  .add(NotificationsApi)
  .add(MaintenancePlansApi)
  .add(PlanningApi)
  .add(UnitIntakeApi)
  .add(IntakeApi)
  .add(BookingSeriesApi)
  .add(BlackoutsApi)
  .add(CalendarFeedsApi)
  .add(CalendarApi)
  .add(ApiKeysApi)
  .add(ChangesApi)
  .add(ReportsApi)
  .add(ExportsApi)
  .add(ImportsApi)
  .middleware(RequestValidation)
  // Undeclared body and query fields are refused (no mass assignment); headers keep the
  // defaults, since every request carries transport headers no endpoint declares. Responses
  // keep them too: encoding drops any field the schema does not declare, so nothing undeclared
  // leaves the server, and it takes Schema's fast path (strict options make every struct of a
  // page go through a slower generic parser); a client likewise ignores fields added later.
  .annotate(HttpApi.ParseOptions, { onExcessProperty: "error" })
  .annotate(HttpApi.HeadersParseOptions, {})
  .annotate(HttpApi.SuccessParseOptions, {})
  .annotate(HttpApi.ErrorParseOptions, {})
  .annotateMerge(
    OpenApi.annotations({
      title: "Rota API",
      version,
      license: { name: "MIT", identifier: "MIT" },
      // Relative: the docs page and generated clients call the server that serves the document.
      servers: [{ url: "/", description: "The server that serves this document" }],
      transform: (spec) => withOAuth2(spec as SecuredSpec),
      description:
        "Multi-tenant operations: equipment lending, maintenance work and crews. Errors are RFC 9457 " +
        "problem+json with a stable `code` and the `requestId` of the request."
    })
  ) {}
