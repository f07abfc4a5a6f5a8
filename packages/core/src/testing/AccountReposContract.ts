/**
 * The contract of every adapter of the account ports: `AccountRepo`, `OrgRepo` and
 * `MembershipRepo`, which share their rows (an org lists its members' accounts).
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { Account } from "../identity/Account.ts"
import { AccountRepo, MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { Organization } from "../identity/Organization.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import * as Fixtures from "./IdentityFixtures.ts"

type Ports = AccountRepo | OrgRepo | MembershipRepo | Ids

const errorOf = <E extends { readonly _tag: string }>(effect: Effect.Effect<unknown, E>) =>
  Effect.map(Effect.flip(effect), (error) => error as E & Record<string, unknown>)

/**
 * @since 0.1.0
 * @category suites
 */
export const AccountReposContract: ContractSuite<Ports> = {
  name: "AccountRepos",
  cases: [
    {
      name: "finds an account by email or username, in any case, with its password hash",
      run: Effect.gen(function* () {
        const accounts = yield* AccountRepo
        const stored = yield* Fixtures.account({ name: "Ada" })
        const byEmail = yield* accounts.findByLogin(stored.email.toUpperCase())
        yield* expectEqual(
          Option.map(byEmail, (found) => found.account.id),
          Option.some(stored.id),
          "by email"
        )
        yield* expectEqual(
          Option.map(byEmail, (found) => found.passwordHash),
          Option.some("hash-1"),
          "hash"
        )
        const byName = yield* accounts.findByLogin(stored.username.toUpperCase())
        yield* expectEqual(
          Option.map(byName, (found) => found.account.id),
          Option.some(stored.id),
          "by username"
        )
        yield* expectEqual(
          Option.map(yield* accounts.findByEmail(stored.email.toUpperCase()), (found) => found.id),
          Option.some(stored.id),
          "findByEmail"
        )
        yield* expectEqual(yield* accounts.findById(stored.id), Option.some(stored), "findById")
        yield* expectEqual(Option.isNone(yield* accounts.findByLogin("nobody@nowhere.test")), true, "unknown")
      })
    },
    {
      name: "refuses a second account with the same email or username, whatever their case",
      run: Effect.gen(function* () {
        const accounts = yield* AccountRepo
        const stored = yield* Fixtures.account()
        const other = yield* Fixtures.account()
        const sameEmail = new Account({
          ...other,
          id: yield* nextId(AccountId),
          email: stored.email.toUpperCase(),
          username: `x${other.username}`
        })
        const emailTaken = yield* errorOf(accounts.insert(sameEmail, null))
        yield* expectEqual([emailTaken._tag, emailTaken.field], ["AlreadyExists", "email"], "email taken")
        const sameName = new Account({
          ...sameEmail,
          email: `x${other.email}`,
          username: stored.username.toUpperCase()
        })
        const nameTaken = yield* errorOf(accounts.insert(sameName, null))
        yield* expectEqual([nameTaken._tag, nameTaken.field], ["AlreadyExists", "username"], "username taken")
      })
    },
    {
      name: "changes a password and a profile, leaving what was not given",
      run: Effect.gen(function* () {
        const accounts = yield* AccountRepo
        const stored = yield* Fixtures.account({ phone: "+33 1 23" })
        yield* accounts.setPassword(stored.id, "hash-2")
        yield* accounts.updateProfile(stored.id, { fullName: "Renamed" })
        const after = yield* accounts.findByLogin(stored.email)
        yield* expectEqual(
          Option.map(after, (found) => found.passwordHash),
          Option.some("hash-2"),
          "hash"
        )
        yield* expectEqual(
          Option.map(after, (found) => [found.account.fullName, found.account.phone]),
          Option.some(["Renamed", "+33 1 23"]),
          "profile after a new name"
        )
        yield* accounts.updateProfile(stored.id, { phone: null })
        yield* expectEqual(
          Option.map(yield* accounts.findById(stored.id), (found) => [found.fullName, found.phone]),
          Option.some(["Renamed", null]),
          "profile after clearing the phone"
        )
      })
    },
    {
      name: "an org's slug is unique; its updates compare-and-set on the version",
      run: Effect.gen(function* () {
        const orgs = yield* OrgRepo
        const stored = yield* Fixtures.org()
        const taken = yield* errorOf(orgs.insert(new Organization({ ...stored, id: yield* nextId(OrgId) })))
        yield* expectEqual([taken._tag, taken.field], ["AlreadyExists", "slug"], "slug taken")
        const renamed = yield* orgs.update(stored.id, 1, { name: "Renamed" })
        yield* expectEqual(
          [renamed.name, renamed.timezone, renamed.version],
          ["Renamed", "Europe/Paris", 2],
          "renamed"
        )
        const stale = yield* errorOf(orgs.update(stored.id, 1, { name: "Again" }))
        yield* expectEqual([stale._tag, stale.expectedVersion], ["PreconditionFailed", 1], "stale version")
        const blind = yield* orgs.update(stored.id, undefined, { timezone: "UTC" })
        yield* expectEqual(
          [blind.name, blind.timezone, blind.version],
          ["Renamed", "UTC", 3],
          "without a version"
        )
        const missing = yield* errorOf(orgs.update(yield* nextId(OrgId), undefined, { name: "x" }))
        yield* expectEqual(missing._tag, "NotFound", "unknown org")
        yield* expectEqual(yield* orgs.findById(stored.id), Option.some(blind), "findById")
      })
    },
    {
      name: "an account's orgs are its live, active memberships, by org name",
      run: Effect.gen(function* () {
        const orgs = yield* OrgRepo
        const members = yield* MembershipRepo
        const person = yield* Fixtures.account()
        const [b, a, suspended, removed] = [
          yield* Fixtures.org("B org"),
          yield* Fixtures.org("A org"),
          yield* Fixtures.org("C org"),
          yield* Fixtures.org("D org")
        ]
        yield* Fixtures.join(b.id, person.id, "member")
        yield* Fixtures.join(a.id, person.id, "owner")
        yield* Fixtures.join(suspended.id, person.id, "member")
        yield* Fixtures.join(removed.id, person.id, "member")
        yield* Effect.orDie(members.setActive(suspended.id, person.id, 1, false))
        yield* Effect.orDie(
          members.remove(removed.id, person.id, 1, DateTime.makeUnsafe(Date.UTC(2030, 1, 1)))
        )
        const listed = yield* orgs.listForAccount(person.id)
        yield* expectEqual(
          listed.map((entry) => [entry.org.id, entry.role]),
          [
            [a.id, "owner"],
            [b.id, "member"]
          ],
          "orgs"
        )
      })
    },
    {
      name: "a membership joins once; suspended it is found only inactive; removed it can join again",
      run: Effect.gen(function* () {
        const members = yield* MembershipRepo
        const person = yield* Fixtures.account({ name: "Grace" })
        const org = yield* Fixtures.org()
        const joined = yield* Fixtures.join(org.id, person.id, "technician", { skills: ["weld"] })
        yield* expectEqual(
          [joined.email, joined.role, joined.skills, joined.isActive, joined.version],
          [person.email, "technician", ["weld"], true, 1],
          "the new member"
        )
        const twice = yield* errorOf(
          members.insert({
            orgId: org.id,
            accountId: person.id,
            role: "member",
            skills: [],
            tags: [],
            at: DateTime.nowUnsafe()
          })
        )
        yield* expectEqual(twice._tag, "AlreadyExists", "joining twice")
        const suspended = yield* Effect.orDie(members.setActive(org.id, person.id, 1, false))
        yield* expectEqual([suspended.isActive, suspended.version], [false, 2], "suspended")
        yield* expectEqual(
          Option.isNone(yield* members.find(org.id, person.id)),
          true,
          "find a suspended member"
        )
        yield* expectEqual(
          Option.map(yield* members.findInactiveToo(org.id, person.id), (m) => m.isActive),
          Option.some(false),
          "findInactiveToo"
        )
        const stale = yield* errorOf(members.update(org.id, person.id, 1, { role: "admin" }))
        yield* expectEqual(stale._tag, "PreconditionFailed", "a stale update")
        const promoted = yield* Effect.orDie(
          members.update(org.id, person.id, 2, { role: "admin", tags: ["night"] })
        )
        yield* expectEqual(
          [promoted.role, promoted.skills, promoted.tags, promoted.version],
          ["admin", ["weld"], ["night"], 3],
          "updated"
        )
        yield* Effect.orDie(members.remove(org.id, person.id, 3, DateTime.makeUnsafe(Date.UTC(2030, 1, 1))))
        yield* expectEqual(
          Option.isNone(yield* members.findInactiveToo(org.id, person.id)),
          true,
          "a removed member"
        )
        const gone = yield* errorOf(members.update(org.id, person.id, undefined, { role: "member" }))
        yield* expectEqual(gone._tag, "NotFound", "updating a removed member")
        const back = yield* Fixtures.join(org.id, person.id, "member", { at: Date.UTC(2031, 0, 1) })
        yield* expectEqual([back.role, back.skills, back.isActive], ["member", [], true], "joined again")
        yield* expectEqual(back.version > 3, true, "a version past the removed one")
      })
    },
    {
      name: "lists an org's live members by join date, filtered, in pages that see each once",
      run: Effect.gen(function* () {
        const members = yield* MembershipRepo
        const org = yield* Fixtures.org()
        const joined: Array<string> = []
        for (let i = 0; i < 7; i++) {
          const person = yield* Fixtures.account({ name: i === 3 ? "Zelda" : "user" })
          yield* Fixtures.join(org.id, person.id, i % 2 === 0 ? "technician" : "member", {
            at: Date.UTC(2030, 0, 1, i),
            skills: i < 2 ? ["weld"] : [],
            tags: i === 5 ? ["night"] : []
          })
          joined.push(person.id)
        }
        const leaver = yield* Fixtures.account()
        yield* Fixtures.join(org.id, leaver.id, "member")
        yield* Effect.orDie(
          members.remove(org.id, leaver.id, undefined, DateTime.makeUnsafe(Date.UTC(2030, 1, 1)))
        )
        yield* Fixtures.join((yield* Fixtures.org()).id, (yield* Fixtures.account()).id, "member")
        const seen: Array<string> = []
        let cursor: string | undefined
        do {
          const page = yield* Effect.orDie(members.list(org.id, { limit: 3, cursor }))
          seen.push(...page.items.map((member) => member.accountId))
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        yield* expectEqual(seen, joined, "every live member once, by join date")
        const ids = (query: Parameters<MembershipRepo["Service"]["list"]>[1]) =>
          Effect.map(Effect.orDie(members.list(org.id, query)), (page) => page.items.map((m) => m.accountId))
        yield* expectEqual(
          yield* ids({ limit: 10, roles: ["member"] }),
          [joined[1], joined[3], joined[5]],
          "by role"
        )
        yield* expectEqual(yield* ids({ limit: 10, q: " zELDa " }), [joined[3]], "by text")
        yield* expectEqual(yield* ids({ limit: 10, skill: "weld" }), [joined[0], joined[1]], "by skill")
        yield* expectEqual(yield* ids({ limit: 10, tag: "night" }), [joined[5]], "by tag")
      })
    },
    {
      name: "names an org's active owners and the clients who hold a phone",
      run: Effect.gen(function* () {
        const members = yield* MembershipRepo
        const org = yield* Fixtures.org()
        const owners = [yield* Fixtures.account(), yield* Fixtures.account()]
        for (const owner of owners) yield* Fixtures.join(org.id, owner.id, "owner")
        const client = yield* Fixtures.account({ phone: "+33 6 12-34" })
        yield* Fixtures.join(org.id, client.id, "member")
        const staff = yield* Fixtures.account({ phone: "+33612 34" })
        yield* Fixtures.join(org.id, staff.id, "technician")
        yield* expectEqual(yield* members.lockOwners(org.id), owners.map((o) => o.id).sort(), "owners")
        yield* expectEqual(
          yield* members.lockClientPhone(org.id, "+3361234"),
          [client.id],
          "clients with the phone"
        )
        yield* expectEqual(yield* members.lockClientPhone(org.id, "3361234"), [], "without the plus")
      })
    }
  ]
}
