/**
 * Invitations on PostgreSQL; accepting one is a single guarded `UPDATE`.
 *
 * @since 0.1.0
 */
import { IdentityRepos, Ids, Role } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"

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
  expiresAt: DateTime.fromDateUnsafe(row.expires_at),
  acceptedAt: row.accepted_at === null ? null : DateTime.fromDateUnsafe(row.accepted_at),
  revokedAt: row.revoked_at === null ? null : DateTime.fromDateUnsafe(row.revoked_at),
  createdAt: DateTime.fromDateUnsafe(row.created_at)
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
            expires_at: DateTime.toDateUtc(invitation.expiresAt),
            accepted_at: invitation.acceptedAt === null ? null : DateTime.toDateUtc(invitation.acceptedAt),
            revoked_at: invitation.revokedAt === null ? null : DateTime.toDateUtc(invitation.revokedAt),
            created_at: DateTime.toDateUtc(invitation.createdAt)
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
            ? sql`UPDATE invitations SET accepted_at = ${DateTime.toDateUtc(at)}
                WHERE id = ${id} AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ${DateTime.toDateUtc(at)}
                RETURNING id`.pipe(
                Effect.map((rows) => rows.length > 0),
                Effect.orDie
              )
            : Effect.succeed(false),
        revoke: (orgId, id, at) =>
          Ids.isUuid(id)
            ? sql`UPDATE invitations SET revoked_at = ${DateTime.toDateUtc(at)}
                WHERE org_id = ${orgId} AND id = ${id} AND accepted_at IS NULL AND revoked_at IS NULL
                RETURNING id`.pipe(
                Effect.map((rows) => rows.length > 0),
                Effect.orDie
              )
            : Effect.succeed(false)
      })
    })
  )
