import { assert, describe, layer } from "@effect/vitest"
import {
  Account,
  IdentityRepos,
  Ids,
  type Membership,
  Organization,
  type Pagination,
  type Role
} from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { PgIdentityRepos } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const minute = 60_000

const freshId = Effect.flatMap(Effect.service(Ids.Ids), (ids) => ids.next)

// Unique per call, so tests sharing one database never collide on logins or slugs.
const suffix = (id: string) => id.replace(/-/g, "").slice(-12)

const makeAccount = (
  fields: { readonly email?: string; readonly username?: string; readonly fullName?: string } = {}
) =>
  Effect.gen(function* () {
    const id = yield* Ids.nextId(Ids.AccountId)
    const accounts = yield* IdentityRepos.AccountRepo
    const account = new Account.Account({
      id,
      email: fields.email ?? `user-${suffix(id)}@example.com`,
      username: fields.username ?? `user-${suffix(id)}`,
      fullName: fields.fullName ?? `User ${suffix(id)}`,
      phone: null,
      isActive: true,
      createdAt: DateTime.nowUnsafe()
    })
    yield* accounts.insert(account, "hash")
    return account
  })

const makeOrg = (name = "Org") =>
  Effect.gen(function* () {
    const id = yield* Ids.nextId(Ids.OrgId)
    const orgs = yield* IdentityRepos.OrgRepo
    const org = new Organization.Organization({
      id,
      name,
      slug: `org-${suffix(id)}`,
      timezone: "Europe/Paris",
      settings: Organization.defaultSettings,
      version: 1,
      createdAt: DateTime.nowUnsafe()
    })
    yield* orgs.insert(org)
    return org
  })

const join = (
  orgId: Ids.OrgId,
  accountId: Ids.AccountId,
  role: Role.Role,
  profile: {
    readonly skills?: ReadonlyArray<string>
    readonly tags?: ReadonlyArray<string>
    readonly at?: DateTime.Utc
  } = {}
) =>
  Effect.flatMap(IdentityRepos.MembershipRepo, (members) =>
    members.insert({
      orgId,
      accountId,
      role,
      skills: profile.skills ?? [],
      tags: profile.tags ?? [],
      at: profile.at ?? DateTime.nowUnsafe()
    })
  )

const newSession = (accountId: Ids.AccountId) =>
  Effect.gen(function* () {
    const sessions = yield* IdentityRepos.SessionRepo
    const id = yield* freshId
    yield* sessions.create({ id, accountId, at: DateTime.nowUnsafe() })
    return id
  })

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(PgIdentityRepos.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("identity repositories", (it) => {
      it.effect("logins match case-insensitively, by email and by username", () =>
        Effect.gen(function* () {
          const accounts = yield* IdentityRepos.AccountRepo
          const id = yield* Ids.nextId(Ids.AccountId)
          const account = yield* makeAccount({
            email: `Ann.${suffix(id)}@Example.com`,
            username: `Ann_${suffix(id)}`
          })
          const byEmail = yield* accounts.findByLogin(`ann.${suffix(id)}@EXAMPLE.COM`)
          assert.isTrue(Option.isSome(byEmail))
          assert.strictEqual(Option.getOrThrow(byEmail).account.id, account.id)
          assert.strictEqual(Option.getOrThrow(byEmail).passwordHash, "hash")
          const byUsername = yield* accounts.findByLogin(`ANN_${suffix(id)}`)
          assert.strictEqual(Option.getOrThrow(byUsername).account.id, account.id)
          const found = yield* accounts.findByEmail(`ANN.${suffix(id)}@example.com`)
          assert.strictEqual(Option.getOrThrow(found).username, account.username)
          assert.isTrue(Option.isNone(yield* accounts.findByLogin(`nobody-${suffix(id)}`)))
        })
      )

      it.effect("a taken email or username, in any case, is AlreadyExists naming that field", () =>
        Effect.gen(function* () {
          const taken = yield* makeAccount()
          const emailClash = yield* Effect.flip(makeAccount({ email: taken.email.toUpperCase() }))
          assert.deepStrictEqual([emailClash.entity, emailClash.field], ["account", "email"])
          const usernameClash = yield* Effect.flip(makeAccount({ username: taken.username.toUpperCase() }))
          assert.deepStrictEqual([usernameClash.entity, usernameClash.field], ["account", "username"])
        })
      )

      it.effect("profile and password changes are stored", () =>
        Effect.gen(function* () {
          const accounts = yield* IdentityRepos.AccountRepo
          const account = yield* makeAccount()
          yield* accounts.updateProfile(account.id, { fullName: "Renamed", phone: "+33 1 23 45 67 89" })
          yield* accounts.updateProfile(account.id, {})
          yield* accounts.setPassword(account.id, "new-hash")
          const found = Option.getOrThrow(yield* accounts.findByLogin(account.username))
          assert.deepStrictEqual(
            [found.account.fullName, found.account.phone, found.passwordHash],
            ["Renamed", "+33 1 23 45 67 89", "new-hash"]
          )
          yield* accounts.updateProfile(account.id, { phone: null })
          assert.isNull(Option.getOrThrow(yield* accounts.findById(account.id)).phone)
        })
      )

      it.effect("a taken slug is AlreadyExists on the slug", () =>
        Effect.gen(function* () {
          const orgs = yield* IdentityRepos.OrgRepo
          const org = yield* makeOrg()
          const other = new Organization.Organization({ ...org, id: yield* Ids.nextId(Ids.OrgId) })
          const error = yield* Effect.flip(orgs.insert(other))
          assert.deepStrictEqual([error.entity, error.field], ["organization", "slug"])
        })
      )

      it.effect("settings an org never stored read as their defaults, knob by knob", () =>
        Effect.gen(function* () {
          const orgs = yield* IdentityRepos.OrgRepo
          const sql = yield* SqlClient.SqlClient
          const org = yield* makeOrg()
          // As an org created before `priorityWeights` and `fine.currency` existed would have them.
          const stored = JSON.stringify({ offerTtlMinutes: 30, fine: { perHourLate: 5 } })
          yield* sql`UPDATE organizations SET settings = ${stored}::jsonb WHERE id = ${org.id}`
          const settings = Option.getOrThrow(yield* orgs.findById(org.id)).settings
          assert.strictEqual(settings.offerTtlMinutes, 30)
          assert.deepStrictEqual(settings.fine, { perHourLate: 5, currency: "EUR" })
          assert.deepStrictEqual(settings.priorityWeights, Organization.defaultSettings.priorityWeights)
          assert.deepStrictEqual(settings.autoApprove, Organization.defaultSettings.autoApprove)
        })
      )

      it.effect("org update is compare-and-set: stale version fails, unknown org is not found", () =>
        Effect.gen(function* () {
          const orgs = yield* IdentityRepos.OrgRepo
          const org = yield* makeOrg()
          const settings = { ...Organization.defaultSettings, lateGraceMinutes: 0 }
          const updated = yield* orgs.update(org.id, 1, { name: "Renamed", settings })
          assert.deepStrictEqual(
            [updated.name, updated.version, updated.timezone],
            ["Renamed", 2, "Europe/Paris"]
          )
          assert.strictEqual(Option.getOrThrow(yield* orgs.findById(org.id)).settings.lateGraceMinutes, 0)
          const stale = yield* Effect.flip(orgs.update(org.id, 1, { name: "Late" }))
          assert.strictEqual(stale._tag, "PreconditionFailed")
          const missing = yield* Effect.flip(orgs.update(yield* Ids.nextId(Ids.OrgId), 1, { name: "x" }))
          assert.strictEqual(missing._tag, "NotFound")
        })
      )

      it.effect("listForAccount lists live memberships only, by org name, with the role", () =>
        Effect.gen(function* () {
          const orgs = yield* IdentityRepos.OrgRepo
          const members = yield* IdentityRepos.MembershipRepo
          const account = yield* makeAccount()
          const zeta = yield* makeOrg("Zeta")
          const alpha = yield* makeOrg("Alpha")
          const left = yield* makeOrg("Left")
          yield* join(zeta.id, account.id, "member")
          yield* join(alpha.id, account.id, "admin")
          const gone = yield* join(left.id, account.id, "owner")
          yield* members.remove(left.id, account.id, gone.version, DateTime.nowUnsafe())
          const listed = yield* orgs.listForAccount(account.id)
          assert.deepStrictEqual(
            listed.map(({ org, role }) => [org.name, role]),
            [
              ["Alpha", "admin"],
              ["Zeta", "member"]
            ]
          )
        })
      )

      it.effect("a membership lives: insert, find, CAS update, remove, then insert re-activates it", () =>
        Effect.gen(function* () {
          const members = yield* IdentityRepos.MembershipRepo
          const account = yield* makeAccount({ fullName: "Bea Member" })
          const org = yield* makeOrg()
          const inserted = yield* join(org.id, account.id, "member", { skills: ["weld"], tags: ["night"] })
          assert.deepStrictEqual(
            [inserted.role, inserted.version, inserted.fullName, inserted.email, inserted.isActive],
            ["member", 1, "Bea Member", account.email, true]
          )
          assert.deepStrictEqual([inserted.skills, inserted.tags], [["weld"], ["night"]])
          const duplicate = yield* Effect.flip(join(org.id, account.id, "admin"))
          assert.deepStrictEqual([duplicate.entity, duplicate.field], ["member", "accountId"])

          const found = yield* members.find(org.id, account.id)
          assert.strictEqual(Option.getOrThrow(found).role, "member")

          const updated = yield* members.update(org.id, account.id, 1, { role: "technician", skills: [] })
          assert.deepStrictEqual(
            [updated.role, updated.version, updated.skills, updated.tags],
            ["technician", 2, [], ["night"]]
          )
          const stale = yield* Effect.flip(members.update(org.id, account.id, 1, { role: "admin" }))
          assert.strictEqual(stale._tag, "PreconditionFailed")
          const otherOrg = yield* Effect.flip(
            members.update(yield* Ids.nextId(Ids.OrgId), account.id, 2, { role: "admin" })
          )
          assert.strictEqual(otherOrg._tag, "NotFound")

          const removed = yield* members.remove(org.id, account.id, 2, DateTime.nowUnsafe())
          assert.deepStrictEqual([removed.version, removed.isActive], [3, false])
          assert.isTrue(Option.isNone(yield* members.find(org.id, account.id)))
          const again = yield* Effect.flip(members.remove(org.id, account.id, 3, DateTime.nowUnsafe()))
          assert.strictEqual(again._tag, "NotFound")

          const back = yield* join(org.id, account.id, "manager", { tags: ["day"] })
          assert.deepStrictEqual(
            [back.role, back.version, back.isActive, back.skills, back.tags],
            ["manager", 4, true, [], ["day"]]
          )
          assert.strictEqual(Option.getOrThrow(yield* members.find(org.id, account.id)).role, "manager")
        })
      )

      it.effect("find ignores members whose account is deactivated", () =>
        Effect.gen(function* () {
          const members = yield* IdentityRepos.MembershipRepo
          const sql = yield* SqlClient.SqlClient
          const account = yield* makeAccount()
          const org = yield* makeOrg()
          yield* join(org.id, account.id, "member")
          yield* sql`UPDATE accounts SET is_active = false WHERE id = ${account.id}`
          assert.isTrue(Option.isNone(yield* members.find(org.id, account.id)))
        })
      )

      it.effect(
        "member listing pages through 25 members once each and filters by role, text, skill, tag",
        () =>
          Effect.gen(function* () {
            const members = yield* IdentityRepos.MembershipRepo
            const org = yield* makeOrg()
            const base = Date.now()
            const roles: ReadonlyArray<Role.Role> = ["member", "technician", "manager", "admin", "owner"]
            for (let i = 0; i < 25; i++) {
              const account = yield* makeAccount({ fullName: i === 7 ? "Zoé 100% Sure" : `Person ${i}` })
              // Three members share each start time, so the account id must break ties.
              yield* join(org.id, account.id, roles[i % 5]!, {
                skills: i % 2 === 0 ? ["weld"] : ["paint"],
                tags: i % 3 === 0 ? ["night"] : [],
                at: DateTime.makeUnsafe(base + Math.floor(i / 3) * 1000)
              })
            }
            const removed = yield* makeAccount({ fullName: "Person removed" })
            const gone = yield* join(org.id, removed.id, "member", { skills: ["weld"] })
            yield* members.remove(org.id, removed.id, gone.version, DateTime.nowUnsafe())
            // Another org's member never shows.
            yield* join((yield* makeOrg()).id, (yield* makeAccount()).id, "member", { skills: ["weld"] })

            const all = (query: Omit<IdentityRepos.MemberQuery, "limit" | "cursor">) =>
              Effect.gen(function* () {
                const seen: Array<string> = []
                let cursor: string | null = null
                do {
                  const page: Pagination.Page<Membership.Member> = yield* members.list(org.id, {
                    ...query,
                    limit: 4,
                    ...(cursor === null ? {} : { cursor })
                  })
                  seen.push(...page.items.map((member) => member.accountId))
                  cursor = page.nextCursor
                } while (cursor !== null)
                return seen
              })

            const everyone = yield* all({})
            assert.strictEqual(everyone.length, 25)
            assert.strictEqual(new Set(everyone).size, 25)
            assert.strictEqual((yield* all({ roles: ["owner", "admin"] })).length, 10)
            assert.strictEqual((yield* all({ skill: "weld" })).length, 13)
            assert.strictEqual((yield* all({ tag: "night" })).length, 9)
            assert.strictEqual((yield* all({ skill: "weld", tag: "night" })).length, 5)
            assert.strictEqual((yield* all({ q: "person 1" })).length, 11)
            assert.strictEqual((yield* all({ q: "PERSON 2" })).length, 6)
            assert.strictEqual((yield* all({ q: "%" })).length, 1)
            assert.strictEqual((yield* all({ q: "0%" })).length, 1)
            assert.strictEqual((yield* all({ q: "_" })).length, 0)
            assert.strictEqual((yield* all({ q: "example.com" })).length, 25)
          })
      )

      it.effect("lockOwners answers the org's live owners", () =>
        Effect.gen(function* () {
          const members = yield* IdentityRepos.MembershipRepo
          const sql = yield* SqlClient.SqlClient
          const org = yield* makeOrg()
          const first = yield* makeAccount()
          const second = yield* makeAccount()
          const removed = yield* makeAccount()
          const admin = yield* makeAccount()
          yield* join(org.id, first.id, "owner")
          yield* join(org.id, second.id, "owner")
          const gone = yield* join(org.id, removed.id, "owner")
          yield* members.remove(org.id, removed.id, gone.version, DateTime.nowUnsafe())
          yield* join(org.id, admin.id, "admin")
          const owners = yield* sql.withTransaction(members.lockOwners(org.id))
          assert.deepStrictEqual([...owners].sort(), [first.id, second.id].sort())
        })
      )

      it.effect("a refresh token is used once: the second useRefresh is false", () =>
        Effect.gen(function* () {
          const sessions = yield* IdentityRepos.SessionRepo
          const account = yield* makeAccount()
          const sessionId = yield* newSession(account.id)
          const hash = `hash-${sessionId}`
          const expiresAt = DateTime.makeUnsafe(Date.now() + 60 * minute)
          yield* sessions.addRefresh({ hash, sessionId, accountId: account.id, expiresAt })
          const fresh = Option.getOrThrow(yield* sessions.findRefresh(hash))
          assert.deepStrictEqual(fresh, {
            sessionId,
            accountId: account.id,
            expiresAt,
            usedAt: null,
            successorHash: null,
            sessionRevoked: false
          })
          const at = DateTime.nowUnsafe()
          assert.isTrue(yield* sessions.useRefresh(hash, at, "successor"))
          assert.isFalse(yield* sessions.useRefresh(hash, DateTime.nowUnsafe(), "another"))
          const used = Option.getOrThrow(yield* sessions.findRefresh(hash))
          assert.deepStrictEqual([used.usedAt, used.successorHash], [at, "successor"])
          yield* sessions.revoke(sessionId, DateTime.nowUnsafe())
          assert.isTrue(Option.getOrThrow(yield* sessions.findRefresh(hash)).sessionRevoked)
          assert.isTrue(Option.isNone(yield* sessions.findRefresh("unknown")))
        })
      )

      it.effect("two concurrent uses of one refresh token: exactly one wins", () =>
        Effect.gen(function* () {
          const sessions = yield* IdentityRepos.SessionRepo
          const account = yield* makeAccount()
          const sessionId = yield* newSession(account.id)
          for (let round = 0; round < 5; round++) {
            const hash = `race-${round}-${sessionId}`
            yield* sessions.addRefresh({
              hash,
              sessionId,
              accountId: account.id,
              expiresAt: DateTime.makeUnsafe(Date.now() + minute)
            })
            const results = yield* Effect.all(
              [
                sessions.useRefresh(hash, DateTime.nowUnsafe()),
                sessions.useRefresh(hash, DateTime.nowUnsafe())
              ],
              { concurrency: "unbounded" }
            )
            assert.strictEqual(results.filter((won) => won).length, 1)
          }
        })
      )

      it.effect("revoke and revokeAll(except) end sessions; the kept one still resolves", () =>
        Effect.gen(function* () {
          const sessions = yield* IdentityRepos.SessionRepo
          const account = yield* makeAccount()
          const stranger = yield* makeAccount()
          const revoked = yield* newSession(account.id)
          const kept = yield* newSession(account.id)
          const others = [yield* newSession(account.id), yield* newSession(account.id)]
          const strangers = yield* newSession(stranger.id)
          yield* sessions.revoke(revoked, DateTime.nowUnsafe())
          assert.isTrue(Option.isNone(yield* sessions.resolve(revoked, undefined)))
          yield* sessions.revokeAll(account.id, DateTime.nowUnsafe(), kept)
          for (const id of others) assert.isTrue(Option.isNone(yield* sessions.resolve(id, undefined)))
          assert.deepStrictEqual(Option.getOrThrow(yield* sessions.resolve(kept, undefined)), {
            accountId: account.id,
            role: null,
            orgSettings: null
          })
          assert.isTrue(Option.isSome(yield* sessions.resolve(strangers, undefined)))
          yield* sessions.revokeAll(account.id, DateTime.nowUnsafe())
          assert.isTrue(Option.isNone(yield* sessions.resolve(kept, undefined)))
          assert.isTrue(Option.isNone(yield* sessions.resolve("not-a-uuid", undefined)))
        })
      )

      it.effect(
        "resolve gives the role in the org asked, null elsewhere, nothing for an inactive account",
        () =>
          Effect.gen(function* () {
            const sessions = yield* IdentityRepos.SessionRepo
            const members = yield* IdentityRepos.MembershipRepo
            const sql = yield* SqlClient.SqlClient
            const account = yield* makeAccount()
            const org = yield* makeOrg()
            const other = yield* makeOrg()
            const left = yield* makeOrg()
            yield* join(org.id, account.id, "manager")
            yield* join(other.id, (yield* makeAccount()).id, "owner")
            const gone = yield* join(left.id, account.id, "admin")
            yield* members.remove(left.id, account.id, gone.version, DateTime.nowUnsafe())
            const sessionId = yield* newSession(account.id)
            const role = (orgId: Ids.OrgId | undefined) =>
              Effect.map(sessions.resolve(sessionId, orgId), (state) => Option.getOrThrow(state).role)
            assert.strictEqual(yield* role(org.id), "manager")
            // The org's settings come with the role, and only to a member.
            const settingsIn = (orgId: Ids.OrgId) =>
              Effect.map(sessions.resolve(sessionId, orgId), (state) => Option.getOrThrow(state).orgSettings)
            assert.deepStrictEqual(yield* settingsIn(org.id), org.settings)
            assert.isNull(yield* settingsIn(other.id))
            assert.isNull(yield* role(other.id))
            assert.isNull(yield* role(left.id))
            assert.isNull(yield* role(undefined))
            yield* sql`UPDATE accounts SET is_active = false WHERE id = ${account.id}`
            assert.isTrue(Option.isNone(yield* sessions.resolve(sessionId, org.id)))
          })
      )

      it.effect(
        "an invitation is accepted once, never after it expires, can be revoked while open, and keeps the typed profile",
        () =>
          Effect.gen(function* () {
            const invitations = yield* IdentityRepos.InvitationRepo
            const inviter = yield* makeAccount()
            const org = yield* makeOrg()
            const now = Date.now()
            const invite = (expiresAt: DateTime.Utc) =>
              Effect.gen(function* () {
                const id = yield* freshId
                const record: IdentityRepos.InvitationRecord = {
                  id,
                  orgId: org.id,
                  email: `guest-${suffix(id)}@example.com`,
                  role: "technician",
                  profile: { fullName: "Guest", phone: "+33 1 23", skills: ["brakes"], tags: [] },
                  expiresAt,
                  acceptedAt: null,
                  revokedAt: null,
                  createdAt: DateTime.makeUnsafe(now)
                }
                yield* invitations.insert({ ...record, invitedBy: inviter.id })
                return record
              })
            const open = yield* invite(DateTime.makeUnsafe(now + 60 * minute))
            assert.deepStrictEqual(Option.getOrThrow(yield* invitations.find(open.id)), open)
            const at = DateTime.makeUnsafe(now + minute)
            assert.isTrue(yield* invitations.accept(open.id, at))
            assert.isFalse(yield* invitations.accept(open.id, at))
            assert.deepStrictEqual(Option.getOrThrow(yield* invitations.find(open.id)).acceptedAt, at)
            assert.isFalse(yield* invitations.revoke(org.id, open.id, at))

            const expired = yield* invite(DateTime.makeUnsafe(now + minute))
            assert.isFalse(yield* invitations.accept(expired.id, DateTime.makeUnsafe(now + 2 * minute)))

            const revoked = yield* invite(DateTime.makeUnsafe(now + 60 * minute))
            assert.isFalse(yield* invitations.revoke(yield* Ids.nextId(Ids.OrgId), revoked.id, at))
            assert.isTrue(yield* invitations.revoke(org.id, revoked.id, at))
            assert.isFalse(yield* invitations.revoke(org.id, revoked.id, at))
            assert.isFalse(yield* invitations.accept(revoked.id, at))

            const listed = yield* invitations.list(org.id)
            assert.deepStrictEqual(
              listed.map((record) => record.id).sort(),
              [open.id, expired.id, revoked.id].sort()
            )
            assert.isTrue(Option.isNone(yield* invitations.find("not-a-uuid")))
          })
      )

      it.effect("a password reset is used once, and never once expired", () =>
        Effect.gen(function* () {
          const resets = yield* IdentityRepos.PasswordResetRepo
          const account = yield* makeAccount()
          const now = Date.now()
          const id = yield* freshId
          yield* resets.insert({
            id,
            accountId: account.id,
            expiresAt: DateTime.makeUnsafe(now + 30 * minute)
          })
          assert.deepStrictEqual(yield* resets.use(id, DateTime.makeUnsafe(now)), Option.some(account.id))
          assert.isTrue(Option.isNone(yield* resets.use(id, DateTime.makeUnsafe(now))))
          const expired = yield* freshId
          yield* resets.insert({
            id: expired,
            accountId: account.id,
            expiresAt: DateTime.makeUnsafe(now + minute)
          })
          assert.isTrue(Option.isNone(yield* resets.use(expired, DateTime.makeUnsafe(now + 2 * minute))))
          assert.isTrue(Option.isNone(yield* resets.use("not-a-uuid", DateTime.makeUnsafe(now))))
        })
      )
    })
  })
}
