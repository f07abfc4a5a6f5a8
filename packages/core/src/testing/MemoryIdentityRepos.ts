/**
 * The identity ports on the {@link MemoryDatabase}, together: accounts, orgs, memberships,
 * sessions, invitations and password resets.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import type {
  AccountRepo,
  InvitationRepo,
  MembershipRepo,
  OrgRepo,
  PasswordResetRepo,
  SessionRepo
} from "../identity/IdentityRepos.ts"
import * as MemoryAccountRepos from "./MemoryAccountRepos.ts"
import type { MemoryDatabase } from "./MemoryDatabase.ts"
import * as MemoryMembershipRepo from "./MemoryMembershipRepo.ts"
import * as MemorySessionRepos from "./MemorySessionRepos.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  AccountRepo | OrgRepo | MembershipRepo | SessionRepo | InvitationRepo | PasswordResetRepo,
  never,
  MemoryDatabase
> = Layer.mergeAll(
  MemoryAccountRepos.accountRepo,
  MemoryAccountRepos.orgRepo,
  MemoryMembershipRepo.layer,
  MemorySessionRepos.sessionRepo,
  MemorySessionRepos.invitationRepo,
  MemorySessionRepos.passwordResetRepo
)
