/**
 * The contract of every adapter of the sign-in ports: `SessionRepo`, `InvitationRepo` and
 * `PasswordResetRepo` (with the account ports, which hold the people they name).
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type { AccountRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { InvitationRepo, MembershipRepo, PasswordResetRepo, SessionRepo } from "../identity/IdentityRepos.ts"
import { defaultSettings } from "../identity/Organization.ts"
import { type Ids, nextId, Uuid } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import * as Fixtures from "./IdentityFixtures.ts"

type Ports = AccountRepo | OrgRepo | MembershipRepo | SessionRepo | InvitationRepo | PasswordResetRepo | Ids

const at = (day: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, day))

const session = (accountId: Fixtures.Stored["id"]) =>
  Effect.gen(function* () {
    const id = yield* nextId(Uuid)
    yield* (yield* SessionRepo).create({ id, accountId, at: at(1) })
    return id
  })

/**
 * @since 0.1.0
 * @category suites
 */
export const SessionReposContract: ContractSuite<Ports> = {
  name: "SessionRepos",
  cases: [
    {
      name: "a refresh token is used once, names its successor, and knows when its session is revoked",
      run: Effect.gen(function* () {
        const sessions = yield* SessionRepo
        const person = yield* Fixtures.account()
        const sessionId = yield* session(person.id)
        const hash = `hash-${yield* nextId(Uuid)}`
        yield* sessions.addRefresh({ hash, sessionId, accountId: person.id, expiresAt: at(30) })
        const fresh = yield* sessions.findRefresh(hash)
        yield* expectEqual(
          Option.map(fresh, (r) => [
            r.sessionId,
            r.accountId,
            DateTime.toEpochMillis(r.expiresAt),
            r.usedAt,
            r.sessionRevoked
          ]),
          Option.some([sessionId, person.id, DateTime.toEpochMillis(at(30)), null, false]),
          "a fresh token"
        )
        yield* expectEqual(yield* sessions.useRefresh(hash, at(2), "next"), true, "first use")
        yield* expectEqual(yield* sessions.useRefresh(hash, at(3)), false, "second use")
        const used = yield* sessions.lockRefresh(hash)
        yield* expectEqual(
          Option.map(used, (r) => [
            r.usedAt === null ? undefined : DateTime.toEpochMillis(r.usedAt),
            r.successorHash
          ]),
          Option.some([DateTime.toEpochMillis(at(2)), "next"]),
          "the used token"
        )
        yield* sessions.revoke(sessionId, at(4))
        yield* expectEqual(
          Option.map(yield* sessions.findRefresh(hash), (r) => r.sessionRevoked),
          Option.some(true),
          "after revocation"
        )
        yield* expectEqual(
          Option.isNone(yield* sessions.findRefresh("no-such-hash")),
          true,
          "an unknown hash"
        )
      })
    },
    {
      name: "a session resolves to its account, with the role and settings of an org it is an active member of",
      run: Effect.gen(function* () {
        const sessions = yield* SessionRepo
        const members = yield* MembershipRepo
        const person = yield* Fixtures.account()
        const [org, other, suspended] = [yield* Fixtures.org(), yield* Fixtures.org(), yield* Fixtures.org()]
        yield* Fixtures.join(org.id, person.id, "manager")
        yield* Fixtures.join(suspended.id, person.id, "manager")
        yield* Effect.orDie(members.setActive(suspended.id, person.id, undefined, false))
        const sessionId = yield* session(person.id)
        const state = (orgId: typeof org.id | undefined) =>
          Effect.map(
            sessions.resolve(sessionId, orgId),
            Option.map((s) => [s.accountId, s.role, s.orgSettings])
          )
        yield* expectEqual(
          yield* state(org.id),
          Option.some([person.id, "manager", defaultSettings]),
          "in its org"
        )
        yield* expectEqual(yield* state(other.id), Option.some([person.id, null, null]), "in another org")
        yield* expectEqual(
          yield* state(suspended.id),
          Option.some([person.id, null, null]),
          "suspended there"
        )
        yield* expectEqual(yield* state(undefined), Option.some([person.id, null, null]), "in no org")
        yield* expectEqual(
          Option.isNone(yield* sessions.resolve("not-a-uuid", org.id)),
          true,
          "a malformed id"
        )
        yield* sessions.revoke(sessionId, at(2))
        yield* expectEqual(Option.isNone(yield* sessions.resolve(sessionId, org.id)), true, "revoked")
        const inactive = yield* Fixtures.account({ isActive: false })
        const dormant = yield* session(inactive.id)
        yield* expectEqual(
          Option.isNone(yield* sessions.resolve(dormant, undefined)),
          true,
          "an inactive account"
        )
      })
    },
    {
      name: "revokeAll ends every session of the account but the one kept",
      run: Effect.gen(function* () {
        const sessions = yield* SessionRepo
        const person = yield* Fixtures.account()
        const [kept, a, b] = [yield* session(person.id), yield* session(person.id), yield* session(person.id)]
        const stranger = yield* session((yield* Fixtures.account()).id)
        yield* sessions.revokeAll(person.id, at(2), kept)
        const live = (id: string) => Effect.map(sessions.resolve(id, undefined), Option.isSome)
        yield* expectEqual(
          [yield* live(kept), yield* live(a), yield* live(b), yield* live(stranger)],
          [true, false, false, true],
          "live sessions"
        )
      })
    },
    {
      name: "an invitation is accepted once, while open; revoked only in its org and only before",
      run: Effect.gen(function* () {
        const invitations = yield* InvitationRepo
        const inviter = yield* Fixtures.account()
        const [org, other] = [yield* Fixtures.org(), yield* Fixtures.org()]
        const invite = (createdAt: DateTime.Utc, expiresAt: DateTime.Utc) =>
          Effect.gen(function* () {
            const id = yield* nextId(Uuid)
            yield* invitations.insert({
              id,
              orgId: org.id,
              email: `${id}@example.test`,
              role: "member",
              profile: { fullName: "Invited", skills: ["weld"] },
              expiresAt,
              acceptedAt: null,
              revokedAt: null,
              createdAt,
              invitedBy: inviter.id
            })
            return id
          })
        const first = yield* invite(at(1), at(10))
        const second = yield* invite(at(2), at(10))
        const expired = yield* invite(at(3), at(4))
        yield* expectEqual(
          (yield* invitations.list(org.id)).map((i) => i.id),
          [expired, second, first],
          "newest first"
        )
        yield* expectEqual((yield* invitations.list(other.id)).length, 0, "another org's")
        yield* expectEqual(
          Option.map(
            yield* invitations.find(first),
            (i): ReadonlyArray<unknown> => [i.role, i.profile, i.acceptedAt]
          ),
          Option.some(["member", { fullName: "Invited", skills: ["weld"] }, null]),
          "found"
        )
        yield* expectEqual(yield* invitations.accept(first, at(5)), true, "accepted")
        yield* expectEqual(yield* invitations.accept(first, at(5)), false, "accepted twice")
        yield* expectEqual(yield* invitations.revoke(org.id, first, at(6)), false, "revoking an accepted one")
        yield* expectEqual(yield* invitations.accept(expired, at(5)), false, "accepting an expired one")
        yield* expectEqual(
          yield* invitations.revoke(other.id, second, at(6)),
          false,
          "revoking from another org"
        )
        yield* expectEqual(yield* invitations.revoke(org.id, second, at(6)), true, "revoked")
        yield* expectEqual(yield* invitations.accept(second, at(7)), false, "accepting a revoked one")
        yield* expectEqual(Option.isNone(yield* invitations.find("not-a-uuid")), true, "a malformed id")
        yield* expectEqual(yield* invitations.accept("not-a-uuid", at(7)), false, "accepting a malformed id")
      })
    },
    {
      name: "a password reset works once, before it expires, and closeAll ends the open ones",
      run: Effect.gen(function* () {
        const resets = yield* PasswordResetRepo
        const person = yield* Fixtures.account()
        const reset = (expiresAt: DateTime.Utc) =>
          Effect.tap(nextId(Uuid), (id) => resets.insert({ id, accountId: person.id, expiresAt }))
        const open = yield* reset(at(10))
        yield* expectEqual(
          Option.map(yield* resets.findOpen(open, at(2)), (r) => [
            r.id,
            r.accountId,
            DateTime.toEpochMillis(r.expiresAt)
          ]),
          Option.some([open, person.id, DateTime.toEpochMillis(at(10))]),
          "an open reset"
        )
        yield* expectEqual(Option.isNone(yield* resets.findOpen(open, at(11))), true, "found after expiry")
        yield* expectEqual(Option.isNone(yield* resets.use(open, at(11))), true, "used after expiry")
        yield* expectEqual(yield* resets.use(open, at(2)), Option.some(person.id), "used")
        yield* expectEqual(Option.isNone(yield* resets.use(open, at(2))), true, "used twice")
        const [a, b] = [yield* reset(at(10)), yield* reset(at(10))]
        yield* resets.closeAll(person.id, at(3))
        yield* expectEqual(
          [Option.isNone(yield* resets.use(a, at(4))), Option.isNone(yield* resets.use(b, at(4)))],
          [true, true],
          "after closeAll"
        )
        yield* expectEqual(Option.isNone(yield* resets.use("not-a-uuid", at(4))), true, "a malformed id")
      })
    }
  ]
}
