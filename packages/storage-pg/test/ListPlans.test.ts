/**
 * The other listings a client pages through (interventions, fines, the audit log, members, API
 * keys), planned on an org of 100k rows each (20k members): the statement each repository really sends
 * (captured as it runs) reads its table through an index, never sorts the whole org, and reads
 * about a page. Run on PostgreSQL when `DATABASE_URL` is set, else on PGlite.
 */
import { assert, describe, layer } from "@effect/vitest"
import {
  ApiKeyRepo,
  AuditLog,
  BookingRepos,
  IdentityRepos,
  Ids,
  InterventionRepos,
  Pagination
} from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient, Statement } from "effect/sql"
import { Deadlines, Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { planProblems } from "./fixtures/Plans.ts"

const rows = 100_000
const members = 20_000
const orgId = "5c1d7a2e-3b4f-4a6c-9d8e-000000000001" as Ids.OrgId
const otherOrg = "5c1d7a2e-3b4f-4a6c-9d8e-000000000002"
const idOf = (kind: number, n: number) =>
  `5c1d7a2e-3b4f-4a6c-9d8e-${(kind * 0x100000 + n).toString(16).padStart(12, "0")}`
const person = (n: number) => idOf(1, n)
const apiKey = (n: number) => idOf(9, n)
const resource = (n: number) => idOf(5, n)
const sqlResource = (n: string) =>
  `('5c1d7a2e-3b4f-4a6c-9d8e-' || lpad(to_hex(5242880 + ${n}), 12, '0'))::uuid`
const sqlPerson = (n: string) => `('5c1d7a2e-3b4f-4a6c-9d8e-' || lpad(to_hex(1048576 + ${n}), 12, '0'))::uuid`

// Foreign keys are not what is planned: they are off while seeding (replica role).
const seed = (sql: SqlClient.SqlClient) =>
  sql
    .withTransaction(
      Effect.gen(function* () {
        yield* sql`SET LOCAL session_replication_role = replica`
        yield* sql`SET LOCAL statement_timeout = 0`
        yield* sql.unsafe(`INSERT INTO accounts (id, email, username, full_name, created_at)
          SELECT ${sqlPerson("p")}, 'plan-' || p || '@example.test', 'plan_' || p, 'Plan Person ' || p,
            now() - interval '2 years'
          FROM generate_series(0, ${members} - 1) AS p`)
        for (const [org, scale] of [
          [orgId, 1],
          [otherOrg, 10]
        ] as const) {
          yield* sql.unsafe(`INSERT INTO memberships (org_id, account_id, role, created_at)
            SELECT '${org}', ${sqlPerson("p")},
              CASE WHEN p % 20 = 0 THEN 'manager' WHEN p % 5 = 0 THEN 'technician' ELSE 'member' END,
              now() - (p || ' minutes')::interval
            FROM generate_series(0, ${members / scale} - 1) AS p`)
          yield* sql.unsafe(`INSERT INTO interventions (org_id, id, number, title, kind, priority, status,
              client_id, resource_id, due_at, created_at)
            SELECT '${org}', gen_random_uuid(), n + 1, 'Intervention ' || n,
              CASE WHEN n % 3 = 0 THEN 'PREVENTIVE' ELSE 'CORRECTIVE' END,
              (ARRAY['LOW', 'NORMAL', 'HIGH', 'URGENT'])[1 + n % 4],
              CASE WHEN n > ${rows / scale} - 2000 THEN (ARRAY['PENDING', 'IN_PROGRESS'])[1 + n % 2] ELSE 'COMPLETED' END,
              ${sqlPerson(`n % ${members}`)}, ${sqlResource("n % 200")},
              CASE WHEN n % 2 = 0 THEN now() + (n || ' minutes')::interval END,
              now() - ((${rows / scale} - n) || ' minutes')::interval
            FROM generate_series(0, ${rows / scale} - 1) AS n`)
          // A technician's work: each intervention assigned to one of 200 people.
          yield* sql.unsafe(`INSERT INTO intervention_assignees (org_id, intervention_id, account_id)
            SELECT org_id, id, ${sqlPerson("number % 200")} FROM interventions WHERE org_id = '${org}'`)
          yield* sql.unsafe(`INSERT INTO fines (org_id, id, account_id, booking_id, amount, currency, reason, status,
              created_at)
            SELECT '${org}', gen_random_uuid(), ${sqlPerson(`n % ${members}`)}, gen_random_uuid(), 100, 'EUR', 'late',
              CASE WHEN n % 10 = 0 THEN 'OPEN' WHEN n % 10 = 1 THEN 'WAIVED' ELSE 'PAID' END,
              now() - ((${rows / scale} - n) || ' minutes')::interval
            FROM generate_series(0, ${rows / scale} - 1) AS n`)
          yield* sql.unsafe(`INSERT INTO audit_events (org_id, id, actor_id, entity_type, entity_id, action,
              after, at, request_id)
            SELECT '${org}', gen_random_uuid(), ${sqlPerson(`n % ${members}`)},
              (ARRAY['booking', 'resource', 'member', 'intervention'])[1 + n % 4], 'entity-' || (n % 5000),
              CASE WHEN n % 2 = 0 THEN 'CREATE' ELSE 'UPDATE' END, '{}'::jsonb,
              now() - ((${rows / scale} - n) || ' seconds')::interval, 'plan'
            FROM generate_series(0, ${rows / scale} - 1) AS n`)
          // Ids in creation order, as UUIDv7 are; the other org's after this one's.
          yield* sql.unsafe(`INSERT INTO api_keys (id, org_id, name, scopes, secret_hash, created_by, created_at)
            SELECT ('5c1d7a2e-3b4f-4a6c-9d8e-' || lpad(to_hex(${scale === 1 ? 9 : 10} * 1048576 + n), 12, '0'))::uuid,
              '${org}', 'Key ' || n, '{inventory.read}', 'hash-' || n, ${sqlPerson(`n % ${members}`)},
              now() - ((${rows / scale} - n) || ' minutes')::interval
            FROM generate_series(0, ${rows / scale} - 1) AS n`)
        }
      })
    )
    .pipe(
      Effect.andThen(
        Effect.forEach(
          [
            "accounts",
            "memberships",
            "interventions",
            "intervention_assignees",
            "fines",
            "audit_events",
            "api_keys"
          ],
          (table) => sql.unsafe(`ANALYZE ${table}`)
        )
      ),
      Effect.provideService(Deadlines.Unbounded, true)
    )

// The last statement a listing sent, as compiled for the database.
const captured: { statement: readonly [string, ReadonlyArray<unknown>] | undefined } = {
  statement: undefined
}
const capturing = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, Statement.CurrentTransformer, (statement) => {
    const [text, params] = statement.compile()
    if (/^\s*(WITH|SELECT)/i.test(text)) captured.statement = [text, params]
    return Effect.succeed(statement)
  })

type Listing = Effect.Effect<unknown, unknown, Layer.Success<typeof repositories>>

const repositories = Storage.layer

const listings: ReadonlyArray<readonly [string, string, Listing, number]> = [
  // [name, table, the listing, rows it may read]
  ...(
    [
      ["default (newest first)", {}, undefined],
      ["status=PENDING,IN_PROGRESS", { statuses: ["PENDING", "IN_PROGRESS"] }, undefined],
      ["status=COMPLETED", { statuses: ["COMPLETED"] }, undefined],
      ["priority=URGENT", { priorities: ["URGENT"] }, undefined],
      ["clientId", { clientId: person(7) }, undefined],
      ["kind=PREVENTIVE", { kinds: ["PREVENTIVE"] }, undefined],
      ["resourceId", { resourceId: resource(7) }, undefined],
      ["technicianId", { technicianId: person(7) }, undefined],
      ["sort=dueAt", {}, { field: "dueAt", direction: "asc" }],
      ["sort=-priority", {}, { field: "priority", direction: "desc" }],
      ["sort=number", {}, { field: "number", direction: "asc" }]
    ] as const
  ).map(
    ([name, filters, sort]) =>
      [
        `interventions ${name}`,
        "interventions",
        Effect.flatMap(InterventionRepos.InterventionRepo, (repo) =>
          repo.list(orgId, { filters: filters as never, sort: sort as never, limit: 20, cursor: undefined })
        ),
        // Completed interventions are most of the org (98% here): PostgreSQL rightly reckons the
        // creation index finds a page of them at once, but here the newest 2,000 are open work,
        // read first. That is bounded by the open work, not by the org's history.
        // A technician's interventions (1/200 of the org here) are found through their
        // assignments and sorted: bounded by their work, not the org's.
        name === "status=COMPLETED" ? 5 * 21 + 2_000 : name === "technicianId" ? 2 * (rows / 200) : 5 * 21
      ] as const
  ),
  ...(
    [
      ["default (newest first)", {}],
      ["status=OPEN", { statuses: ["OPEN"] }],
      ["accountId", { accountId: person(7) }],
      ["bookingId", { bookingId: "5c1d7a2e-3b4f-4a6c-9d8e-0000000fffff" }]
    ] as const
  ).map(
    ([name, filters]) =>
      [
        `fines ${name}`,
        "fines",
        Effect.flatMap(BookingRepos.FineRepo, (repo) =>
          repo.list(orgId, { filters: filters as never, sort: undefined, limit: 20, cursor: undefined })
        ),
        5 * 21
      ] as const
  ),
  ...(
    [
      ["default (newest first)", {}],
      ["entityType and entityId", { entityType: ["resource"], entityId: "entity-41" }],
      ["actorId", { actorId: person(7) }],
      ["action=CREATE", { action: ["CREATE"] }],
      [
        "from/to an hour",
        {
          from: DateTime.makeUnsafe(Date.now() - 26 * 3_600_000),
          to: DateTime.makeUnsafe(Date.now() - 25 * 3_600_000)
        }
      ]
    ] as const
  ).map(
    ([name, filters]) =>
      [
        `audit ${name}`,
        "audit_events",
        Effect.flatMap(AuditLog.AuditLog, (log) => log.list(orgId, { ...filters, limit: 20 })),
        5 * 21
      ] as const
  ),
  ...(
    [
      ["default", {}],
      ["role=technician", { roles: ["technician"] }],
      ["role=manager,technician", { roles: ["manager", "technician"] }],
      // `/v1/clients` lists the members (role `member`), `/v1/technicians` the technicians.
      ["role=member (clients)", { roles: ["member"] }]
    ] as const
  ).map(
    ([name, filters]) =>
      [
        `members ${name}`,
        "memberships",
        Effect.flatMap(IdentityRepos.MembershipRepo, (repo) => repo.list(orgId, { ...filters, limit: 20 })),
        5 * 21
      ] as const
  ),
  ...(
    [
      ["first page", undefined],
      ["from the middle", Pagination.encodeCursor([apiKey(rows / 2), apiKey(rows / 2)])]
    ] as const
  ).map(
    ([name, cursor]) =>
      [
        `api keys ${name}`,
        "api_keys",
        Effect.flatMap(ApiKeyRepo.ApiKeyRepo, (repo) => repo.list(orgId, { limit: 20, cursor })),
        5 * 21
      ] as const
  )
]

const store = TestDatabase.stores().at(-1)!

describe(store.name, () => {
  layer(repositories.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
    timeout: 300_000,
    excludeTestServices: true
  })("listings on an org of 100k rows", (it) => {
    it.effect(
      "every listing reads its table through an index, in page order, about a page of rows",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* seed(sql)
          const failures: Array<string> = []
          for (const [name, table, listing, bound] of listings) {
            captured.statement = undefined
            yield* capturing(listing)
            const [text, params]: readonly [string, ReadonlyArray<unknown>] = captured.statement ?? ["", []]
            assert.isNotEmpty(text, name)
            const problems = yield* planProblems(sql, [text, params], table, bound)
            if (problems.length > 0) failures.push(`${name}: ${problems.join("; ")}`)
          }
          assert.deepStrictEqual(failures, [])
        }),
      300_000
    )
  })
})
