/**
 * Memberships: an account's role in one organisation, with the per-org profile that makes it
 * a "client" or a "technician" in the API.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { Forbidden } from "../kernel/Errors.ts"
import { AccountId, OrgId } from "../kernel/Ids.ts"
import { allows } from "../kernel/Permissions.ts"
import { isAtLeast, Role } from "../kernel/Role.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Tag = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 64)))

/**
 * How the person works for the org, as crew planning records it; optional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmploymentType = Schema.Literals(["EMPLOYEE", "CONTRACTOR", "FREELANCE", "INTERN"])
/** @since 0.1.0 @category models */
export type EmploymentType = typeof EmploymentType.Type

/**
 * @since 0.1.0
 * @category models
 */
export class Member extends Schema.Class<Member>("@rota/core/Member")({
  accountId: AccountId,
  orgId: OrgId,
  role: Role,
  email: Schema.String,
  username: Schema.String,
  fullName: Schema.String,
  phone: Schema.NullOr(Schema.String),
  skills: Schema.Array(Schema.String),
  tags: Schema.Array(Schema.String),
  employmentType: Schema.NullOr(EmploymentType),
  isActive: Schema.Boolean,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc
}) {}

/**
 * The last owner of an organisation cannot be removed or demoted.
 *
 * @since 0.1.0
 * @category errors
 */
export class LastOwner extends Schema.TaggedError<LastOwner>()("LastOwner", {
  orgId: Schema.String
}) {}

/**
 * Whether an actor may give a role to someone, or take it away: managing members needs
 * `member.manage`, and `owner` is granted or removed only by an owner.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkCanAssign = (actorRole: Role, role: Role): Effect.Effect<void, Forbidden> =>
  !allows(actorRole, "member.manage")
    ? Effect.fail(new Forbidden({ permission: "member.manage" }))
    : role === "owner" && !allows(actorRole, "member.grant_owner")
      ? Effect.fail(new Forbidden({ permission: "member.grant_owner" }))
      : Effect.void

/**
 * An account's name and phone belong to its holder: they are shown in every org the account is
 * in, so only the holder changes them. Staff change what their org keeps (role, skills, tags,
 * employment type).
 *
 * @since 0.1.0
 * @category rules
 */
export const checkProfileChange = (
  actorId: AccountId,
  accountId: AccountId,
  changes: { readonly fullName?: string | undefined; readonly phone?: string | null | undefined }
): Effect.Effect<void, Forbidden> =>
  actorId !== accountId && (changes.fullName !== undefined || changes.phone !== undefined)
    ? Effect.fail(new Forbidden({ permission: "account.profile" }))
    : Effect.void

/**
 * A member may not change the role of someone above them.
 *
 * @since 0.1.0
 * @category rules
 */
export const outranks = (actorRole: Role, targetRole: Role): boolean =>
  actorRole === "owner" || (isAtLeast(actorRole, targetRole) && targetRole !== "owner")
