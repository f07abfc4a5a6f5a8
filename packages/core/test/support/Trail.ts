import { Effect } from "effect"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import type { OrgId } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"

// What writes leave behind, read back for assertions.

/** The org's audit events, oldest first, as `entityType.ACTION`. */
export const auditOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(AuditLog), (log) =>
    Effect.map(Effect.orDie(log.list(orgId, { limit: 1000 })), (page) =>
      page.items.map((event) => `${event.entityType}.${event.action}`).reverse()
    )
  )

/** The org's audit events themselves, oldest first. */
export const auditEventsOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(AuditLog), (log) =>
    Effect.map(Effect.orDie(log.list(orgId, { limit: 1000 })), (page) => [...page.items].reverse())
  )

/**
 * The org's outbox messages not looked at yet, in order: leasing them far into the future takes
 * them, so each call answers what was written since the last one.
 */
export const messagesOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(Outbox), (outbox) => {
    const far = Date.UTC(9000, 0, 1)
    // Leased until just after the instant asked about, so the next call does not see them again.
    return Effect.map(outbox.lease(10_000, new Date(far), new Date(far + 1)), (messages) =>
      messages.filter((message) => message.orgId === orgId)
    )
  })

/** The topics of {@link messagesOf}. */
export const topicsOf = (orgId: OrgId) =>
  Effect.map(messagesOf(orgId), (messages) => messages.map((message) => message.topic))
