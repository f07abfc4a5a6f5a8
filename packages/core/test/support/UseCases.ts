/**
 * What the use-case tests on the memory adapters share: acting as someone, and reading what the
 * writes left behind (the audit trail and the outbox) without consuming it.
 */
import { DateTime, Effect } from "effect"
import { UnitRepo } from "../../src/inventory/InventoryRepos.ts"
import type { ResourceId } from "../../src/inventory/Resource.ts"
import { ResourceUnit, UnitId } from "../../src/inventory/ResourceUnit.ts"
import type { AuditEvent } from "../../src/kernel/AuditEvent.ts"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { AccountId, type Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { Outbox, type OutboxMessage } from "../../src/kernel/Outbox.ts"
import { Actor, CurrentActor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { base, hour } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryDatabase from "../../src/testing/MemoryDatabase.ts"

/** Runs `effect` as `actor`. */
export const as = <A, E, R>(actor: Actor, effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, CurrentActor, actor)

/** Someone of `role` in the org; an actor need not be stored to act. */
export const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

/** A manager of a new, unstored org: another tenant. */
export const stranger = Effect.flatMap(nextId(OrgId), (orgId) => actorIn(orgId, "manager"))

/** The org's audit events, oldest first. */
export const auditOf = (orgId: OrgId): Effect.Effect<ReadonlyArray<AuditEvent>, never, AuditLog> =>
  Effect.flatMap(Effect.service(AuditLog), (log) =>
    Effect.map(Effect.orDie(log.list(orgId, { limit: 1000 })), (page) => [...page.items].reverse())
  )

/** The org's audit events as `entity.ACTION`, oldest first. */
export const auditedOf = (orgId: OrgId) =>
  Effect.map(auditOf(orgId), (events) => events.map((event) => `${event.entityType}.${event.action}`))

// The memory outbox's table, read as it stands: leasing would hide the messages from a second look.
const outbox = MemoryDatabase.rows<{ readonly message: OutboxMessage }>("outbox_messages")

/** The org's outbox messages, in the order they were written. */
export const messagesOf = (orgId: OrgId) =>
  Effect.map(MemoryDatabase.read(outbox), (rows) =>
    [...rows.values()].map((row) => row.message).filter((message) => message.orgId === orgId)
  )

/** The topics of the org's outbox messages, in the order they were written. */
export const topicsOf = (orgId: OrgId) =>
  Effect.map(messagesOf(orgId), (messages) => messages.map((message) => message.topic))

/** A stored unit of the resource, AVAILABLE unless told otherwise. */
export const unit = (
  orgId: OrgId,
  resourceId: ResourceId,
  status: ResourceUnit["status"] = "AVAILABLE"
): Effect.Effect<ResourceUnit, never, UnitRepo | Ids> =>
  Effect.gen(function* () {
    const id = yield* nextId(UnitId)
    const stored = new ResourceUnit({
      ...base,
      id,
      orgId,
      resourceId,
      barcode: `unit-${id}`,
      condition: "GOOD",
      status,
      notes: null,
      createdAt: hour(0)
    })
    return yield* Effect.orDie((yield* UnitRepo).insert(stored))
  })

/**
 * The org's outbox messages not taken yet, in order: leasing them far into the future takes them,
 * so each call answers what was written since the last one (where {@link messagesOf} answers all).
 */
export const newMessagesOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(Outbox), (outbox) => {
    const far = Date.UTC(9000, 0, 1)
    // Leased until just after the instant asked about, so the next call does not see them again.
    return Effect.map(
      outbox.lease(10_000, DateTime.makeUnsafe(far), DateTime.makeUnsafe(far + 1)),
      (messages) => messages.filter((message) => message.orgId === orgId)
    )
  })

/** The topics of {@link newMessagesOf}. */
export const newTopicsOf = (orgId: OrgId) =>
  Effect.map(newMessagesOf(orgId), (messages) => messages.map((message) => message.topic))
