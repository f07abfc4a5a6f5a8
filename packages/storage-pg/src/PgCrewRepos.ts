/**
 * Crews on PostgreSQL: projects, missions, assignments and availability windows as `PgRecords`
 * stores, and rate profiles as one row per member.
 *
 * @since 0.1.0
 */
import { Assignment, Availability, CrewRepos, Ids, Mission, Project, RateProfile } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import * as Keyset from "./Keyset.ts"
import * as PgRecords from "./PgRecords.ts"
import * as TextSearch from "./TextSearch.ts"
import * as Windows from "./Windows.ts"

const byCreation = { name: "created_at", kind: "timestamp" } as const
const byStart = { name: "start_at", kind: "timestamp" } as const

const equals = (sql: SqlClient.SqlClient, column: string, value: string | undefined) =>
  value === undefined ? undefined : sql`${sql(column)} = ${value}`

// `from`/`to`: rows whose [start, end) overlaps the window; a missing bound is unbounded.
const overlapping = (
  sql: SqlClient.SqlClient,
  columns: { readonly start: string; readonly end: string },
  window: { readonly from?: DateTime.Utc | undefined; readonly to?: DateTime.Utc | undefined }
): ReadonlyArray<Statement.Fragment | undefined> => [
  window.from === undefined
    ? undefined
    : sql`(${sql(columns.end)} IS NULL OR ${sql(columns.end)} > ${DateTime.toDateUtc(window.from)})`,
  window.to === undefined
    ? undefined
    : sql`(${sql(columns.start)} IS NULL OR ${sql(columns.start)} < ${DateTime.toDateUtc(window.to)})`
]

// --- projects -----------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const projectRepo: Layer.Layer<CrewRepos.ProjectRepo, never, SqlClient.SqlClient> = Layer.effect(
  CrewRepos.ProjectRepo,
  PgRecords.make<Project.Project, Project.ProjectFilters, Project.ProjectSort>({
    table: "projects",
    entity: "project",
    decode: (row) => PgRecords.construct(Project.Project, PgRecords.toFields(row)),
    encode: (fields) => PgRecords.toColumns(fields),
    filters: (sql, filters) => [
      TextSearch.contains(sql, ["name"], filters.q),
      ...overlapping(sql, { start: "starts_at", end: "ends_at" }, filters)
    ],
    split: (filters) => ({ column: "status", values: filters.statuses }),
    sorts: { name: { name: "name", kind: "text" }, createdAt: byCreation },
    defaultSort: { field: "createdAt", direction: "asc" },
    unique: {}
  })
)

// --- missions -----------------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category layers
 */
export const missionRepo: Layer.Layer<CrewRepos.MissionRepo, never, SqlClient.SqlClient> = Layer.effect(
  CrewRepos.MissionRepo,
  PgRecords.make<Mission.Mission, Mission.MissionFilters, Mission.MissionSort>({
    table: "missions",
    entity: "mission",
    decode: (row) => PgRecords.construct(Mission.Mission, PgRecords.toFields(row)),
    encode: (fields) => PgRecords.toColumns(fields),
    filters: (sql, filters, orgId) => [
      equals(sql, "project_id", filters.projectId),
      filters.role === undefined ? undefined : sql`lower(role) = ${filters.role.trim().toLowerCase()}`,
      TextSearch.contains(sql, ["title", "location"], filters.q),
      ...overlapping(sql, { start: "start_at", end: "end_at" }, filters),
      filters.from === undefined
        ? undefined
        : Windows.startsAfter(sql, { table: "missions", orgId, from: DateTime.toDateUtc(filters.from) })
    ],
    sorts: { startAt: byStart, title: { name: "title", kind: "text" }, createdAt: byCreation },
    defaultSort: { field: "startAt", direction: "asc" },
    unique: {}
  })
)

// --- assignments --------------------------------------------------------------------------------

const assignmentOf = (row: PgRecords.Row) =>
  PgRecords.construct(Assignment.Assignment, PgRecords.toFields(row))

const WorkRow = Schema.Struct({ account_id: Schema.String, start_at: Schema.Date, end_at: Schema.Date })
const decodeWork = Schema.decodeUnknownSync(Schema.Array(WorkRow))

/**
 * @since 0.1.0
 * @category layers
 */
export const assignmentRepo: Layer.Layer<CrewRepos.AssignmentRepo, never, SqlClient.SqlClient> = Layer.effect(
  CrewRepos.AssignmentRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const records = yield* PgRecords.make<
      Assignment.Assignment,
      Assignment.AssignmentFilters,
      Assignment.AssignmentSort
    >({
      table: "assignments",
      entity: "assignment",
      decode: assignmentOf,
      encode: (fields) => PgRecords.toColumns(fields),
      filters: (sql, filters) => [
        equals(sql, "mission_id", filters.missionId),
        equals(sql, "account_id", filters.accountId)
      ],
      split: (filters) => ({ column: "status", values: filters.statuses }),
      sorts: { createdAt: byCreation },
      defaultSort: { field: "createdAt", direction: "asc" },
      unique: { assignments_open_key: { entity: "assignment", field: "accountId" } }
    })
    return CrewRepos.AssignmentRepo.of({
      ...records,
      findAnywhere: (id) =>
        Ids.isUuid(id)
          ? sql<PgRecords.Row>`SELECT * FROM assignments WHERE id = ${id}`.pipe(
              Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), assignmentOf)),
              Effect.orDie
            )
          : Effect.succeedNone,
      countAccepted: (orgId, missionId) =>
        sql<{ readonly accepted: number }>`SELECT count(*)::int AS accepted FROM assignments
          WHERE org_id = ${orgId} AND mission_id = ${missionId} AND status = 'ACCEPTED'`.pipe(
          Effect.map((rows) => Number(rows[0]?.accepted ?? 0)),
          Effect.orDie
        ),
      listOpen: (orgId, missionId) =>
        sql<PgRecords.Row>`SELECT * FROM assignments
          WHERE org_id = ${orgId} AND mission_id = ${missionId} AND status IN ('INVITED', 'ACCEPTED')
          ORDER BY created_at, id`.pipe(
          Effect.map((rows) => rows.map(assignmentOf)),
          Effect.orDie
        ),
      acceptedWork: (orgId, projectId) =>
        sql`SELECT assignments.account_id, missions.start_at, missions.end_at
          FROM assignments JOIN missions
            ON missions.org_id = assignments.org_id AND missions.id = assignments.mission_id
          WHERE assignments.org_id = ${orgId} AND missions.project_id = ${projectId}
            AND missions.deleted_at IS NULL AND assignments.status = 'ACCEPTED'`.pipe(
          Effect.map((rows) =>
            decodeWork(rows).map((row) => ({
              accountId: Ids.AccountId.make(row.account_id),
              interval: {
                startAt: DateTime.fromDateUnsafe(row.start_at),
                endAt: DateTime.fromDateUnsafe(row.end_at)
              }
            }))
          ),
          Effect.orDie
        )
    })
  })
)

// --- availability -------------------------------------------------------------------------------

const availabilityOf = (row: PgRecords.Row) =>
  PgRecords.construct(Availability.Availability, PgRecords.toFields(row))

/**
 * @since 0.1.0
 * @category layers
 */
export const availabilityRepo: Layer.Layer<CrewRepos.AvailabilityRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    CrewRepos.AvailabilityRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const records = yield* PgRecords.make<
        Availability.Availability,
        Availability.AvailabilityFilters,
        Availability.AvailabilitySort
      >({
        table: "availability_windows",
        entity: "availability",
        decode: availabilityOf,
        encode: (fields) => PgRecords.toColumns(fields),
        filters: (sql, filters, orgId) => [
          equals(sql, "account_id", filters.accountId),
          Keyset.inList(sql, "kind", filters.kinds),
          ...overlapping(sql, { start: "start_at", end: "end_at" }, filters),
          filters.from === undefined
            ? undefined
            : Windows.startsAfter(sql, {
                table: "availability_windows",
                orgId,
                from: DateTime.toDateUtc(filters.from)
              })
        ],
        split: (filters) => ({ column: "status", values: filters.statuses }),
        sorts: { startAt: byStart, createdAt: byCreation },
        defaultSort: { field: "startAt", direction: "asc" },
        unique: {}
      })
      return CrewRepos.AvailabilityRepo.of({
        ...records,
        blocking: (orgId, accountId, interval) =>
          sql<PgRecords.Row>`SELECT * FROM availability_windows
            WHERE org_id = ${orgId} AND account_id = ${accountId} AND deleted_at IS NULL
              AND kind = 'UNAVAILABLE' AND status = 'APPROVED'
              AND start_at < ${DateTime.toDateUtc(interval.endAt)} AND end_at > ${DateTime.toDateUtc(interval.startAt)}
            ORDER BY start_at, id`.pipe(
            Effect.map((rows) => rows.map(availabilityOf)),
            Effect.orDie
          )
      })
    })
  )

// --- rate profiles ------------------------------------------------------------------------------

const RateRow = Schema.Struct({
  org_id: Schema.String,
  account_id: Schema.String,
  currency: Schema.String,
  // bigint columns arrive as strings (PostgreSQL) or bigints (PGlite); rates stay below 2^53.
  hourly: Schema.NullOr(Schema.Union([Schema.String, Schema.Number, Schema.BigInt])),
  daily: Schema.NullOr(Schema.Union([Schema.String, Schema.Number, Schema.BigInt]))
})
const decodeRates = Schema.decodeUnknownSync(Schema.Array(RateRow))

const profilesOf = (rows: ReadonlyArray<unknown>) =>
  decodeRates(rows).map(
    (row) =>
      new RateProfile.RateProfile({
        orgId: Ids.OrgId.make(row.org_id),
        accountId: Ids.AccountId.make(row.account_id),
        currency: row.currency,
        hourly: row.hourly === null ? null : Number(row.hourly),
        daily: row.daily === null ? null : Number(row.daily)
      })
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const rateProfileRepo: Layer.Layer<CrewRepos.RateProfileRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    CrewRepos.RateProfileRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return CrewRepos.RateProfileRepo.of({
        find: (orgId, accountId) =>
          sql`SELECT * FROM rate_profiles WHERE org_id = ${orgId} AND account_id = ${accountId}`.pipe(
            Effect.map((rows) => Option.fromNullishOr(profilesOf(rows)[0])),
            Effect.orDie
          ),
        put: (profile) =>
          sql`INSERT INTO rate_profiles ${sql.insert({
            org_id: profile.orgId,
            account_id: profile.accountId,
            currency: profile.currency,
            hourly: profile.hourly,
            daily: profile.daily
          })}
        ON CONFLICT (org_id, account_id)
        DO UPDATE SET currency = EXCLUDED.currency, hourly = EXCLUDED.hourly, daily = EXCLUDED.daily
        RETURNING *`.pipe(
            Effect.map((rows) => profilesOf(rows)[0]!),
            Effect.orDie
          ),
        forAccounts: (orgId, accountIds) =>
          accountIds.length === 0
            ? Effect.succeed([])
            : sql`SELECT * FROM rate_profiles WHERE org_id = ${orgId} AND account_id IN ${sql.in(accountIds)}`.pipe(
                Effect.map(profilesOf),
                Effect.orDie
              )
      })
    })
  )

/**
 * Every crews port over one `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  | CrewRepos.ProjectRepo
  | CrewRepos.MissionRepo
  | CrewRepos.AssignmentRepo
  | CrewRepos.AvailabilityRepo
  | CrewRepos.RateProfileRepo,
  never,
  SqlClient.SqlClient
> = Layer.mergeAll(projectRepo, missionRepo, assignmentRepo, availabilityRepo, rateProfileRepo)
