/**
 * The views of an org's people (all members, clients, technicians): the role each view fixes
 * and the permissions that read and write it.
 *
 * @since 0.1.0
 */
import type * as Permissions from "../kernel/Permissions.ts"
import type { Role } from "../kernel/Role.ts"

/**
 * Which view of the people the caller uses: all members, or clients or technicians only.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "member" | "client" | "technician"

/**
 * @since 0.1.0
 * @category constants
 */
export const roleOfKind: Record<Exclude<Kind, "member">, Role> = {
  client: "member",
  technician: "technician"
}

/**
 * @since 0.1.0
 * @category constants
 */
export const readPermission: Record<Kind, Permissions.Permission> = {
  member: "member.read",
  client: "client.read",
  technician: "technician.read"
}
/**
 * @since 0.1.0
 * @category constants
 */
export const writePermission: Record<Kind, Permissions.Permission> = {
  member: "member.manage",
  client: "client.write",
  technician: "technician.write"
}
