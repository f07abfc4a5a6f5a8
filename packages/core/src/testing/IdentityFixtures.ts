/**
 * Accounts, orgs and memberships written through the identity ports, for the contract suites:
 * every name carries a fresh id, so cases never collide, on a shared database either.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { Account } from "../identity/Account.ts"
import { AccountRepo, MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { defaultSettings, Organization } from "../identity/Organization.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import type { Role } from "../kernel/Role.ts"

/**
 * @since 0.1.0
 * @category models
 */
export type Stored = Account

/**
 * A stored account; `name` ends up in its email, username and full name.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const account = (
  options: { readonly name?: string; readonly phone?: string | null; readonly isActive?: boolean } = {}
): Effect.Effect<Account, never, AccountRepo | Ids> =>
  Effect.gen(function* () {
    const id = yield* nextId(AccountId)
    const name = `${options.name ?? "user"}-${id.slice(-12)}`
    const stored = new Account({
      id,
      email: `${name}@example.test`,
      username: name,
      fullName: `Full ${name}`,
      phone: options.phone ?? null,
      isActive: options.isActive ?? true,
      createdAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1))
    })
    yield* Effect.orDie((yield* AccountRepo).insert(stored, "hash-1"))
    return stored
  })

/**
 * A stored org.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const org = (name = "Org"): Effect.Effect<Organization, never, OrgRepo | Ids> =>
  Effect.gen(function* () {
    const id = yield* nextId(OrgId)
    const stored = new Organization({
      id,
      name,
      slug: `org-${id}`,
      timezone: "Europe/Paris",
      settings: defaultSettings,
      version: 1,
      createdAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1))
    })
    yield* Effect.orDie((yield* OrgRepo).insert(stored))
    return stored
  })

/**
 * Makes the account a member of the org, joined at `at` (ms since the epoch).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const join = (
  orgId: OrgId,
  accountId: AccountId,
  role: Role,
  options: {
    readonly at?: number
    readonly skills?: ReadonlyArray<string>
    readonly tags?: ReadonlyArray<string>
  } = {}
) =>
  Effect.flatMap(Effect.service(MembershipRepo), (repo) =>
    Effect.orDie(
      repo.insert({
        orgId,
        accountId,
        role,
        skills: options.skills ?? [],
        tags: options.tags ?? [],
        at: DateTime.makeUnsafe(options.at ?? Date.UTC(2030, 0, 1))
      })
    )
  )
