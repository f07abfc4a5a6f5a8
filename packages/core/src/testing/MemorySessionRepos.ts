/**
 * The `SessionRepo`, `InvitationRepo` and `PasswordResetRepo` ports on the {@link MemoryDatabase}:
 * single-use refresh tokens and reset links, sessions resolved to an active account's role and
 * org settings, invitations accepted or revoked once, as on PostgreSQL (the same
 * `SessionReposContract` holds both to it). An id that is no uuid names nothing, as there.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import {
  type InvitationRecord,
  InvitationRepo,
  PasswordResetRepo,
  type RefreshRecord,
  SessionRepo,
  type SessionState
} from "../identity/IdentityRepos.ts"
import { isUuid, type OrgId } from "../kernel/Ids.ts"
import { MemoryDatabase, put, type Table } from "./MemoryDatabase.ts"
import {
  accounts,
  invitations,
  membershipKey,
  memberships,
  organizations,
  passwordResets,
  refreshTokens,
  sessions
} from "./MemoryIdentityTables.ts"

// Changes the rows `f` picks and answers them; the rest stay as they are.
const changeWhere = <A>(
  database: MemoryDatabase["Service"],
  table: Table<ReadonlyMap<string, A>>,
  picks: (row: A) => boolean,
  f: (row: A) => A
) =>
  database.modify(table, (all) => {
    const picked = [...all.entries()].filter(([, row]) => picks(row))
    const next = new Map(all)
    for (const [key, row] of picked) next.set(key, f(row))
    return [picked.map(([, row]) => row), next] as const
  })

// A live session of an active account, with its role where it is an active member.
const resolver = (database: MemoryDatabase["Service"]) =>
  Effect.fn("MemorySessionRepo.resolve")(function* (sessionId: string, orgId: OrgId | undefined) {
    const session = isUuid(sessionId) ? (yield* database.read(sessions)).get(sessionId) : undefined
    if (session === undefined || session.revokedAt !== null) return Option.none<SessionState>()
    if ((yield* database.read(accounts)).get(session.accountId)?.account.isActive !== true)
      return Option.none<SessionState>()
    const membership =
      orgId === undefined
        ? undefined
        : (yield* database.read(memberships)).get(membershipKey(orgId, session.accountId))
    const member = membership?.deletedAt === null && membership.isActive ? membership : undefined
    const org = member === undefined ? undefined : (yield* database.read(organizations)).get(member.orgId)
    return Option.some<SessionState>({
      accountId: session.accountId,
      role: member?.role ?? null,
      orgSettings: member === undefined ? null : (org?.settings ?? null)
    })
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const sessionRepo: Layer.Layer<SessionRepo, never, MemoryDatabase> = Layer.effect(
  SessionRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    const readRefresh = Effect.fnUntraced(function* (hash: string) {
      const row = (yield* database.read(refreshTokens)).get(hash)
      if (row === undefined) return Option.none<RefreshRecord>()
      const session = (yield* database.read(sessions)).get(row.sessionId)
      return Option.some<RefreshRecord>({
        sessionId: row.sessionId,
        accountId: row.accountId,
        expiresAt: row.expiresAt,
        usedAt: row.usedAt,
        successorHash: row.successorHash,
        sessionRevoked: session === undefined || session.revokedAt !== null
      })
    })

    const resolve = resolver(database)

    return SessionRepo.of({
      create: Effect.fn("MemorySessionRepo.create")((session) =>
        database.modify(sessions, (table) => [
          undefined,
          put(table, session.id, {
            id: session.id,
            accountId: session.accountId,
            createdAt: session.at,
            revokedAt: null
          })
        ])
      ),
      addRefresh: Effect.fn("MemorySessionRepo.addRefresh")((refresh) =>
        database.modify(refreshTokens, (table) => [
          undefined,
          put(table, refresh.hash, { ...refresh, usedAt: null, successorHash: null })
        ])
      ),
      findRefresh: Effect.fn("MemorySessionRepo.findRefresh")(readRefresh),
      // Memory transactions run one at a time: reading inside one is already the lock.
      lockRefresh: Effect.fn("MemorySessionRepo.lockRefresh")(readRefresh),
      useRefresh: Effect.fn("MemorySessionRepo.useRefresh")((hash, at, successorHash) =>
        Effect.map(
          changeWhere(
            database,
            refreshTokens,
            (row) => row.hash === hash && row.usedAt === null,
            (row) => ({ ...row, usedAt: at, successorHash: successorHash ?? null })
          ),
          (used) => used.length > 0
        )
      ),
      revoke: Effect.fn("MemorySessionRepo.revoke")((sessionId, at) =>
        Effect.asVoid(
          changeWhere(
            database,
            sessions,
            (row) => row.id === sessionId && row.revokedAt === null,
            (row) => ({ ...row, revokedAt: at })
          )
        )
      ),
      revokeAll: Effect.fn("MemorySessionRepo.revokeAll")((accountId, at, except) =>
        Effect.asVoid(
          changeWhere(
            database,
            sessions,
            (row) => row.accountId === accountId && row.revokedAt === null && row.id !== except,
            (row) => ({ ...row, revokedAt: at })
          )
        )
      ),
      resolve
    })
  })
)

const isOpen = (invitation: InvitationRecord, at: DateTime.Utc) =>
  invitation.acceptedAt === null && invitation.revokedAt === null && invitation.expiresAt > at

const newestFirst = (a: InvitationRecord, b: InvitationRecord) =>
  DateTime.toEpochMillis(b.createdAt) - DateTime.toEpochMillis(a.createdAt) || (a.id < b.id ? 1 : -1)

/**
 * @since 0.1.0
 * @category layers
 */
export const invitationRepo: Layer.Layer<InvitationRepo, never, MemoryDatabase> = Layer.effect(
  InvitationRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    InvitationRepo.of({
      insert: Effect.fn("MemoryInvitationRepo.insert")((invitation) =>
        database.modify(invitations, (table) => [undefined, put(table, invitation.id, invitation)])
      ),
      list: Effect.fn("MemoryInvitationRepo.list")((orgId) =>
        Effect.map(database.read(invitations), (table) =>
          [...table.values()]
            .filter((invitation) => invitation.orgId === orgId)
            .sort(newestFirst)
            .map(({ invitedBy: _, ...record }) => record)
        )
      ),
      find: Effect.fn("MemoryInvitationRepo.find")((id) =>
        Effect.map(database.read(invitations), (table) =>
          Option.map(Option.fromNullishOr(table.get(id)), ({ invitedBy: _, ...record }) => record)
        )
      ),
      accept: Effect.fn("MemoryInvitationRepo.accept")((id, at) =>
        Effect.map(
          changeWhere(
            database,
            invitations,
            (invitation) => invitation.id === id && isOpen(invitation, at),
            (invitation) => ({ ...invitation, acceptedAt: at })
          ),
          (accepted) => accepted.length > 0
        )
      ),
      revoke: Effect.fn("MemoryInvitationRepo.revoke")((orgId, id, at) =>
        Effect.map(
          changeWhere(
            database,
            invitations,
            (invitation) =>
              invitation.orgId === orgId &&
              invitation.id === id &&
              invitation.acceptedAt === null &&
              invitation.revokedAt === null,
            (invitation) => ({ ...invitation, revokedAt: at })
          ),
          (revoked) => revoked.length > 0
        )
      )
    })
  )
)

/**
 * @since 0.1.0
 * @category layers
 */
export const passwordResetRepo: Layer.Layer<PasswordResetRepo, never, MemoryDatabase> = Layer.effect(
  PasswordResetRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) => {
    const usable =
      (id: string, at: DateTime.Utc) =>
      (row: { id: string; usedAt: DateTime.Utc | null; expiresAt: DateTime.Utc }) =>
        row.id === id && row.usedAt === null && row.expiresAt > at
    return PasswordResetRepo.of({
      insert: Effect.fn("MemoryPasswordResetRepo.insert")((reset) =>
        database.modify(passwordResets, (table) => [
          undefined,
          put(table, reset.id, { ...reset, usedAt: null })
        ])
      ),
      use: Effect.fn("MemoryPasswordResetRepo.use")((id, at) =>
        Effect.map(
          changeWhere(database, passwordResets, usable(id, at), (row) => ({ ...row, usedAt: at })),
          (used) => Option.map(Option.fromNullishOr(used[0]), (row) => row.accountId)
        )
      ),
      findOpen: Effect.fn("MemoryPasswordResetRepo.findOpen")((id, at) =>
        Effect.map(database.read(passwordResets), (table) =>
          Option.map(
            Option.filter(Option.fromNullishOr(table.get(id)), usable(id, at)),
            ({ id, accountId, expiresAt }) => ({ id, accountId, expiresAt })
          )
        )
      ),
      closeAll: Effect.fn("MemoryPasswordResetRepo.closeAll")((accountId, at) =>
        Effect.asVoid(
          changeWhere(
            database,
            passwordResets,
            (row) => row.accountId === accountId && row.usedAt === null,
            (row) => ({ ...row, usedAt: at })
          )
        )
      )
    })
  })
)
