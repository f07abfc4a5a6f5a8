/**
 * Organisations on PostgreSQL, with their settings and the orgs an account belongs to.
 *
 * @since 0.1.0
 */
import { Errors, IdentityRepos, Ids, Organization, Role } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { setPrefix, settingsFromJson, versionGuard } from "./IdentitySql.ts"
import * as SessionCache from "./SessionCache.ts"
import { uniqueAsAlreadyExists } from "./SqlErrors.ts"

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
        if (changes.settings !== undefined) yield* SessionCache.distrust({ _tag: "Org", orgId: id })
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
