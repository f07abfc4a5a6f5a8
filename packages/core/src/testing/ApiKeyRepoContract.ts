/**
 * The contract of every `ApiKeyRepo` adapter: an org's keys found and listed (oldest first, in
 * keyset pages, revoked ones included) and never another org's; revocation kept at its first
 * instant; a key resolved by id with its secret's hash and its creator's current role, which is
 * `null` once the creator left the org, was suspended in it or lost their account; the last use
 * only ever moving forward.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { ApiKey, prefixOf } from "../identity/ApiKey.ts"
import { ApiKeyRepo } from "../identity/ApiKeyRepo.ts"
import type { AccountRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import { type AccountId, ApiKeyId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { encodeCursor } from "../kernel/Pagination.ts"
import type { Permission } from "../kernel/Permissions.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import * as Fixtures from "./IdentityFixtures.ts"

type Ports = ApiKeyRepo | AccountRepo | OrgRepo | MembershipRepo | Ids

const at = (minute: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 2, 9, minute))

/** A stored key of the org made by `createdBy`, its secret's hash derived from its id. */
const storedKey = (
  orgId: OrgId,
  createdBy: AccountId,
  options: { readonly name?: string; readonly scopes?: ReadonlyArray<Permission> } = {}
) =>
  Effect.gen(function* () {
    const id = yield* nextId(ApiKeyId)
    const key = new ApiKey({
      id,
      orgId,
      name: options.name ?? "ci",
      scopes: options.scopes ?? ["inventory.read"],
      prefix: prefixOf(id),
      createdBy,
      createdAt: DateTime.makeUnsafe(at(0)),
      expiresAt: DateTime.makeUnsafe(Date.UTC(2031, 0, 1)),
      lastUsedAt: null,
      revokedAt: null
    })
    yield* (yield* ApiKeyRepo).insert(key, `hash-${id}`)
    return key
  })

/** An org with a member of `role` in it. */
const orgWithMember = (role: "owner" | "admin" | "manager" = "admin") =>
  Effect.gen(function* () {
    const org = yield* Fixtures.org()
    const person = yield* Fixtures.account()
    yield* Fixtures.join(org.id, person.id, role)
    return { orgId: org.id, accountId: person.id }
  })

const roleOf = (id: ApiKeyId) =>
  Effect.map(
    Effect.flatMap(Effect.service(ApiKeyRepo), (keys) => keys.resolve(id)),
    Option.map((holder) => holder.role)
  )

/**
 * @since 0.1.0
 * @category suites
 */
export const ApiKeyRepoContract: ContractSuite<Ports> = {
  name: "ApiKeyRepo",
  cases: [
    {
      name: "a key is found in its org only, and resolved by id with its secret's hash and its creator's role",
      run: Effect.gen(function* () {
        const keys = yield* ApiKeyRepo
        const { orgId, accountId } = yield* orgWithMember("manager")
        const key = yield* storedKey(orgId, accountId, { scopes: ["inventory.read", "booking.create"] })
        yield* expectEqual(yield* keys.find(orgId, key.id), Option.some(key), "found")
        const other = yield* orgWithMember()
        yield* expectEqual(Option.isNone(yield* keys.find(other.orgId, key.id)), true, "from another org")
        yield* expectEqual(Option.isNone(yield* keys.find(orgId, "not-a-uuid")), true, "a malformed id")
        const holder = yield* keys.resolve(key.id)
        yield* expectEqual(
          Option.map(holder, (found) => [found.key, found.secretHash, found.role] as const),
          Option.some([key, `hash-${key.id}`, "manager"] as const),
          "resolved"
        )
        yield* expectEqual(
          Option.isNone(yield* keys.resolve(yield* nextId(ApiKeyId))),
          true,
          "an unknown key"
        )
      })
    },
    {
      name: "a key's creator has no role once suspended, removed, or without an active account",
      run: Effect.gen(function* () {
        const memberships = yield* MembershipRepo
        const { orgId, accountId } = yield* orgWithMember()
        const key = yield* storedKey(orgId, accountId)
        yield* expectEqual(yield* roleOf(key.id), Option.some("admin"), "a member")
        yield* Effect.orDie(memberships.setActive(orgId, accountId, undefined, false))
        yield* expectEqual(yield* roleOf(key.id), Option.some(null), "suspended")
        yield* Effect.orDie(memberships.setActive(orgId, accountId, undefined, true))
        yield* expectEqual(yield* roleOf(key.id), Option.some("admin"), "restored")
        yield* Effect.orDie(memberships.remove(orgId, accountId, undefined, at(5)))
        yield* expectEqual(yield* roleOf(key.id), Option.some(null), "removed")
        // A creator in another org keeps no role in this one.
        const elsewhere = yield* orgWithMember()
        const stranger = yield* Fixtures.account()
        yield* Fixtures.join(elsewhere.orgId, stranger.id, "owner")
        const foreign = yield* storedKey(orgId, stranger.id)
        yield* expectEqual(yield* roleOf(foreign.id), Option.some(null), "a creator of another org")
        const inactive = yield* Fixtures.account({ isActive: false })
        yield* Fixtures.join(orgId, inactive.id, "admin")
        const dormant = yield* storedKey(orgId, inactive.id)
        yield* expectEqual(yield* roleOf(dormant.id), Option.some(null), "an inactive account")
      })
    },
    {
      name: "revocation keeps its first instant and touches only the key's own org",
      run: Effect.gen(function* () {
        const keys = yield* ApiKeyRepo
        const { orgId, accountId } = yield* orgWithMember()
        const key = yield* storedKey(orgId, accountId)
        yield* keys.revoke(yield* nextId(OrgId), key.id, at(1))
        yield* expectEqual(
          Option.map(yield* keys.find(orgId, key.id), (found) => found.revokedAt),
          Option.some(null),
          "revoked from another org"
        )
        yield* keys.revoke(orgId, key.id, at(2))
        yield* keys.revoke(orgId, key.id, at(3))
        const revokedAt = Option.some(DateTime.makeUnsafe(at(2)))
        yield* expectEqual(
          Option.map(yield* keys.find(orgId, key.id), (found) => found.revokedAt),
          revokedAt,
          "revoked twice"
        )
        yield* expectEqual(
          Option.map(yield* keys.resolve(key.id), (found) => found.key.revokedAt),
          revokedAt,
          "resolved revoked"
        )
      })
    },
    {
      name: "the last use moves forward only",
      run: Effect.gen(function* () {
        const keys = yield* ApiKeyRepo
        const { orgId, accountId } = yield* orgWithMember()
        const key = yield* storedKey(orgId, accountId)
        const lastUsed = Effect.map(
          keys.find(orgId, key.id),
          Option.map((found) => found.lastUsedAt)
        )
        yield* keys.touch(key.id, at(10))
        yield* expectEqual(yield* lastUsed, Option.some(DateTime.makeUnsafe(at(10))), "first use")
        yield* keys.touch(key.id, at(4))
        yield* expectEqual(yield* lastUsed, Option.some(DateTime.makeUnsafe(at(10))), "an earlier use")
        yield* keys.touch(key.id, at(20))
        yield* expectEqual(yield* lastUsed, Option.some(DateTime.makeUnsafe(at(20))), "a later use")
      })
    },
    {
      name: "lists the org's keys oldest first in keyset pages, revoked ones included",
      run: Effect.gen(function* () {
        const keys = yield* ApiKeyRepo
        const { orgId, accountId } = yield* orgWithMember()
        const made: Array<ApiKeyId> = []
        for (const n of [0, 1, 2, 3, 4])
          made.push((yield* storedKey(orgId, accountId, { name: `key ${n}` })).id)
        yield* keys.revoke(orgId, made[1]!, at(1))
        const other = yield* orgWithMember()
        yield* storedKey(other.orgId, other.accountId)
        const seen: Array<ApiKeyId> = []
        let cursor: string | undefined
        do {
          const page = yield* keys.list(orgId, { limit: 2, cursor })
          seen.push(...page.items.map((key) => key.id))
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        yield* expectEqual(seen, made, "every key once, oldest first")
        const first = yield* keys.list(orgId, { limit: 5 })
        yield* expectEqual(
          [first.items.length, first.nextCursor, first.items[1]?.revokedAt !== null],
          [5, null, true],
          "one full page"
        )
        const forged = yield* Effect.flip(keys.list(orgId, { limit: 2, cursor: "forged" }))
        yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
        const notAnId = yield* Effect.flip(keys.list(orgId, { limit: 2, cursor: encodeCursor([0, "x"]) }))
        yield* expectEqual(notAnId._tag, "ValidationFailed", "a cursor past no id")
        // Cursors issued before keys paged like the other lists held 0 where the key's id is now.
        const older = yield* Effect.flip(keys.list(orgId, { limit: 2, cursor: encodeCursor([0, made[1]!]) }))
        yield* expectEqual(older._tag, "ValidationFailed", "a cursor of the earlier form")
        const notAKey = yield* Effect.flip(
          keys.list(orgId, { limit: 2, cursor: encodeCursor(["x", made[1]!]) })
        )
        yield* expectEqual(notAKey._tag, "ValidationFailed", "a cursor whose key is no id")
      })
    }
  ]
}
