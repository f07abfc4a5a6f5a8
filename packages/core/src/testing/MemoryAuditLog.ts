/**
 * The `AuditLog` port on the {@link MemoryDatabase}: events are appended in the caller's
 * transaction, listed newest first in keyset pages, and sealed per org into a hash chain that
 * `verify` recomputes, as on PostgreSQL (the same `AuditLogContract` holds both to it). The core
 * imports only `effect`, so the chain uses Effect's 32-bit string hash: it finds an edited or
 * missing event, but unlike the SHA-256 chain of PostgreSQL it is no defence against forgery.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Hash, Layer } from "effect"
import type { AuditEvent } from "../kernel/AuditEvent.ts"
import { AuditLog, type AuditQuery } from "../kernel/AuditLog.ts"
import { canonicalJson } from "../kernel/Idempotency.ts"
import type { OrgId } from "../kernel/Ids.ts"
import { MemoryDatabase, put, rows, table } from "./MemoryDatabase.ts"
import { pageOf } from "./MemoryPages.ts"

interface Seal {
  readonly eventId: string
  readonly prevHash: string
  readonly hash: string
}

const events = rows<AuditEvent>("audit_events")
const pending = table<ReadonlySet<string>>("audit_pending", new Set())
const seals = table<ReadonlyMap<string, ReadonlyArray<Seal>>>("audit_seals", new Map())

const genesis = "0".repeat(8)

const sealHash = (prevHash: string, event: AuditEvent): string =>
  (
    Hash.string(
      `${prevHash}\n${canonicalJson({
        id: event.id,
        orgId: event.orgId,
        actorId: event.actorId,
        entityType: event.entityType,
        entityId: event.entityId,
        action: event.action,
        before: event.before,
        after: event.after,
        at: DateTime.formatIso(event.at),
        requestId: event.requestId
      })}`
    ) >>> 0
  )
    .toString(16)
    .padStart(8, "0")

const millis = (event: AuditEvent) => DateTime.toEpochMillis(event.at)

const matches = (event: AuditEvent, orgId: OrgId, query: AuditQuery): boolean =>
  event.orgId === orgId &&
  (!query.entityType?.length || query.entityType.includes(event.entityType)) &&
  (query.entityId === undefined || event.entityId === query.entityId) &&
  (query.actorId === undefined || event.actorId === query.actorId) &&
  (!query.action?.length || query.action.includes(event.action)) &&
  (query.from === undefined || millis(event) >= DateTime.toEpochMillis(query.from)) &&
  (query.to === undefined || millis(event) < DateTime.toEpochMillis(query.to))

const byTime = (a: AuditEvent, b: AuditEvent) => millis(a) - millis(b) || (a.id < b.id ? -1 : 1)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<AuditLog, never, MemoryDatabase> = Layer.effect(
  AuditLog,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    const append = Effect.fn("MemoryAuditLog.append")(function* (event: AuditEvent) {
      yield* database.modify(events, (all) => [undefined, put(all, event.id, event)])
      yield* database.modify(pending, (ids) => [undefined, new Set(ids).add(event.id)])
    })

    const list = Effect.fn("MemoryAuditLog.list")(function* (orgId: OrgId, query: AuditQuery) {
      const all = yield* database.read(events)
      return yield* pageOf(
        [...all.values()].filter((event) => matches(event, orgId, query)),
        {
          positionOf: (event) => [millis(event), event.id],
          direction: "desc",
          limit: query.limit,
          cursor: query.cursor
        }
      )
    })

    // Chains the org's pending events after its last seal, in one transaction.
    const sealOrg = (orgId: string) =>
      database.transaction(
        Effect.gen(function* () {
          const all = yield* database.read(events)
          const waiting = [...(yield* database.read(pending))]
            .map((id) => all.get(id))
            .filter((event): event is AuditEvent => event?.orgId === orgId)
            .sort(byTime)
          if (waiting.length === 0) return 0
          yield* database.modify(seals, (chains) => {
            const chain = [...(chains.get(orgId) ?? [])]
            for (const event of waiting) {
              const prevHash = chain.at(-1)?.hash ?? genesis
              chain.push({ eventId: event.id, prevHash, hash: sealHash(prevHash, event) })
            }
            return [undefined, put(chains, orgId, chain)]
          })
          yield* database.modify(pending, (ids) => {
            const rest = new Set(ids)
            for (const event of waiting) rest.delete(event.id)
            return [undefined, rest]
          })
          return waiting.length
        })
      )

    const seal = Effect.fn("MemoryAuditLog.seal")(function* (orgId?: OrgId) {
      const all = yield* database.read(events)
      const orgs =
        orgId === undefined
          ? new Set([...(yield* database.read(pending))].map((id) => all.get(id)?.orgId ?? ""))
          : [orgId]
      let sealed = 0
      for (const org of orgs) sealed += yield* sealOrg(org)
      return sealed
    })

    const verify = Effect.fn("MemoryAuditLog.verify")(function* (orgId: OrgId) {
      yield* seal(orgId)
      const all = yield* database.read(events)
      const chain = (yield* database.read(seals)).get(orgId) ?? []
      let prevHash = genesis
      let checked = 0
      for (const link of chain) {
        checked++
        const event = all.get(link.eventId)
        if (event === undefined || link.prevHash !== prevHash || sealHash(prevHash, event) !== link.hash) {
          return { ok: false, checked, brokenAt: link.eventId }
        }
        prevHash = link.hash
      }
      return { ok: true, checked, brokenAt: null }
    })

    return AuditLog.of({ append, list, seal, verify })
  })
)
