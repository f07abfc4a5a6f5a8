/**
 * Memberships on PostgreSQL: who belongs to which org with which role, keyset-paged.
 *
 * @since 0.1.0
 */
import { Errors, IdentityRepos, Ids, Membership, Role } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import { decodeAccountIds, setPrefix, versionGuard } from "./IdentitySql.ts"
import * as Keyset from "./Keyset.ts"
import * as SessionCache from "./SessionCache.ts"
import * as TextSearch from "./TextSearch.ts"

const MemberRow = Schema.Struct({
  org_id: Schema.String,
  account_id: Schema.String,
  role: Role.Role,
  email: Schema.String,
  username: Schema.String,
  full_name: Schema.String,
  phone: Schema.NullOr(Schema.String),
  skills: Schema.Array(Schema.String),
  tags: Schema.Array(Schema.String),
  employment_type: Schema.NullOr(Membership.EmploymentType),
  is_active: Schema.Boolean,
  version: Schema.Int,
  created_at: Schema.Date
})
type MemberRow = typeof MemberRow.Type

const decodeMembers = Schema.decodeUnknownSync(Schema.Array(MemberRow))

const toMember = (row: MemberRow) =>
  new Membership.Member({
    accountId: Ids.AccountId.make(row.account_id),
    orgId: Ids.OrgId.make(row.org_id),
    role: row.role,
    email: row.email,
    username: row.username,
    fullName: row.full_name,
    phone: row.phone,
    skills: row.skills,
    tags: row.tags,
    employmentType: row.employment_type,
    isActive: row.is_active,
    version: row.version,
    createdAt: DateTime.fromDateUnsafe(row.created_at)
  })

const firstMember = (rows: ReadonlyArray<unknown>): Option.Option<Membership.Member> =>
  Option.map(Option.fromNullishOr(decodeMembers(rows)[0]), toMember)

// Keyset pagination breaks ties on `id`: a member's is its account id.
const memberOrder: Keyset.Column = { name: "created_at", kind: "timestamp" }

type MembershipRepo = IdentityRepos.MembershipRepo["Service"]

// A member is a membership row (from the table, or from a data-modifying CTE) with its account.
const membersOf = (sql: SqlClient.SqlClient, source: "memberships" | "changed") =>
  sql`SELECT m.org_id, m.account_id, m.account_id AS id, m.role, m.skills, m.tags, m.employment_type,
            (m.is_active AND a.is_active) AS is_active, m.version, m.created_at, m.deleted_at,
            a.email, a.username, a.full_name, a.phone
          FROM ${sql(source)} m JOIN accounts a ON a.id = m.account_id`

// A removed membership comes back as a new one (role, profile and start date); a live one is
// left alone and the statement answers nothing.
const insert =
  (sql: SqlClient.SqlClient): MembershipRepo["insert"] =>
  (membership) =>
    SessionCache.distrust({ _tag: "Account", accountId: membership.accountId }).pipe(
      Effect.andThen(
        sql`WITH changed AS (
                INSERT INTO memberships ${sql.insert({
                  org_id: membership.orgId,
                  account_id: membership.accountId,
                  role: membership.role,
                  skills: [...membership.skills],
                  tags: [...membership.tags],
                  employment_type: membership.employmentType ?? null,
                  is_active: true,
                  version: 1,
                  created_at: DateTime.toDateUtc(membership.at)
                })}
                ON CONFLICT (org_id, account_id) DO UPDATE SET
                  role = EXCLUDED.role, skills = EXCLUDED.skills, tags = EXCLUDED.tags,
                  employment_type = EXCLUDED.employment_type, is_active = true,
                  deleted_at = NULL, created_at = EXCLUDED.created_at, version = memberships.version + 1
                WHERE memberships.deleted_at IS NOT NULL
                RETURNING *)
              ${membersOf(sql, "changed")}`.pipe(
          Effect.orDie,
          Effect.flatMap((rows) =>
            Option.match(firstMember(rows), {
              onNone: () => Effect.fail(new Errors.AlreadyExists({ entity: "member", field: "accountId" })),
              onSome: Effect.succeed
            })
          )
        )
      )
    )

// Compare-and-set on a live membership; when nothing changed, says whether it is gone or stale.
const change = (
  sql: SqlClient.SqlClient,
  orgId: Ids.OrgId,
  accountId: Ids.AccountId,
  expectedVersion: number | undefined,
  set: Statement.Fragment
): Effect.Effect<Membership.Member, Errors.NotFound | Errors.PreconditionFailed> =>
  Effect.gen(function* () {
    yield* SessionCache.distrust({ _tag: "Account", accountId })
    const changed = firstMember(
      yield* sql`WITH changed AS (
                UPDATE memberships SET ${set}version = version + 1
                WHERE org_id = ${orgId} AND account_id = ${accountId} AND deleted_at IS NULL
                  AND ${versionGuard(sql, expectedVersion)}
                RETURNING *)
              ${membersOf(sql, "changed")}`
    )
    if (Option.isSome(changed)) return changed.value
    const live = yield* sql`SELECT 1 AS found FROM memberships
            WHERE org_id = ${orgId} AND account_id = ${accountId} AND deleted_at IS NULL`
    return yield* live.length === 0
      ? Effect.fail(new Errors.NotFound({ entity: "member", id: accountId }))
      : Effect.fail(
          new Errors.PreconditionFailed({
            entity: "member",
            id: accountId,
            expectedVersion: expectedVersion ?? 0
          })
        )
  }).pipe(Effect.catchTag("SqlError", (error) => Effect.die(error)))

const list =
  (sql: SqlClient.SqlClient): MembershipRepo["list"] =>
  (orgId, query) =>
    Effect.gen(function* () {
      const after =
        query.cursor === undefined ? undefined : yield* Keyset.positionOf(memberOrder, query.cursor)
      const conditions: Array<Statement.Fragment> = [sql`org_id = ${orgId}`, sql`deleted_at IS NULL`]
      if (query.roles?.length) conditions.push(sql`role IN ${sql.in(query.roles)}`)
      const search = TextSearch.contains(sql, ["full_name", "email", "username"], query.q)
      if (search !== undefined) conditions.push(search)
      if (query.skill !== undefined) conditions.push(sql`${query.skill} = ANY(skills)`)
      if (query.tag !== undefined) conditions.push(sql`${query.tag} = ANY(tags)`)
      if (after !== undefined) conditions.push(Keyset.after(sql, memberOrder, "asc", after))
      // The planner flattens the subquery, so the keyset condition reaches the
      // (org_id, created_at, account_id) index.
      const rows = yield* sql`SELECT *,
              ${Keyset.microsOf(sql, sql`created_at`)} AS ${sql(Keyset.positionKey)}
            FROM (${membersOf(sql, "memberships")}) AS member WHERE ${sql.and(conditions)}
            ${Keyset.orderBy(sql, memberOrder, "asc")} ${Keyset.limitOf(sql, query.limit + 1)}`
      return Keyset.positioned(
        rows,
        decodeMembers(rows).map(toMember),
        query.limit,
        (member) => member.accountId
      )
    }).pipe(Effect.catchTag("SqlError", (error) => Effect.die(error)))

// Phones live on accounts (one person, every org), so no per-org index can hold the rule: a
// transaction-scoped lock on (org, phone) serialises the writes that could both pass it.
const lockClientPhone =
  (sql: SqlClient.SqlClient): MembershipRepo["lockClientPhone"] =>
  (orgId, normalizedPhone) =>
    Effect.gen(function* () {
      yield* sql`SELECT pg_advisory_xact_lock(hashtext('rota.client_phone.' || ${orgId} || '.' || ${normalizedPhone}))`
      const rows = yield* sql`SELECT m.account_id FROM memberships m JOIN accounts a ON a.id = m.account_id
              WHERE m.org_id = ${orgId} AND m.role = 'member' AND m.deleted_at IS NULL AND a.phone IS NOT NULL
                AND (CASE WHEN btrim(a.phone) LIKE '+%' THEN '+' ELSE '' END)
                  || regexp_replace(a.phone, '[^0-9]', '', 'g') = ${normalizedPhone}
              ORDER BY m.account_id`
      return decodeAccountIds(rows).map((row) => Ids.AccountId.make(row.account_id))
    }).pipe(Effect.orDie)

/**
 * @since 0.1.0
 * @category layers
 */
export const membershipRepo: Layer.Layer<IdentityRepos.MembershipRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    IdentityRepos.MembershipRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return IdentityRepos.MembershipRepo.of({
        insert: insert(sql),
        find: (orgId, accountId) =>
          sql`${membersOf(sql, "memberships")}
            WHERE m.org_id = ${orgId} AND m.account_id = ${accountId}
              AND m.deleted_at IS NULL AND m.is_active AND a.is_active`.pipe(
            Effect.map(firstMember),
            Effect.orDie
          ),
        findInactiveToo: (orgId, accountId) =>
          sql`${membersOf(sql, "memberships")}
            WHERE m.org_id = ${orgId} AND m.account_id = ${accountId} AND m.deleted_at IS NULL`.pipe(
            Effect.map(firstMember),
            Effect.orDie
          ),
        setActive: (orgId, accountId, expectedVersion, isActive) =>
          change(sql, orgId, accountId, expectedVersion, sql`is_active = ${isActive}, `),
        list: list(sql),
        update: (orgId, accountId, expectedVersion, changes) => {
          const set: Record<string, unknown> = {}
          if (changes.role !== undefined) set.role = changes.role
          if (changes.skills !== undefined) set.skills = [...changes.skills]
          if (changes.tags !== undefined) set.tags = [...changes.tags]
          if (changes.employmentType !== undefined) set.employment_type = changes.employmentType
          return change(sql, orgId, accountId, expectedVersion, setPrefix(sql, set))
        },
        remove: (orgId, accountId, expectedVersion, at) =>
          change(
            sql,
            orgId,
            accountId,
            expectedVersion,
            sql`deleted_at = ${DateTime.toDateUtc(at)}, is_active = false, `
          ),
        lockOwners: (orgId) =>
          sql`SELECT account_id FROM memberships
            WHERE org_id = ${orgId} AND role = 'owner' AND deleted_at IS NULL AND is_active
            ORDER BY account_id FOR UPDATE`.pipe(
            Effect.map((rows) => decodeAccountIds(rows).map((row) => Ids.AccountId.make(row.account_id))),
            Effect.orDie
          ),
        lockClientPhone: lockClientPhone(sql)
      })
    })
  )
