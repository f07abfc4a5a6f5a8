/**
 * Who may do what: one table from role to permissions, the only place access is decided.
 * Handlers never compare role names; use cases call {@link require}.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { Forbidden } from "./Errors.ts"
import type { AccountId } from "./Ids.ts"
import { type Actor, CurrentActor } from "./RequestContext.ts"
import type { Role } from "./Role.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Permission = Schema.Literals([
  "org.read",
  "org.update",
  "member.read",
  "member.manage",
  "member.grant_owner",
  "invitation.manage",
  "client.read",
  "client.write",
  "technician.read",
  "technician.write",
  "audit.read",
  "audit.verify",
  "inventory.read",
  "inventory.write",
  "inventory.read_deleted",
  "crew.read",
  "crew.write",
  "crew.read_deleted",
  "assignment.respond",
  "assignment.manage",
  "availability.submit",
  "availability.approve",
  "rate_profile.manage",
  "booking.create",
  "booking.read_all",
  "booking.approve",
  "booking.manage",
  "fine.manage",
  "schedule.read",
  "waitlist.manage",
  "waitlist.expire",
  "intervention.read",
  "intervention.read_all",
  "intervention.write",
  "intervention.assign",
  "intervention.read_deleted",
  "webhook.manage",
  "maintenance.read",
  "maintenance.write",
  "calendar.manage",
  "api_key.manage",
  "changes.read"
])
/** @since 0.1.0 @category models */
export type Permission = typeof Permission.Type

const member: ReadonlyArray<Permission> = [
  "org.read",
  "inventory.read",
  "booking.create",
  "assignment.respond",
  "availability.submit",
  "intervention.read"
]
const technician: ReadonlyArray<Permission> = [
  ...member,
  "client.read",
  "client.write",
  "technician.read",
  "crew.read",
  "intervention.read_all",
  "intervention.write",
  "maintenance.read"
]
const manager: ReadonlyArray<Permission> = [
  ...technician,
  "member.read",
  "technician.write",
  "audit.read",
  "inventory.write",
  "inventory.read_deleted",
  "crew.write",
  "crew.read_deleted",
  "assignment.manage",
  "availability.approve",
  "rate_profile.manage",
  "booking.read_all",
  "booking.approve",
  "booking.manage",
  "fine.manage",
  "schedule.read",
  "waitlist.manage",
  "intervention.assign",
  "intervention.read_deleted",
  "maintenance.write",
  "calendar.manage",
  "api_key.manage",
  "changes.read"
]
const admin: ReadonlyArray<Permission> = [
  ...manager,
  "org.update",
  "member.manage",
  "invitation.manage",
  "audit.verify",
  "waitlist.expire",
  "webhook.manage"
]
const owner: ReadonlyArray<Permission> = [...admin, "member.grant_owner"]

/**
 * The table: each role's permissions. Data, so the docs and the tests read it too.
 *
 * @since 0.1.0
 * @category table
 */
export const table: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  manager: new Set(manager),
  technician: new Set(technician),
  member: new Set(member)
}

/**
 * Whether a role, or an actor, may do something. An actor holding an API key may do what both
 * its role and the key's scopes allow, so a key never outgrows its creator.
 *
 * @since 0.1.0
 * @category rules
 */
export const allows = (who: Role | Pick<Actor, "role" | "scopes">, permission: Permission): boolean =>
  typeof who === "string"
    ? table[who].has(permission)
    : table[who.role].has(permission) && (who.scopes === undefined || who.scopes.includes(permission))

/**
 * Fails with `Forbidden` unless the current actor (its role, and its key's scopes) has `permission`.
 *
 * @since 0.1.0
 * @category checks
 */
export const require = (permission: Permission): Effect.Effect<void, Forbidden, CurrentActor> =>
  Effect.flatMap(Effect.service(CurrentActor), (actor) =>
    allows(actor, permission) ? Effect.void : Effect.fail(new Forbidden({ permission }))
  )

/**
 * The account a list of people's records is filtered by. A caller with `readAll` gets the filter
 * asked for (none: everyone's). Anyone else sees only their own records, with or without their
 * own id as the filter; naming another account is `Forbidden`, as answering with the caller's
 * own records instead would say they are that account's.
 *
 * @since 0.1.0
 * @category rules
 */
export const accountFilter = (
  actor: Pick<Actor, "accountId" | "role" | "scopes">,
  readAll: Permission,
  requested: AccountId | undefined
): Effect.Effect<AccountId | undefined, Forbidden> =>
  allows(actor, readAll)
    ? Effect.succeed(requested)
    : requested === undefined || requested === actor.accountId
      ? Effect.succeed(actor.accountId)
      : Effect.fail(new Forbidden({ permission: readAll }))
