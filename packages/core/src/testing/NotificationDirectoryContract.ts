/**
 * The contract of every adapter of the `NotificationDirectory`: an audience (the org's members
 * with some roles, or named accounts) becomes the people who can still read a notification,
 * active accounts with a live, active membership of that org, by account id; and an
 * intervention of the org is looked up for its number, title and client.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { type AccountRepo, MembershipRepo, type OrgRepo } from "../identity/IdentityRepos.ts"
import { InterventionId } from "../interventions/Intervention.ts"
import type { InterventionRepo } from "../interventions/InterventionRepos.ts"
import { type AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import type { Role } from "../kernel/Role.ts"
import { NotificationDirectory, type Recipient } from "../notifications/NotificationRepos.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { account, join, org } from "./IdentityFixtures.ts"
import { intervention } from "./InterventionFixtures.ts"

type Ports = NotificationDirectory | AccountRepo | OrgRepo | MembershipRepo | InterventionRepo | Ids

/** A new account that is a member of the org with the role; `name` is in its email. */
const member = (orgId: OrgId, role: Role, name: string, options: { readonly isActive?: boolean } = {}) =>
  Effect.gen(function* () {
    const stored = yield* account({ name, ...options })
    yield* join(orgId, stored.id, role)
    return { accountId: stored.id, email: stored.email }
  })

const byAccount = (people: ReadonlyArray<Recipient>) =>
  [...people].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0))

const idsOf = (people: ReadonlyArray<Recipient>): ReadonlyArray<AccountId> =>
  people.map((person) => person.accountId)

/**
 * An org whose members are an owner, a manager and a technician who can read, and three managers
 * who cannot: one suspended, one removed, one whose account is deactivated; and a manager of
 * another org.
 */
const staff = Effect.gen(function* () {
  const memberships = yield* MembershipRepo
  const [{ id: orgId }, { id: elsewhere }] = [yield* org(), yield* org()]
  const owner = yield* member(orgId, "owner", "owner")
  const manager = yield* member(orgId, "manager", "manager")
  const technician = yield* member(orgId, "technician", "technician")
  const suspended = yield* member(orgId, "manager", "suspended")
  yield* Effect.orDie(memberships.setActive(orgId, suspended.accountId, undefined, false))
  const removed = yield* member(orgId, "manager", "removed")
  yield* Effect.orDie(
    memberships.remove(orgId, removed.accountId, undefined, DateTime.makeUnsafe(Date.UTC(2030, 1, 1)))
  )
  const deactivated = yield* member(orgId, "manager", "deactivated", { isActive: false })
  const outsider = yield* member(elsewhere, "manager", "outsider")
  return { orgId, elsewhere, owner, manager, technician, suspended, removed, deactivated, outsider }
})

/**
 * @since 0.1.0
 * @category suites
 */
export const NotificationDirectoryContract: ContractSuite<Ports> = {
  name: "NotificationDirectory",
  cases: [
    {
      name: "the members with some roles are the org's active members with one of them, by account id",
      run: Effect.gen(function* () {
        const directory = yield* NotificationDirectory
        const { orgId, elsewhere, owner, manager, technician, outsider } = yield* staff
        yield* expectEqual(
          yield* directory.withRoles(orgId, ["owner", "manager"]),
          byAccount([owner, manager]),
          "owners and managers"
        )
        yield* expectEqual(
          yield* directory.withRoles(orgId, ["technician", "member"]),
          [technician],
          "technicians and members"
        )
        yield* expectEqual(yield* directory.withRoles(orgId, []), [], "no roles")
        yield* expectEqual(yield* directory.withRoles(elsewhere, ["manager"]), [outsider], "another org's")
        yield* expectEqual(
          yield* directory.withRoles(yield* nextId(OrgId), ["owner", "manager"]),
          [],
          "an org with no members"
        )
      })
    },
    {
      name: "the given accounts are those that are active members of the org, each once, by account id",
      run: Effect.gen(function* () {
        const directory = yield* NotificationDirectory
        const people = yield* staff
        const { orgId, owner, manager, technician } = people
        const all = [
          people.suspended,
          people.removed,
          people.deactivated,
          people.outsider,
          technician,
          manager
        ]
        yield* expectEqual(
          idsOf(yield* directory.members(orgId, [...idsOf(all), "not-a-uuid", manager.accountId])),
          idsOf(byAccount([technician, manager])),
          "the active members only"
        )
        yield* expectEqual(yield* directory.members(orgId, [owner.accountId]), [owner], "one, with its email")
        yield* expectEqual(yield* directory.members(orgId, []), [], "nobody")
        yield* expectEqual(yield* directory.members(orgId, ["not-a-uuid"]), [], "a malformed id only")
        yield* expectEqual(
          yield* directory.members(people.elsewhere, [owner.accountId, people.outsider.accountId]),
          [people.outsider],
          "in another org"
        )
      })
    },
    {
      name: "an intervention of the org answers its number, title and client; another org's is none",
      run: Effect.gen(function* () {
        const directory = yield* NotificationDirectory
        const [{ id: orgId }, { id: elsewhere }] = [yield* org(), yield* org()]
        const client = yield* member(orgId, "member", "client")
        const forClient = yield* intervention(orgId, 7, { title: "Leaking tap", clientId: client.accountId })
        const internal = yield* intervention(orgId, 8, { title: "Service the van" })
        yield* expectEqual(
          yield* directory.intervention(orgId, forClient.id),
          Option.some({ number: forClient.number, title: "Leaking tap", clientId: client.accountId }),
          "with a client"
        )
        yield* expectEqual(
          yield* directory.intervention(orgId, internal.id),
          Option.some({ number: internal.number, title: "Service the van", clientId: null }),
          "without a client"
        )
        yield* expectEqual(forClient.number, "INT-000007", "numbered as stored")
        yield* expectEqual(
          Option.isNone(yield* directory.intervention(elsewhere, forClient.id)),
          true,
          "from another org"
        )
        yield* expectEqual(
          Option.isNone(yield* directory.intervention(orgId, yield* nextId(InterventionId))),
          true,
          "an unknown id"
        )
        yield* expectEqual(
          Option.isNone(yield* directory.intervention(orgId, "not-a-uuid")),
          true,
          "a malformed id"
        )
      })
    }
  ]
}
