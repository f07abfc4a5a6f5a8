/**
 * The time ledger on PostgreSQL. The exclusion constraint `allocations_no_overlap` decides every
 * claim, so the invariant holds across transactions and servers; this adapter only turns its
 * refusal into a `Conflict` that names what stands in the way. Writes run in a savepoint, so a
 * refused claim rolls back alone and the caller's transaction carries on.
 *
 * @since 0.1.0
 */
import { type Errors, Ids, type Interval, Ledger } from "@rota/core"
import { Array as Arr, Clock, DateTime, Effect, Layer, Order, Schema } from "effect"
import { SqlClient, type SqlError, type Statement } from "effect/sql"
import { constraintName, sqlState } from "./SqlErrors.ts"

const AllocationRow = Schema.Struct({
  org_id: Schema.String,
  id: Schema.String,
  subject_type: Ledger.Subject.fields.type,
  subject_id: Schema.String,
  start_at: Schema.Date,
  end_at: Schema.Date,
  source_type: Ledger.Source.fields.type,
  source_id: Schema.String,
  active: Schema.Boolean
})
type AllocationRow = typeof AllocationRow.Type

const decodeRows = Schema.decodeUnknownSync(Schema.Array(AllocationRow))

const toAllocation = (row: AllocationRow) =>
  new Ledger.Allocation({
    id: Ledger.AllocationId.make(row.id),
    orgId: Ids.OrgId.make(row.org_id),
    subject: { type: row.subject_type, id: row.subject_id },
    interval: { startAt: DateTime.fromDateUnsafe(row.start_at), endAt: DateTime.fromDateUnsafe(row.end_at) },
    source: { type: row.source_type, id: row.source_id },
    active: row.active
  })

const insertOrder = Order.mapInput(
  Order.Struct({ type: Order.String, id: Order.String }),
  (allocation: Ledger.Allocation) => allocation.subject
)

const isOverlap = (error: SqlError.SqlError): boolean =>
  sqlState(error) === "23P01" && constraintName(error) === "allocations_no_overlap"

// A refusal whose blocker was released before we could name it is retried; a few in a row mean
// the constraint and the core's rule disagree, which is a bug, not a conflict.
const maxAttempts = 3

const range = (sql: SqlClient.SqlClient, interval: Interval.Interval) =>
  sql`tstzrange(${DateTime.toDateUtc(interval.startAt)}, ${DateTime.toDateUtc(interval.endAt)}, '[)')`

// Ranges are read as their bounds: sql-pg has no decoder for tstzrange.
const select = (sql: SqlClient.SqlClient, where: Statement.Fragment, lock: Statement.Fragment = sql``) =>
  sql`SELECT org_id, id, subject_type, subject_id, lower(during) AS start_at, upper(during) AS end_at,
          source_type, source_id, active
        FROM allocations WHERE ${where}
        ORDER BY subject_type, subject_id, lower(during), id ${lock}`.pipe(
    Effect.map((rows) => decodeRows(rows).map(toAllocation))
  )

const ofSubject = (sql: SqlClient.SqlClient, subject: Ledger.Subject) =>
  sql`(subject_type = ${subject.type} AND subject_id = ${subject.id})`

const ofSource = (sql: SqlClient.SqlClient, orgId: Ids.OrgId, source: Ledger.Source) =>
  sql`org_id = ${orgId} AND source_type = ${source.type} AND source_id = ${source.id} AND active`

const blocking = (sql: SqlClient.SqlClient, orgId: Ids.OrgId, claims: ReadonlyArray<Ledger.Claim>) =>
  select(
    sql,
    sql`org_id = ${orgId} AND active AND ${sql.or(
      claims.map(
        (claim) => sql`(${ofSubject(sql, claim.subject)} AND during && ${range(sql, claim.interval)})`
      )
    )}`
  )

// Rows go in subject order, so two claims over the same subjects wait on each other in the
// same order instead of each holding one subject the other needs (a deadlock).
const insert = (sql: SqlClient.SqlClient, allocations: ReadonlyArray<Ledger.Allocation>, createdAt: Date) =>
  sql`INSERT INTO allocations
          (org_id, id, subject_type, subject_id, during, source_type, source_id, active, created_at)
        VALUES ${sql.csv(
          Arr.sort(allocations, insertOrder).map(
            (allocation) => sql`(${allocation.orgId}, ${allocation.id}, ${allocation.subject.type},
              ${allocation.subject.id}, ${range(sql, allocation.interval)}, ${allocation.source.type},
              ${allocation.source.id}, true, ${createdAt})`
          )
        )}`

const mint = (orgId: Ids.OrgId, claims: ReadonlyArray<Ledger.Claim>) =>
  Effect.forEach(claims, (claim) =>
    Effect.map(
      Ids.nextId(Ledger.AllocationId),
      (id) => new Ledger.Allocation({ id, orgId, ...claim, active: true })
    )
  )

/**
 * Mints the allocations for `claims` and runs `write(allocations)` in a savepoint. When the
 * exclusion constraint refuses it, the savepoint has already rolled back, and the active
 * allocations in the way (other than the moving source's own) are read and reported.
 */
const guarded = <R>(
  sql: SqlClient.SqlClient,
  orgId: Ids.OrgId,
  claims: ReadonlyArray<Ledger.Claim>,
  write: (allocations: ReadonlyArray<Ledger.Allocation>) => Effect.Effect<unknown, SqlError.SqlError, R>,
  moving?: Ledger.Source
): Effect.Effect<ReadonlyArray<Ledger.Allocation>, Errors.Conflict | SqlError.SqlError, R | Ids.Ids> =>
  Effect.gen(function* () {
    const within = Ledger.conflictOf(Ledger.clashesWithin(claims))
    if (within !== undefined) return yield* within
    const allocations = yield* mint(orgId, claims)
    for (let attempt = 1; ; attempt++) {
      const refused = yield* sql.withTransaction(write(allocations)).pipe(
        Effect.as(false),
        Effect.catchIf(isOverlap, () => Effect.succeed(true))
      )
      if (!refused) return allocations
      const inTheWay = (yield* blocking(sql, orgId, claims)).filter(
        (allocation) => moving === undefined || !Ledger.sameSource(allocation.source, moving)
      )
      const conflict = Ledger.conflictOf(Ledger.clashesWith(inTheWay, claims))
      if (conflict !== undefined) return yield* conflict
      if (attempt === maxAttempts) {
        return yield* Effect.die(
          new Error("allocations_no_overlap refused a claim that clashes with nothing")
        )
      }
    }
  })

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

// A claim needs no savepoint: `ON CONFLICT DO NOTHING` skips the rows the exclusion constraint
// refuses (after waiting for any writer in the way) instead of failing the transaction, so the
// common case is one statement. A partial claim is taken back.
const claim = (sql: SqlClient.SqlClient) =>
  Effect.fn("PgLedger.claim")(
    function* (orgId: Ids.OrgId, claims: ReadonlyArray<Ledger.Claim>) {
      if (claims.length === 0) return []
      const within = Ledger.conflictOf(Ledger.clashesWithin(claims))
      if (within !== undefined) return yield* within
      const createdAt = yield* now
      const allocations = yield* mint(orgId, claims)
      for (let attempt = 1; ; attempt++) {
        const inserted = yield* sql<{ id: string }>`${insert(sql, allocations, createdAt)}
            ON CONFLICT DO NOTHING RETURNING id`
        if (inserted.length === allocations.length) return allocations
        if (inserted.length > 0) {
          yield* sql`DELETE FROM allocations WHERE org_id = ${orgId}
              AND id IN ${sql.in(inserted.map((row) => row.id))}`
        }
        const conflict = Ledger.conflictOf(Ledger.clashesWith(yield* blocking(sql, orgId, claims), claims))
        if (conflict !== undefined) return yield* conflict
        if (attempt === maxAttempts) {
          return yield* Effect.die(
            new Error("allocations_no_overlap refused a claim that clashes with nothing")
          )
        }
      }
    },
    Effect.catchTag("SqlError", Effect.die)
  )

const release = (sql: SqlClient.SqlClient) =>
  Effect.fn("PgLedger.release")(function* (orgId: Ids.OrgId, source: Ledger.Source) {
    const released =
      yield* sql`UPDATE allocations SET active = false WHERE ${ofSource(sql, orgId, source)} RETURNING id`
    return released.length
  }, Effect.orDie)

const move = (sql: SqlClient.SqlClient) =>
  Effect.fn("PgLedger.move")(
    function* (orgId: Ids.OrgId, source: Ledger.Source, interval: Interval.Interval) {
      const createdAt = yield* now
      // The outer savepoint holds the source's rows locked from reading them to replacing them.
      return yield* sql.withTransaction(
        Effect.gen(function* () {
          const current = yield* select(sql, ofSource(sql, orgId, source), sql`FOR UPDATE`)
          if (current.length === 0) return []
          const claims = current.map((allocation) => ({ subject: allocation.subject, interval, source }))
          return yield* guarded(
            sql,
            orgId,
            claims,
            (allocations) =>
              Effect.andThen(
                sql`UPDATE allocations SET active = false
                    WHERE org_id = ${orgId} AND id IN ${sql.in(current.map((allocation) => allocation.id))}`,
                insert(sql, allocations, createdAt)
              ),
            source
          )
        })
      )
    },
    Effect.catchTag("SqlError", Effect.die)
  )

const activeFor = (sql: SqlClient.SqlClient) =>
  Effect.fn("PgLedger.activeFor")(function* (
    orgId: Ids.OrgId,
    subjects: ReadonlyArray<Ledger.Subject>,
    window: Interval.Interval
  ) {
    if (subjects.length === 0) return []
    return yield* select(
      sql,
      sql`org_id = ${orgId} AND active AND during && ${range(sql, window)} AND ${sql.or(subjects.map((subject) => ofSubject(sql, subject)))}`
    )
  }, Effect.orDie)

// The exclusion constraint's gist index (org, subject, during) serves this read.
const activeIn = (sql: SqlClient.SqlClient) =>
  Effect.fn("PgLedger.activeIn")(function* (orgId: Ids.OrgId, window: Interval.Interval, limit: number) {
    return yield* sql`SELECT org_id, id, subject_type, subject_id, lower(during) AS start_at,
          upper(during) AS end_at, source_type, source_id, active
        FROM allocations WHERE org_id = ${orgId} AND active AND during && ${range(sql, window)}
        ORDER BY subject_type, subject_id, lower(during), id LIMIT ${limit}`.pipe(
      Effect.map((rows) => decodeRows(rows).map(toAllocation))
    )
  }, Effect.orDie)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Ledger.Ledger, never, SqlClient.SqlClient> = Layer.effect(
  Ledger.Ledger,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return Ledger.Ledger.of({
      claim: claim(sql),
      release: release(sql),
      move: move(sql),
      activeFor: activeFor(sql),
      activeIn: activeIn(sql)
    })
  })
)
