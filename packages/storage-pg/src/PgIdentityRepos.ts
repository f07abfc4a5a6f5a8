/**
 * Identity and tenancy on PostgreSQL: accounts, organisations, memberships, sessions with their
 * refresh tokens, invitations and password resets. Every one-use token is spent by one guarded
 * `UPDATE`, so two concurrent uses of one token can never both succeed.
 *
 * @since 0.1.0
 */
import {
  Account,
  Errors,
  IdentityRepos,
  Ids,
  Membership,
  Organization,
  type Pagination,
  Role
} from "@rota/core"
import { DateTime, Effect, Layer, Option, Predicate, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import * as Keyset from "./Keyset.ts"
import { uniqueAsAlreadyExists } from "./SqlErrors.ts"
import * as TextSearch from "./TextSearch.ts"

// Ids that reach the store from links and tokens: a malformed one names no row, and must not
// turn into a uuid syntax error (a 500) on its way there.
const versionGuard = (sql: SqlClient.SqlClient, expected: number | undefined): Statement.Fragment =>
  expected === undefined ? sql`TRUE` : sql`version = ${expected}`

// `SET` starts with the caller's columns, when there are any, before the version bump.
const setPrefix = (
  sql: SqlClient.SqlClient,
  changes: Readonly<Record<string, unknown>>
): Statement.Fragment => (Object.keys(changes).length === 0 ? sql`` : sql`${sql.update(changes)}, `)

const decodeAccountIds = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ account_id: Schema.String })))

const isRecord = Predicate.isObject

// --- accounts ---------------------------------------------------------------------------------

const AccountRow = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  username: Schema.String,
  full_name: Schema.String,
  phone: Schema.NullOr(Schema.String),
  password_hash: Schema.NullOr(Schema.String),
  is_active: Schema.Boolean,
  created_at: Schema.Date
})
type AccountRow = typeof AccountRow.Type

const decodeAccounts = Schema.decodeUnknownSync(Schema.Array(AccountRow))

const toAccount = (row: AccountRow) =>
  new Account.Account({
    id: Ids.AccountId.make(row.id),
    email: row.email,
    username: row.username,
    fullName: row.full_name,
    phone: row.phone,
    isActive: row.is_active,
    createdAt: DateTime.fromDateUnsafe(row.created_at)
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const accountRepo: Layer.Layer<IdentityRepos.AccountRepo, never, SqlClient.SqlClient> = Layer.effect(
  IdentityRepos.AccountRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const findOne = (where: Statement.Fragment) =>
      sql`SELECT * FROM accounts WHERE ${where} LIMIT 1`.pipe(
        Effect.map((rows) => Option.fromNullishOr(decodeAccounts(rows)[0])),
        Effect.orDie
      )
    return IdentityRepos.AccountRepo.of({
      // An email match wins should a username ever equal another account's email.
      findByLogin: (login) =>
        sql`SELECT * FROM accounts WHERE lower(email) = lower(${login}) OR lower(username) = lower(${login})
          ORDER BY lower(email) = lower(${login}) DESC LIMIT 1`.pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullishOr(decodeAccounts(rows)[0]), (row) => ({
              account: toAccount(row),
              passwordHash: row.password_hash
            }))
          ),
          Effect.orDie
        ),
      findById: (id) => Effect.map(findOne(sql`id = ${id}`), Option.map(toAccount)),
      findByEmail: (email) => Effect.map(findOne(sql`lower(email) = lower(${email})`), Option.map(toAccount)),
      insert: (account, passwordHash) =>
        sql`INSERT INTO accounts ${sql.insert({
          id: account.id,
          email: account.email,
          username: account.username,
          full_name: account.fullName,
          phone: account.phone,
          password_hash: passwordHash,
          is_active: account.isActive,
          created_at: DateTime.toDateUtc(account.createdAt)
        })}`.pipe(
          Effect.asVoid,
          uniqueAsAlreadyExists({
            accounts_email_key: { entity: "account", field: "email" },
            accounts_username_key: { entity: "account", field: "username" }
          })
        ),
      setPassword: (id, passwordHash) =>
        sql`UPDATE accounts SET password_hash = ${passwordHash} WHERE id = ${id}`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      updateProfile: (id, changes) => {
        const set: Record<string, unknown> = {}
        if (changes.fullName !== undefined) set.full_name = changes.fullName
        if (changes.phone !== undefined) set.phone = changes.phone
        return Object.keys(set).length === 0
          ? Effect.void
          : sql`UPDATE accounts SET ${sql.update(set)} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)
      }
    })
  })
)

// --- organisations ----------------------------------------------------------------------------

const OrgRow = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  slug: Schema.String,
  timezone: Schema.String,
  settings: Schema.Unknown,
  version: Schema.Int,
  created_at: Schema.Date
})
type OrgRow = typeof OrgRow.Type

const decodeOrgs = Schema.decodeUnknownSync(Schema.Array(OrgRow))
const decodeRoles = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ role: Role.Role })))
const decodeSettings = Schema.decodeUnknownSync(Organization.Settings)

// Every knob (or nested knob) an org never set takes its default, so settings saved before a
// knob existed still decode.
const settingsFromJson = (stored: unknown): Organization.Settings => {
  const saved = isRecord(stored) ? stored : {}
  const merged: Record<string, unknown> = {}
  for (const [key, fallback] of Object.entries(Organization.defaultSettings)) {
    const value = saved[key]
    merged[key] =
      value === undefined || value === null
        ? fallback
        : isRecord(fallback) && isRecord(value)
          ? { ...fallback, ...value }
          : value
  }
  return decodeSettings(merged)
}

const toOrg = (row: OrgRow) =>
  new Organization.Organization({
    id: Ids.OrgId.make(row.id),
    name: row.name,
    slug: row.slug,
    timezone: row.timezone,
    settings: settingsFromJson(row.settings),
    version: row.version,
    createdAt: DateTime.fromDateUnsafe(row.created_at)
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const orgRepo: Layer.Layer<IdentityRepos.OrgRepo, never, SqlClient.SqlClient> = Layer.effect(
  IdentityRepos.OrgRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const update = (
      id: Ids.OrgId,
      expectedVersion: number | undefined,
      changes: {
        readonly name?: string | undefined
        readonly timezone?: string | undefined
        readonly settings?: Organization.Settings | undefined
      }
    ): Effect.Effect<Organization.Organization, Errors.NotFound | Errors.PreconditionFailed> =>
      Effect.gen(function* () {
        const set: Record<string, unknown> = {}
        if (changes.name !== undefined) set.name = changes.name
        if (changes.timezone !== undefined) set.timezone = changes.timezone
        if (changes.settings !== undefined) set.settings = JSON.stringify(changes.settings)
        // One statement checks and changes, so two writers from one version cannot both win.
        const [row] = decodeOrgs(
          yield* sql`UPDATE organizations SET ${setPrefix(sql, set)}version = version + 1
            WHERE id = ${id} AND ${versionGuard(sql, expectedVersion)} RETURNING *`
        )
        if (row !== undefined) return toOrg(row)
        const exists = yield* sql`SELECT 1 AS found FROM organizations WHERE id = ${id}`
        return yield* exists.length === 0
          ? Effect.fail(new Errors.NotFound({ entity: "organization", id }))
          : Effect.fail(
              new Errors.PreconditionFailed({
                entity: "organization",
                id,
                expectedVersion: expectedVersion ?? 0
              })
            )
      }).pipe(Effect.catchTag("SqlError", (error) => Effect.die(error)))

    return IdentityRepos.OrgRepo.of({
      insert: (org) =>
        sql`INSERT INTO organizations ${sql.insert({
          id: org.id,
          name: org.name,
          slug: org.slug,
          timezone: org.timezone,
          settings: JSON.stringify(org.settings),
          version: org.version,
          created_at: DateTime.toDateUtc(org.createdAt)
        })}`.pipe(
          Effect.asVoid,
          uniqueAsAlreadyExists({ organizations_slug_key: { entity: "organization", field: "slug" } })
        ),
      findById: (id) =>
        sql`SELECT * FROM organizations WHERE id = ${id}`.pipe(
          Effect.map((rows) => Option.map(Option.fromNullishOr(decodeOrgs(rows)[0]), toOrg)),
          Effect.orDie
        ),
      listForAccount: (accountId) =>
        sql`SELECT o.*, m.role FROM memberships m JOIN organizations o ON o.id = m.org_id
          WHERE m.account_id = ${accountId} AND m.deleted_at IS NULL AND m.is_active
          ORDER BY o.name, o.id`.pipe(
          Effect.map((rows) => {
            const orgs = decodeOrgs(rows)
            const roles = decodeRoles(rows)
            return orgs.map((row, i) => ({ org: toOrg(row), role: roles[i]!.role }))
          }),
          Effect.orDie
        ),
      update
    })
  })
)

// --- memberships ------------------------------------------------------------------------------

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
    isActive: row.is_active,
    version: row.version,
    createdAt: DateTime.fromDateUnsafe(row.created_at)
  })

const firstMember = (rows: ReadonlyArray<unknown>): Option.Option<Membership.Member> =>
  Option.map(Option.fromNullishOr(decodeMembers(rows)[0]), toMember)

// Keyset pagination breaks ties on `id`: a member's is its account id.
const memberOrder: Keyset.Column = { name: "created_at", kind: "timestamp" }

/**
 * @since 0.1.0
 * @category layers
 */
export const membershipRepo: Layer.Layer<IdentityRepos.MembershipRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    IdentityRepos.MembershipRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient

      // A member is a membership row (from the table, or from a data-modifying CTE) with its account.
      const membersOf = (source: "memberships" | "changed") =>
        sql`SELECT m.org_id, m.account_id, m.account_id AS id, m.role, m.skills, m.tags,
            (m.is_active AND a.is_active) AS is_active, m.version, m.created_at, m.deleted_at,
            a.email, a.username, a.full_name, a.phone
          FROM ${sql(source)} m JOIN accounts a ON a.id = m.account_id`

      const insert = (membership: {
        readonly orgId: Ids.OrgId
        readonly accountId: Ids.AccountId
        readonly role: Role.Role
        readonly skills: ReadonlyArray<string>
        readonly tags: ReadonlyArray<string>
        readonly at: Date
      }): Effect.Effect<Membership.Member, Errors.AlreadyExists> =>
        // A removed membership comes back as a new one (role, profile and start date); a live one
        // is left alone and the statement answers nothing.
        sql`WITH changed AS (
            INSERT INTO memberships ${sql.insert({
              org_id: membership.orgId,
              account_id: membership.accountId,
              role: membership.role,
              skills: [...membership.skills],
              tags: [...membership.tags],
              is_active: true,
              version: 1,
              created_at: membership.at
            })}
            ON CONFLICT (org_id, account_id) DO UPDATE SET
              role = EXCLUDED.role, skills = EXCLUDED.skills, tags = EXCLUDED.tags, is_active = true,
              deleted_at = NULL, created_at = EXCLUDED.created_at, version = memberships.version + 1
            WHERE memberships.deleted_at IS NOT NULL
            RETURNING *)
          ${membersOf("changed")}`.pipe(
          Effect.orDie,
          Effect.flatMap((rows) =>
            Option.match(firstMember(rows), {
              onNone: () => Effect.fail(new Errors.AlreadyExists({ entity: "member", field: "accountId" })),
              onSome: Effect.succeed
            })
          )
        )

      // Compare-and-set on a live membership; when nothing changed, says whether it is gone or stale.
      const change = (
        orgId: Ids.OrgId,
        accountId: Ids.AccountId,
        expectedVersion: number | undefined,
        set: Statement.Fragment
      ): Effect.Effect<Membership.Member, Errors.NotFound | Errors.PreconditionFailed> =>
        Effect.gen(function* () {
          const changed = firstMember(
            yield* sql`WITH changed AS (
                UPDATE memberships SET ${set}version = version + 1
                WHERE org_id = ${orgId} AND account_id = ${accountId} AND deleted_at IS NULL
                  AND ${versionGuard(sql, expectedVersion)}
                RETURNING *)
              ${membersOf("changed")}`
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

      const list = (
        orgId: Ids.OrgId,
        query: IdentityRepos.MemberQuery
      ): Effect.Effect<Pagination.Page<Membership.Member>, Errors.ValidationFailed> =>
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
            FROM (${membersOf("memberships")}) AS member WHERE ${sql.and(conditions)}
            ${Keyset.orderBy(sql, memberOrder, "asc")} LIMIT ${query.limit + 1}`
          return Keyset.positioned(
            rows,
            decodeMembers(rows).map(toMember),
            query.limit,
            (member) => member.accountId
          )
        }).pipe(Effect.catchTag("SqlError", (error) => Effect.die(error)))

      return IdentityRepos.MembershipRepo.of({
        insert,
        find: (orgId, accountId) =>
          sql`${membersOf("memberships")}
            WHERE m.org_id = ${orgId} AND m.account_id = ${accountId}
              AND m.deleted_at IS NULL AND m.is_active AND a.is_active`.pipe(
            Effect.map(firstMember),
            Effect.orDie
          ),
        findInactiveToo: (orgId, accountId) =>
          sql`${membersOf("memberships")}
            WHERE m.org_id = ${orgId} AND m.account_id = ${accountId} AND m.deleted_at IS NULL`.pipe(
            Effect.map(firstMember),
            Effect.orDie
          ),
        setActive: (orgId, accountId, expectedVersion, isActive) =>
          change(orgId, accountId, expectedVersion, sql`is_active = ${isActive}, `),
        list,
        update: (orgId, accountId, expectedVersion, changes) => {
          const set: Record<string, unknown> = {}
          if (changes.role !== undefined) set.role = changes.role
          if (changes.skills !== undefined) set.skills = [...changes.skills]
          if (changes.tags !== undefined) set.tags = [...changes.tags]
          return change(orgId, accountId, expectedVersion, setPrefix(sql, set))
        },
        remove: (orgId, accountId, expectedVersion, at) =>
          change(orgId, accountId, expectedVersion, sql`deleted_at = ${at}, is_active = false, `),
        lockOwners: (orgId) =>
          sql`SELECT account_id FROM memberships
            WHERE org_id = ${orgId} AND role = 'owner' AND deleted_at IS NULL AND is_active
            ORDER BY account_id FOR UPDATE`.pipe(
            Effect.map((rows) => decodeAccountIds(rows).map((row) => Ids.AccountId.make(row.account_id))),
            Effect.orDie
          ),
        // Phones live on accounts (one person, every org), so no per-org index can hold the rule:
        // a transaction-scoped lock on (org, phone) serialises the writes that could both pass it.
        lockClientPhone: (orgId, normalizedPhone) =>
          Effect.gen(function* () {
            yield* sql`SELECT pg_advisory_xact_lock(hashtext('rota.client_phone.' || ${orgId} || '.' || ${normalizedPhone}))`
            const rows =
              yield* sql`SELECT m.account_id FROM memberships m JOIN accounts a ON a.id = m.account_id
              WHERE m.org_id = ${orgId} AND m.role = 'member' AND m.deleted_at IS NULL AND a.phone IS NOT NULL
                AND (CASE WHEN btrim(a.phone) LIKE '+%' THEN '+' ELSE '' END)
                  || regexp_replace(a.phone, '[^0-9]', '', 'g') = ${normalizedPhone}
              ORDER BY m.account_id`
            return decodeAccountIds(rows).map((row) => Ids.AccountId.make(row.account_id))
          }).pipe(Effect.orDie)
      })
    })
  )

// --- sessions ---------------------------------------------------------------------------------

const RefreshRow = Schema.Struct({
  session_id: Schema.String,
  account_id: Schema.String,
  expires_at: Schema.Date,
  used_at: Schema.NullOr(Schema.Date),
  successor_hash: Schema.NullOr(Schema.String),
  session_revoked: Schema.Boolean
})

const decodeRefresh = Schema.decodeUnknownSync(Schema.Array(RefreshRow))

const SessionRow = Schema.Struct({
  account_id: Schema.String,
  role: Schema.NullOr(Role.Role),
  org_settings: Schema.Unknown
})

const decodeSessions = Schema.decodeUnknownSync(Schema.Array(SessionRow))

/**
 * @since 0.1.0
 * @category layers
 */
export const sessionRepo: Layer.Layer<IdentityRepos.SessionRepo, never, SqlClient.SqlClient> = Layer.effect(
  IdentityRepos.SessionRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const findRefresh = (hash: string, lock: boolean) =>
      sql`SELECT r.session_id, r.account_id, r.expires_at, r.used_at, r.successor_hash,
          (s.id IS NULL OR s.revoked_at IS NOT NULL) AS session_revoked
        FROM refresh_tokens r LEFT JOIN auth_sessions s ON s.id = r.session_id
        WHERE r.token_hash = ${hash} ${lock ? sql`FOR UPDATE OF r` : sql``}`.pipe(
        Effect.map((rows) =>
          Option.map(
            Option.fromNullishOr(decodeRefresh(rows)[0]),
            (row): IdentityRepos.RefreshRecord => ({
              sessionId: row.session_id,
              accountId: Ids.AccountId.make(row.account_id),
              expiresAt: row.expires_at,
              usedAt: row.used_at,
              successorHash: row.successor_hash,
              sessionRevoked: row.session_revoked
            })
          )
        ),
        Effect.orDie
      )
    return IdentityRepos.SessionRepo.of({
      create: (session) =>
        sql`INSERT INTO auth_sessions ${sql.insert({
          id: session.id,
          account_id: session.accountId,
          created_at: session.at
        })}`.pipe(Effect.asVoid, Effect.orDie),
      addRefresh: (refresh) =>
        sql`INSERT INTO refresh_tokens ${sql.insert({
          token_hash: refresh.hash,
          session_id: refresh.sessionId,
          account_id: refresh.accountId,
          expires_at: refresh.expiresAt
        })}`.pipe(Effect.asVoid, Effect.orDie),
      findRefresh: (hash) => findRefresh(hash, false),
      lockRefresh: (hash) => findRefresh(hash, true),
      // The guard makes this the reuse detector: of two concurrent uses, the second finds
      // `used_at` set once the first commits, and changes nothing.
      useRefresh: (hash, at, successorHash) =>
        sql`UPDATE refresh_tokens SET used_at = ${at}, successor_hash = ${successorHash ?? null}
          WHERE token_hash = ${hash} AND used_at IS NULL RETURNING token_hash`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie
        ),
      revoke: (sessionId, at) =>
        Ids.isUuid(sessionId)
          ? sql`UPDATE auth_sessions SET revoked_at = ${at}
              WHERE id = ${sessionId} AND revoked_at IS NULL`.pipe(Effect.asVoid, Effect.orDie)
          : Effect.void,
      revokeAll: (accountId, at, except) =>
        sql`UPDATE auth_sessions SET revoked_at = ${at}
          WHERE account_id = ${accountId} AND revoked_at IS NULL
            ${except !== undefined && Ids.isUuid(except) ? sql`AND id <> ${except}` : sql``}`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      resolve: (sessionId, orgId) =>
        Ids.isUuid(sessionId)
          ? // The org's settings come with the role: most use cases need them, and a statement
            // less per request is worth more than the bytes.
            sql`SELECT s.account_id, m.role, o.settings AS org_settings
              FROM auth_sessions s
              JOIN accounts a ON a.id = s.account_id AND a.is_active
              LEFT JOIN memberships m ON m.account_id = s.account_id
                AND ${orgId === undefined ? sql`FALSE` : sql`m.org_id = ${orgId}`}
                AND m.deleted_at IS NULL AND m.is_active
              LEFT JOIN organizations o ON o.id = m.org_id
              WHERE s.id = ${sessionId} AND s.revoked_at IS NULL`.pipe(
              Effect.map((rows) =>
                Option.map(
                  Option.fromNullishOr(decodeSessions(rows)[0]),
                  (row): IdentityRepos.SessionState => ({
                    accountId: Ids.AccountId.make(row.account_id),
                    role: row.role,
                    orgSettings: row.role === null ? null : settingsFromJson(row.org_settings)
                  })
                )
              ),
              Effect.orDie
            )
          : Effect.succeedNone
    })
  })
)

// --- invitations ------------------------------------------------------------------------------

const InvitationRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.String,
  email: Schema.String,
  role: Role.Role,
  profile: Schema.Unknown,
  expires_at: Schema.Date,
  accepted_at: Schema.NullOr(Schema.Date),
  revoked_at: Schema.NullOr(Schema.Date),
  created_at: Schema.Date
})
type InvitationRow = typeof InvitationRow.Type

const decodeInvitations = Schema.decodeUnknownSync(Schema.Array(InvitationRow))
const decodeProfile = Schema.decodeUnknownSync(IdentityRepos.InvitationProfile)

const toInvitation = (row: InvitationRow): IdentityRepos.InvitationRecord => ({
  id: row.id,
  orgId: Ids.OrgId.make(row.org_id),
  email: row.email,
  role: row.role,
  profile: decodeProfile(row.profile),
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at
})

/**
 * @since 0.1.0
 * @category layers
 */
export const invitationRepo: Layer.Layer<IdentityRepos.InvitationRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    IdentityRepos.InvitationRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return IdentityRepos.InvitationRepo.of({
        insert: (invitation) =>
          sql`INSERT INTO invitations ${sql.insert({
            org_id: invitation.orgId,
            id: invitation.id,
            email: invitation.email,
            role: invitation.role,
            profile: JSON.stringify(invitation.profile),
            invited_by: invitation.invitedBy,
            expires_at: invitation.expiresAt,
            accepted_at: invitation.acceptedAt,
            revoked_at: invitation.revokedAt,
            created_at: invitation.createdAt
          })}`.pipe(Effect.asVoid, Effect.orDie),
        list: (orgId) =>
          sql`SELECT * FROM invitations WHERE org_id = ${orgId} ORDER BY created_at DESC, id DESC`.pipe(
            Effect.map((rows) => decodeInvitations(rows).map(toInvitation)),
            Effect.orDie
          ),
        find: (id) =>
          Ids.isUuid(id)
            ? sql`SELECT * FROM invitations WHERE id = ${id}`.pipe(
                Effect.map((rows) =>
                  Option.map(Option.fromNullishOr(decodeInvitations(rows)[0]), toInvitation)
                ),
                Effect.orDie
              )
            : Effect.succeedNone,
        accept: (id, at) =>
          Ids.isUuid(id)
            ? sql`UPDATE invitations SET accepted_at = ${at}
                WHERE id = ${id} AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ${at}
                RETURNING id`.pipe(
                Effect.map((rows) => rows.length > 0),
                Effect.orDie
              )
            : Effect.succeed(false),
        revoke: (orgId, id, at) =>
          Ids.isUuid(id)
            ? sql`UPDATE invitations SET revoked_at = ${at}
                WHERE org_id = ${orgId} AND id = ${id} AND accepted_at IS NULL AND revoked_at IS NULL
                RETURNING id`.pipe(
                Effect.map((rows) => rows.length > 0),
                Effect.orDie
              )
            : Effect.succeed(false)
      })
    })
  )

// --- password resets --------------------------------------------------------------------------

const decodeResets = Schema.decodeUnknownSync(
  Schema.Array(Schema.Struct({ id: Schema.String, account_id: Schema.String, expires_at: Schema.Date }))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const passwordResetRepo: Layer.Layer<IdentityRepos.PasswordResetRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    IdentityRepos.PasswordResetRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return IdentityRepos.PasswordResetRepo.of({
        insert: (reset) =>
          sql`INSERT INTO password_resets ${sql.insert({
            id: reset.id,
            account_id: reset.accountId,
            expires_at: reset.expiresAt
          })}`.pipe(Effect.asVoid, Effect.orDie),
        use: (id, at) =>
          Ids.isUuid(id)
            ? sql`UPDATE password_resets SET used_at = ${at}
                WHERE id = ${id} AND used_at IS NULL AND expires_at > ${at}
                RETURNING account_id`.pipe(
                Effect.map((rows) =>
                  Option.map(Option.fromNullishOr(decodeAccountIds(rows)[0]), (row) =>
                    Ids.AccountId.make(row.account_id)
                  )
                ),
                Effect.orDie
              )
            : Effect.succeedNone,
        findOpen: (id, at) =>
          Ids.isUuid(id)
            ? sql`SELECT id, account_id, expires_at FROM password_resets
                WHERE id = ${id} AND used_at IS NULL AND expires_at > ${at}`.pipe(
                Effect.map((rows) =>
                  Option.map(
                    Option.fromNullishOr(decodeResets(rows)[0]),
                    (row): IdentityRepos.PasswordResetRecord => ({
                      id: row.id,
                      accountId: Ids.AccountId.make(row.account_id),
                      expiresAt: row.expires_at
                    })
                  )
                ),
                Effect.orDie
              )
            : Effect.succeedNone,
        closeAll: (accountId, at) =>
          sql`UPDATE password_resets SET used_at = ${at}
            WHERE account_id = ${accountId} AND used_at IS NULL`.pipe(Effect.asVoid, Effect.orDie)
      })
    })
  )

/**
 * Every identity port over one `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  | IdentityRepos.AccountRepo
  | IdentityRepos.OrgRepo
  | IdentityRepos.MembershipRepo
  | IdentityRepos.SessionRepo
  | IdentityRepos.InvitationRepo
  | IdentityRepos.PasswordResetRepo,
  never,
  SqlClient.SqlClient
> = Layer.mergeAll(accountRepo, orgRepo, membershipRepo, sessionRepo, invitationRepo, passwordResetRepo)
