/**
 * The `MembershipRepo` port on the {@link MemoryDatabase}: memberships joined to their accounts,
 * removed ones kept until the account joins again, changes compare-and-set on the version, lists
 * in keyset pages by join date, as on PostgreSQL (the same `AccountReposContract` holds both to it).
 * The locks PostgreSQL takes (owners, client phones) are the transaction itself here: memory
 * transactions run one at a time.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option, Result } from "effect"
import { normalizePhone } from "../identity/Account.ts"
import { type MemberQuery, MembershipRepo } from "../identity/IdentityRepos.ts"
import type { EmploymentType, Member } from "../identity/Membership.ts"
import { AlreadyExists, NotFound, PreconditionFailed } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { Role } from "../kernel/Role.ts"
import { attempt, MemoryDatabase, put } from "./MemoryDatabase.ts"
import {
  type AccountRow,
  accounts,
  type MembershipRow,
  memberOf,
  membershipKey,
  memberships
} from "./MemoryIdentityTables.ts"
import { pageOf } from "./MemoryPages.ts"

type Memberships = ReadonlyMap<string, MembershipRow>

const live = (row: MembershipRow | undefined): row is MembershipRow =>
  row !== undefined && row.deletedAt === null

const contains = (text: string, q: string) => text.toLowerCase().includes(q.toLowerCase())

const matches = (member: Member, orgId: OrgId, query: MemberQuery): boolean => {
  const q = query.q?.trim()
  return (
    member.orgId === orgId &&
    (!query.roles?.length || query.roles.includes(member.role)) &&
    (q === undefined ||
      q === "" ||
      [member.fullName, member.email, member.username].some((text) => contains(text, q))) &&
    (query.skill === undefined || member.skills.includes(query.skill)) &&
    (query.tag === undefined || member.tags.includes(query.tag))
  )
}

const memberFrom =
  (database: MemoryDatabase["Service"]) =>
  (row: MembershipRow): Effect.Effect<Member> =>
    Effect.map(database.read(accounts), (table) => Option.getOrThrow(memberOf(row, table)))

const inserter = (
  database: MemoryDatabase["Service"],
  asMember: (row: MembershipRow) => Effect.Effect<Member>
) =>
  Effect.fn("MemoryMembershipRepo.insert")(function* (membership: {
    readonly orgId: OrgId
    readonly accountId: AccountId
    readonly role: Role
    readonly skills: ReadonlyArray<string>
    readonly tags: ReadonlyArray<string>
    readonly employmentType?: EmploymentType | null | undefined
    readonly at: DateTime.Utc
  }) {
    const key = membershipKey(membership.orgId, membership.accountId)
    const row = yield* attempt(
      database,
      memberships,
      (table): Result.Result<readonly [MembershipRow, Memberships], AlreadyExists> => {
        const before = table.get(key)
        // A removed membership comes back as a new one; a live one is left alone.
        if (before !== undefined && before.deletedAt === null)
          return Result.fail(new AlreadyExists({ entity: "member", field: "accountId" }))
        const after: MembershipRow = {
          orgId: membership.orgId,
          accountId: membership.accountId,
          role: membership.role,
          skills: membership.skills,
          tags: membership.tags,
          employmentType: membership.employmentType ?? null,
          isActive: true,
          version: before === undefined ? 1 : before.version + 1,
          createdAt: membership.at,
          deletedAt: null
        }
        return Result.succeed([after, put(table, key, after)])
      }
    )
    return yield* asMember(row)
  })

const lister = (database: MemoryDatabase["Service"]) =>
  Effect.fn("MemoryMembershipRepo.list")(function* (orgId: OrgId, query: MemberQuery) {
    const accountRows = yield* database.read(accounts)
    const members = [...(yield* database.read(memberships)).values()]
      .filter(live)
      .flatMap((row) => Option.toArray(memberOf(row, accountRows)))
      .filter((member) => matches(member, orgId, query))
    return yield* pageOf(members, {
      positionOf: (member) => [DateTime.toEpochMillis(member.createdAt), member.accountId],
      direction: "asc",
      limit: query.limit,
      cursor: query.cursor
    })
  })

// Compare-and-set on a live membership; when nothing changed, says whether it is gone or stale.
const changer =
  (database: MemoryDatabase["Service"], asMember: (row: MembershipRow) => Effect.Effect<Member>) =>
  (
    orgId: OrgId,
    accountId: AccountId,
    expectedVersion: number | undefined,
    f: (row: MembershipRow) => Partial<MembershipRow>
  ) =>
    Effect.flatMap(
      attempt(
        database,
        memberships,
        (table): Result.Result<readonly [MembershipRow, Memberships], NotFound | PreconditionFailed> => {
          const row = table.get(membershipKey(orgId, accountId))
          if (!live(row)) return Result.fail(new NotFound({ entity: "member", id: accountId }))
          if (expectedVersion !== undefined && row.version !== expectedVersion)
            return Result.fail(new PreconditionFailed({ entity: "member", id: accountId, expectedVersion }))
          const after: MembershipRow = { ...row, ...f(row), version: row.version + 1 }
          return Result.succeed([after, put(table, membershipKey(orgId, accountId), after)])
        }
      ),
      asMember
    )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MembershipRepo, never, MemoryDatabase> = Layer.effect(
  MembershipRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    const asMember = memberFrom(database)

    const change = changer(database, asMember)

    const insert = inserter(database, asMember)

    const findWhere = (orgId: OrgId, accountId: AccountId, usable: (member: Member) => boolean) =>
      Effect.gen(function* () {
        const row = (yield* database.read(memberships)).get(membershipKey(orgId, accountId))
        if (!live(row)) return Option.none<Member>()
        return Option.filter(memberOf(row, yield* database.read(accounts)), usable)
      })

    const list = lister(database)

    const liveOfOrg = (orgId: OrgId) =>
      Effect.map(database.read(memberships), (table) =>
        [...table.values()].filter((row) => row.orgId === orgId && live(row))
      )

    const clientsWithPhone =
      (accountRows: ReadonlyMap<string, AccountRow>, normalized: string) => (row: MembershipRow) => {
        const phone = accountRows.get(row.accountId)?.account.phone
        return row.role === "member" && phone != null && normalizePhone(phone) === normalized
      }

    return MembershipRepo.of({
      insert,
      find: Effect.fn("MemoryMembershipRepo.find")((orgId, accountId) =>
        findWhere(orgId, accountId, (member) => member.isActive)
      ),
      findInactiveToo: Effect.fn("MemoryMembershipRepo.findInactiveToo")((orgId, accountId) =>
        findWhere(orgId, accountId, () => true)
      ),
      setActive: Effect.fn("MemoryMembershipRepo.setActive")((orgId, accountId, expectedVersion, isActive) =>
        change(orgId, accountId, expectedVersion, () => ({ isActive }))
      ),
      list,
      update: Effect.fn("MemoryMembershipRepo.update")((orgId, accountId, expectedVersion, changes) =>
        change(orgId, accountId, expectedVersion, () => ({
          ...(changes.role === undefined ? {} : { role: changes.role }),
          ...(changes.skills === undefined ? {} : { skills: changes.skills }),
          ...(changes.tags === undefined ? {} : { tags: changes.tags }),
          ...(changes.employmentType === undefined ? {} : { employmentType: changes.employmentType })
        }))
      ),
      remove: Effect.fn("MemoryMembershipRepo.remove")((orgId, accountId, expectedVersion, at) =>
        change(orgId, accountId, expectedVersion, () => ({ deletedAt: at, isActive: false }))
      ),
      lockOwners: Effect.fn("MemoryMembershipRepo.lockOwners")((orgId) =>
        Effect.map(liveOfOrg(orgId), (rows) =>
          rows
            .filter((row) => row.role === "owner" && row.isActive)
            .map((row) => row.accountId)
            .sort()
        )
      ),
      lockClientPhone: Effect.fn("MemoryMembershipRepo.lockClientPhone")(function* (
        orgId: OrgId,
        normalizedPhone: string
      ) {
        const accountRows = yield* database.read(accounts)
        return (yield* liveOfOrg(orgId))
          .filter(clientsWithPhone(accountRows, normalizedPhone))
          .map((row) => row.accountId)
          .sort()
      })
    })
  })
)
