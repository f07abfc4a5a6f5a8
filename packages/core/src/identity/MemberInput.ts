/**
 * What adding or changing one of an org's people takes: an invitee, a new member with a
 * password, the changes to a member.
 *
 * @since 0.1.0
 */
import type { Redacted } from "effect"
import type { Role } from "../kernel/Role.ts"
import type { EmploymentType } from "./Membership.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Invitee {
  readonly email: string
  readonly username?: string | undefined
  readonly fullName: string
  readonly role: Role
  readonly phone?: string | undefined
  readonly skills?: ReadonlyArray<string> | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  readonly employmentType?: EmploymentType | undefined
}

/**
 * Someone added with a password: a new account, ready to log in.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewMember extends Invitee {
  readonly password: Redacted.Redacted<string>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface MemberChanges {
  readonly role?: Role | undefined
  readonly fullName?: string | undefined
  readonly phone?: string | null | undefined
  readonly skills?: ReadonlyArray<string> | undefined
  readonly tags?: ReadonlyArray<string> | undefined
  /** `null` clears it. Set by staff only: a technician editing their own profile cannot. */
  readonly employmentType?: EmploymentType | null | undefined
}
