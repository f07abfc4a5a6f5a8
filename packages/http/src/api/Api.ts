/**
 * The one definition of Rota's HTTP API: the server implements it, the SDK is derived from it,
 * and `/openapi.json` is generated from it, so the three never drift.
 *
 * @since 0.1.0
 */
// Named so the declaration of `Api` can refer to the entity types its groups answer with.
import type {
  Assignment,
  Audit,
  Availability,
  Booking,
  Document,
  Fine,
  Intervention,
  Membership,
  Mission,
  Organization,
  Part,
  PartUse,
  Project,
  RateProfile,
  Resource,
  ResourceUnit,
  Site,
  Tag,
  TimelineEvent,
  WaitlistEntry
} from "@rota/core"
import { HttpApi, OpenApi } from "effect/http-api"
import { AuditApi } from "./AuditApi.ts"
import { AuthApi } from "./AuthApi.ts"
import { BookingsApi, FinesApi, ScheduleApi } from "./BookingsApi.ts"
import {
  AssignmentResponseApi,
  AssignmentsApi,
  AvailabilityApi,
  MissionsApi,
  ProjectsApi,
  RateProfilesApi
} from "./CrewsApi.ts"
import { DocumentsApi, InterventionsApi } from "./InterventionsApi.ts"
import { PartsApi, ResourcesApi, SitesApi, TagsApi, UnitsApi } from "./InventoryApi.ts"
import { InvitationAcceptApi, InvitationsApi } from "./InvitationsApi.ts"
import { OrgApi, OrgsApi } from "./OrgsApi.ts"
import { ClientsApi, MembersApi, TechniciansApi } from "./PeopleApi.ts"
import { RequestValidation } from "./RequestValidation.ts"
import { SystemApi } from "./SystemApi.ts"
import { WaitlistApi } from "./WaitlistApi.ts"

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
      description:
        "Multi-tenant operations: equipment lending, maintenance work and crews. Errors are RFC 9457 " +
        "problem+json with a stable `code` and the `requestId` of the request."
    })
  ) {}
