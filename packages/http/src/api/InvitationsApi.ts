/**
 * `/v1/invitations`: inviting people by email with a role, and accepting with the token.
 *
 * @since 0.1.0
 */
import { Account, Ids, Role } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const InvitationView = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  role: Role.Role,
  expiresAt: Schema.DateTimeUtcFromDate,
  acceptedAt: Schema.NullOr(Schema.DateTimeUtcFromDate),
  revokedAt: Schema.NullOr(Schema.DateTimeUtcFromDate),
  createdAt: Schema.DateTimeUtcFromDate
})

/**
 * @since 0.1.0
 * @category groups
 */
export class InvitationsApi extends HttpApiGroup.make("invitations")
  .add(
    HttpApiEndpoint.post("create", "/v1/invitations", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({ email: Account.Email, role: Role.Role }),
      // No token in the answer: the link goes to the invited address only.
      success: Schema.Struct({ invitation: InvitationView }).pipe(HttpApiSchema.status(201))
    })
      .annotate(OpenApi.Summary, "Invite someone to the organisation")
      .annotate(Requires, "invitation.manage")
      .middleware(Idempotent),
    HttpApiEndpoint.get("list", "/v1/invitations", {
      success: Schema.Struct({ items: Schema.Array(InvitationView) })
    })
      .annotate(OpenApi.Summary, "List invitations")
      .annotate(Requires, "invitation.manage"),
    HttpApiEndpoint.post("revoke", "/v1/invitations/:id/revoke", {
      params: { id: Ids.Uuid },
      headers: IdempotencyKeyHeader,
      success: HttpApiSchema.NoContent,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Revoke an invitation")
      .annotate(Requires, "invitation.manage")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Invitations",
      description: "Invitations to join the organisation, sent by email."
    })
  ) {}

/**
 * Accepting needs no login: the token is the credential.
 *
 * @since 0.1.0
 * @category groups
 */
export class InvitationAcceptApi extends HttpApiGroup.make("invitationAccept")
  .add(
    HttpApiEndpoint.post("accept", "/v1/invitations/accept", {
      payload: Schema.Struct({
        token: Schema.String.pipe(Schema.check(Schema.isMaxLength(2048))),
        password: Schema.optionalKey(Account.Password),
        fullName: Schema.optionalKey(Account.FullName),
        username: Schema.optionalKey(Account.Username)
      }),
      success: Schema.Struct({ orgId: Schema.String, accountId: Schema.String, role: Role.Role }),
      error: [Problems.TokenInvalid, Problems.TokenUsed, Problems.AlreadyExists, Problems.Unauthenticated]
    })
      .annotate(OpenApi.Summary, "Accept an invitation")
      .annotate(Requires, "public")
  )
  .middleware(InputGuard)
  .annotateMerge(
    OpenApi.annotations({
      title: "Invitation acceptance",
      description: "Accepting an invitation with the token of its link; needs no login."
    })
  ) {}
