/**
 * The audit log on PostgreSQL. Events are inserted in the caller's transaction; the sealer
 * chains pending events per org after commit (one org at a time under an advisory lock, so
 * concurrent sealers never fork a chain); the verifier recomputes the chain.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Audit, AuditLog, Idempotency, Ids } from "@rota/core"
import { Array as Arr, DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import * as Keyset from "./Keyset.ts"
import * as PendingWrites from "./PendingWrites.ts"

const EventRow = Schema.Struct({
  org_id: Schema.String,
  id: Schema.String,
  actor_id: Schema.NullOr(Schema.String),
  entity_type: Schema.String,
  entity_id: Schema.String,
  action: Audit.AuditAction,
  before: Schema.NullOr(Schema.Json),
  after: Schema.NullOr(Schema.Json),
  at: Schema.Date,
  request_id: Schema.String
})
type EventRow = typeof EventRow.Type

// Newest first: the audit trail pages by time, then id.
const byTime: Keyset.Column = { name: "at", kind: "timestamp" }

const decodeRows = Schema.decodeUnknownSync(Schema.Array(EventRow))

const decodeSealRow = Schema.decodeUnknownSync(
  Schema.Struct({ sealed_event_id: Schema.String, prev_hash: Schema.String, hash: Schema.String })
)

const toEvent = (row: EventRow) =>
  new Audit.AuditEvent({
    id: Audit.AuditEventId.make(row.id),
    orgId: Ids.OrgId.make(row.org_id),
    actorId: row.actor_id === null ? null : Ids.AccountId.make(row.actor_id),
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    before: row.before,
    after: row.after,
    at: DateTime.fromDateUnsafe(row.at),
    requestId: row.request_id
  })

const genesis = "0".repeat(64)

/**
 * The seal of one event: SHA-256 over the previous seal and the event's canonical form, as read
 * back from the database (so sealing and verifying hash the same bytes).
 *
 * @since 0.1.0
 * @category sealing
 */
export const sealHash = (prevHash: string, row: EventRow): string =>
  createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(
      Idempotency.canonicalJson({
        ...row,
        at: row.at.toISOString()
      })
    )
    .digest("hex")

const sealLockNamespace = 727_002

const append = (sql: SqlClient.SqlClient) => (event: Audit.AuditEvent) =>
  PendingWrites.write(
    sql,
    sql`INSERT INTO audit_events ${sql.insert({
      org_id: event.orgId,
      id: event.id,
      actor_id: event.actorId,
      entity_type: event.entityType,
      entity_id: event.entityId,
      action: event.action,
      before: event.before === null ? null : JSON.stringify(event.before),
      after: event.after === null ? null : JSON.stringify(event.after),
      at: DateTime.toDateUtc(event.at),
      request_id: event.requestId
    })}`
  ).pipe(Effect.orDie)

const list = (sql: SqlClient.SqlClient) => (orgId: Ids.OrgId, query: AuditLog.AuditQuery) =>
  Effect.gen(function* () {
    const after = query.cursor === undefined ? undefined : yield* Keyset.positionOf(byTime, query.cursor)
    const conditions: Array<Statement.Fragment> = [sql`org_id = ${orgId}`]
    if (query.entityType?.length) conditions.push(sql`entity_type IN ${sql.in(query.entityType)}`)
    if (query.entityId !== undefined) conditions.push(sql`entity_id = ${query.entityId}`)
    if (query.actorId !== undefined) conditions.push(sql`actor_id = ${query.actorId}`)
    if (query.action?.length) conditions.push(sql`action IN ${sql.in(query.action)}`)
    if (query.from !== undefined) conditions.push(sql`at >= ${DateTime.toDateUtc(query.from)}`)
    if (query.to !== undefined) conditions.push(sql`at < ${DateTime.toDateUtc(query.to)}`)
    if (after !== undefined) conditions.push(Keyset.after(sql, byTime, "desc", after))
    const rows = yield* sql`SELECT *,
        ${Keyset.microsOf(sql, sql`at`)} AS ${sql(Keyset.positionKey)}
      FROM audit_events WHERE ${sql.and(conditions)}
      ${Keyset.orderBy(sql, byTime, "desc")} ${Keyset.limitOf(sql, query.limit + 1)}`
    return Keyset.positioned(rows, decodeRows(rows).map(toEvent), query.limit, (event) => event.id)
  }).pipe(Effect.catchTag("SqlError", (error) => Effect.die(error)))

const sealOrg = (sql: SqlClient.SqlClient) => (orgId: string) =>
  sql
    .withTransaction(
      Effect.gen(function* () {
        yield* sql`SELECT pg_advisory_xact_lock(${sealLockNamespace}, hashtext(${orgId}))`
        const pending = decodeRows(
          yield* sql`SELECT e.* FROM audit_pending p
            JOIN audit_events e ON e.org_id = p.org_id AND e.id = p.event_id
            WHERE p.org_id = ${orgId} ORDER BY p.at, p.event_id LIMIT 1000`
        )
        if (!Arr.isReadonlyArrayNonEmpty(pending)) return 0
        const head = yield* sql<{ seq: number; hash: string }>`
          SELECT seq::int AS seq, hash FROM audit_seals WHERE org_id = ${orgId} ORDER BY seq DESC LIMIT 1`
        let seq = head[0]?.seq ?? 0
        let prevHash = head[0]?.hash ?? genesis
        const seals = Arr.map(pending, (row) => {
          const hash = sealHash(prevHash, row)
          const seal = { org_id: orgId, seq: ++seq, event_id: row.id, prev_hash: prevHash, hash }
          prevHash = hash
          return seal
        })
        yield* sql`INSERT INTO audit_seals ${sql.insert(seals)}`
        yield* sql`DELETE FROM audit_pending WHERE org_id = ${orgId} AND event_id IN ${sql.in(pending.map((row) => row.id))}`
        return pending.length
      })
    )
    .pipe(Effect.orDie)

const seal = (sql: SqlClient.SqlClient) => (orgId?: Ids.OrgId) =>
  Effect.gen(function* () {
    const orgs =
      orgId === undefined
        ? (yield* sql<{ org_id: string }>`SELECT DISTINCT org_id FROM audit_pending`).map((row) => row.org_id)
        : [orgId]
    let sealed = 0
    for (const org of orgs) {
      // Drain in batches so one busy org cannot hold its lock for long.
      let batch = 0
      do {
        batch = yield* sealOrg(sql)(org)
        sealed += batch
      } while (batch === 1000)
    }
    return sealed
  }).pipe(Effect.orDie)

const verify = (sql: SqlClient.SqlClient) => (orgId: Ids.OrgId) =>
  Effect.gen(function* () {
    yield* seal(sql)(orgId)
    const rows = yield* sql`
      SELECT s.seq::int AS seq, s.event_id AS sealed_event_id, s.prev_hash, s.hash, e.*
      FROM audit_seals s LEFT JOIN audit_events e ON e.org_id = s.org_id AND e.id = s.event_id
      WHERE s.org_id = ${orgId} ORDER BY s.seq`
    let prevHash = genesis
    let checked = 0
    for (const raw of rows) {
      const row = decodeSealRow(raw)
      checked++
      // A missing event (its row deleted behind the triggers' back) decodes to None.
      const event = Schema.decodeUnknownOption(EventRow)(raw)
      if (
        event._tag === "None" ||
        row.prev_hash !== prevHash ||
        sealHash(prevHash, event.value) !== row.hash
      ) {
        return { ok: false, checked, brokenAt: row.sealed_event_id }
      }
      prevHash = row.hash
    }
    return { ok: true, checked, brokenAt: null }
  }).pipe(Effect.orDie)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<AuditLog.AuditLog, never, SqlClient.SqlClient> = Layer.effect(
  AuditLog.AuditLog,
  Effect.map(Effect.service(SqlClient.SqlClient), (sql) =>
    AuditLog.AuditLog.of({ append: append(sql), list: list(sql), seal: seal(sql), verify: verify(sql) })
  )
)
