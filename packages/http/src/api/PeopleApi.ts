/**
 * `/v1/members`, `/v1/clients` and `/v1/technicians`: the people of the organisation. Clients
 * and technicians are members with role `member` / `technician` and a profile.
 *
 * Adding someone with a password creates their account (201, the member); without one, the
 * address is invited (202, the invitation), the same way whether or not it has an account.
 *
 * @since 0.1.0
 */
import { Account, Ids, Membership, Pagination, Role } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { InvitationView } from "./InvitationsApi.ts"
import { commaList, ListPage, numberedPage, page } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const MemberView = Membership.Member

/**
 * The answer to adding someone without a password: only the invitation, which holds nothing the
 * caller did not send, and no token (the link goes to the address).
 *
 * @since 0.1.0
 * @category schemas
 */
export const InvitedView = Schema.Struct({ invitation: InvitationView })

const createdOrInvited = [
  withEtag(MemberView.pipe(HttpApiSchema.status(201))),
  InvitedView.pipe(HttpApiSchema.status(202))
]

const Tags = Schema.Array(Membership.Tag).pipe(Schema.check(Schema.isMaxLength(50)))
const SearchText = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 200)))
const AccountIdParam = { accountId: Ids.AccountId }

const writeErrors = [
  Problems.NotFound,
  Problems.PreconditionFailed,
  Problems.PreconditionRequired,
  Problems.LastOwner
]

/**
 * @since 0.1.0
 * @category groups
 */
export class MembersApi extends HttpApiGroup.make("members")
  .add(
    HttpApiEndpoint.get("list", "/v1/members", {
      query: {
        ...page,
        role: Schema.optionalKey(commaList(Role.Role.literals)),
        q: Schema.optionalKey(SearchText)
      },
      success: Pagination.Page(MemberView)
    })
      .annotate(OpenApi.Summary, "List members")
      .annotate(Requires, "member.read"),
    HttpApiEndpoint.post("create", "/v1/members", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({
        email: Account.Email,
        username: Schema.optionalKey(Account.Username),
        fullName: Account.FullName,
        role: Role.Role,
        password: Schema.optionalKey(Account.Password),
        phone: Schema.optionalKey(Account.Phone),
        skills: Schema.optionalKey(Tags),
        tags: Schema.optionalKey(Tags),
        employmentType: Schema.optionalKey(Membership.EmploymentType)
      }),
      success: createdOrInvited,
      error: Problems.AlreadyExists
    })
      .annotate(OpenApi.Summary, "Add a member")
      .annotate(
        OpenApi.Description,
        "With a password the account is created now (201); without one the address is invited (202). " +
          "`employmentType` (`EMPLOYEE`, `CONTRACTOR`, `FREELANCE` or `INTERN`, optional) records how the person works for the organisation."
      )
      .annotate(Requires, "member.manage")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/members/:accountId", {
      params: AccountIdParam,
      success: withEtag(MemberView),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a member")
      .annotate(Requires, "member.read"),
    HttpApiEndpoint.patch("update", "/v1/members/:accountId", {
      params: AccountIdParam,
      headers: IfMatch,
      payload: Schema.Struct({
        role: Schema.optionalKey(Role.Role),
        fullName: Schema.optionalKey(Account.FullName),
        phone: Schema.optionalKey(Schema.NullOr(Account.Phone)),
        skills: Schema.optionalKey(Tags),
        tags: Schema.optionalKey(Tags),
        employmentType: Schema.optionalKey(Schema.NullOr(Membership.EmploymentType))
      }),
      success: withEtag(MemberView),
      error: [...writeErrors, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Update a member's role or profile")
      .annotate(
        OpenApi.Description,
        "Fields left out keep their value. Name and phone belong to the account holder. " +
          "`employmentType` (`EMPLOYEE`, `CONTRACTOR`, `FREELANCE` or `INTERN`, optional) records how the person works for the organisation. `null` clears it."
      )
      .annotate(Requires, "member.manage"),
    HttpApiEndpoint.delete("remove", "/v1/members/:accountId", {
      params: AccountIdParam,
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Remove a member")
      .annotate(Requires, "member.manage"),
    // The membership, never the account: an org cannot lock a person out of other orgs.
    HttpApiEndpoint.post("deactivate", "/v1/members/:accountId/deactivate", {
      params: AccountIdParam,
      headers: IfMatch,
      success: withEtag(MemberView),
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Deactivate a member's account")
      .annotate(Requires, "member.manage"),
    HttpApiEndpoint.post("reactivate", "/v1/members/:accountId/reactivate", {
      params: AccountIdParam,
      headers: IfMatch,
      success: withEtag(MemberView),
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Reactivate a member's account")
      .annotate(Requires, "member.manage")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Members",
      description: "Everyone with a membership in the organisation, whatever their role."
    })
  ) {}

// The profile fields clients and technicians carry; `role` is fixed by the route.
const ProfileCreate = Schema.Struct({
  username: Account.Username,
  email: Account.Email,
  fullName: Account.FullName,
  phone: Schema.optionalKey(Account.Phone),
  password: Schema.optionalKey(Account.Password),
  skills: Schema.optionalKey(Tags),
  tags: Schema.optionalKey(Tags),
  employmentType: Schema.optionalKey(Membership.EmploymentType)
})

const ProfileUpdate = Schema.Struct({
  fullName: Schema.optionalKey(Account.FullName),
  phone: Schema.optionalKey(Schema.NullOr(Account.Phone)),
  skills: Schema.optionalKey(Tags),
  tags: Schema.optionalKey(Tags),
  // `null` clears it; staff only (a technician editing their own profile gets 403 for it).
  employmentType: Schema.optionalKey(Schema.NullOr(Membership.EmploymentType))
})

const IdParam = { id: Ids.AccountId }

const peopleGroup = <const Name extends "clients" | "technicians">(
  name: Name,
  permissions: { readonly list: string; readonly read: string; readonly write: string },
  // The singular for summaries: "List clients", "Get a client".
  one: string
) =>
  HttpApiGroup.make(name)
    .add(
      HttpApiEndpoint.get("list", `/v1/${name}`, {
        query: {
          ...page,
          q: Schema.optionalKey(SearchText),
          skill: Schema.optionalKey(Membership.Tag),
          tag: Schema.optionalKey(Membership.Tag),
          ...numberedPage
        },
        success: ListPage(MemberView)
      })
        .annotate(OpenApi.Summary, `List ${name}`)
        .annotate(Requires, permissions.list),
      HttpApiEndpoint.post("create", `/v1/${name}`, {
        headers: IdempotencyKeyHeader,
        payload: ProfileCreate,
        success: createdOrInvited,
        error: Problems.AlreadyExists
      })
        .annotate(OpenApi.Summary, `Create ${one}`)
        .annotate(
          OpenApi.Description,
          "With a password the account is created now (201); without one the address is invited (202). " +
            "`employmentType` (`EMPLOYEE`, `CONTRACTOR`, `FREELANCE` or `INTERN`, optional) records how the person works for the organisation."
        )
        .annotate(Requires, permissions.write)
        .middleware(Idempotent),
      HttpApiEndpoint.get("get", `/v1/${name}/:id`, {
        params: IdParam,
        success: withEtag(MemberView),
        error: Problems.NotFound
      })
        .annotate(OpenApi.Summary, `Get ${one}`)
        .annotate(Requires, permissions.read),
      HttpApiEndpoint.patch("update", `/v1/${name}/:id`, {
        params: IdParam,
        headers: IfMatch,
        payload: ProfileUpdate,
        success: withEtag(MemberView),
        error: [...writeErrors, Problems.AlreadyExists]
      })
        .annotate(OpenApi.Summary, `Update ${one}`)
        .annotate(
          OpenApi.Description,
          "Fields left out keep their value. Name and phone belong to the account holder. " +
            "`employmentType` (`EMPLOYEE`, `CONTRACTOR`, `FREELANCE` or `INTERN`, optional) records how the person works for the organisation. `null` clears it; only staff with the write permission set it, " +
            "not the person editing their own profile (403)."
        )
        .annotate(Requires, permissions.write),
      HttpApiEndpoint.delete("remove", `/v1/${name}/:id`, {
        params: IdParam,
        headers: IfMatch,
        success: HttpApiSchema.NoContent,
        error: writeErrors
      })
        .annotate(OpenApi.Summary, `Remove ${one}`)
        .annotate(Requires, permissions.write)
    )
    .middleware(InputGuard)
    .middleware(Tenant)
    .middleware(Authentication)

/**
 * @since 0.1.0
 * @category groups
 */
export class ClientsApi extends peopleGroup(
  "clients",
  {
    // A member lists and reads their own client record only.
    list: "client.read|own",
    read: "client.read|own",
    write: "client.write"
  },
  "a client"
).annotateMerge(
  OpenApi.annotations({
    title: "Clients",
    description: "Members with role `member`; a member reads their own record."
  })
) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class TechniciansApi extends peopleGroup(
  "technicians",
  {
    list: "technician.read",
    read: "technician.read",
    write: "technician.write"
  },
  "a technician"
).annotateMerge(
  OpenApi.annotations({
    title: "Technicians",
    description: "Members with role `technician`; a technician may edit their own profile and leave the org."
  })
) {}
