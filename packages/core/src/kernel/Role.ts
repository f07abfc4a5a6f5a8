/**
 * Roles are per organisation, never global. Access is decided by permissions derived from the
 * role; the ranking here only answers "may this role grant that role".
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * From most to least powerful.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Role = Schema.Literals(["owner", "admin", "manager", "technician", "member"])
/** @since 0.1.0 @category models */
export type Role = typeof Role.Type

const rank: Record<Role, number> = { owner: 5, admin: 4, manager: 3, technician: 2, member: 1 }

/**
 * True when `role` is `minimum` or more powerful.
 *
 * @since 0.1.0
 * @category rules
 */
export const isAtLeast = (role: Role, minimum: Role): boolean => rank[role] >= rank[minimum]
