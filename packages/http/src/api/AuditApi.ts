/**
 * `/v1/audit`: the organisation's audit events (managers) and the verification of their hash
 * chain (admins).
 *
 * @since 0.1.0
 */
import { Audit, Ids, Pagination } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { commaList, page, period } from "./ListQuery.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

const Text = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 200)))

/**
 * @since 0.1.0
 * @category groups
 */
export class AuditApi extends HttpApiGroup.make("audit")
  .add(
    HttpApiEndpoint.get("list", "/v1/audit", {
      query: {
        ...page,
        ...period,
        entityType: Schema.optionalKey(
          commaList([
            "organization",
            "account",
            "member",
            "site",
            "resource",
            "unit",
            "tag",
            "part",
            "booking",
            "fine",
            "waitlist_entry",
            "intervention",
            "intervention_event",
            "document",
            "project",
            "mission",
            "assignment",
            "availability",
            "rate_profile",
            "notification_preferences",
            "api_key"
          ])
        ),
        entityId: Schema.optionalKey(Text),
        // Compared with a uuid column: anything else is refused here, not by the database.
        actorId: Schema.optionalKey(Ids.Uuid),
        action: Schema.optionalKey(commaList(Audit.AuditAction.literals))
      },
      success: Pagination.Page(Audit.AuditEvent)
    })
      .annotate(OpenApi.Summary, "List audit events")
      .annotate(Requires, "audit.read"),
    HttpApiEndpoint.get("verify", "/v1/audit/verify", { success: Audit.Verification })
      .annotate(OpenApi.Summary, "Verify the audit hash chain")
      .annotate(Requires, "audit.verify")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Audit",
      description: "Every change of a business entity, append-only and hash-chained per organisation."
    })
  ) {}
