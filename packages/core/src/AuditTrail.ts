/**
 * The audit log as managers read it: the events of their organisation, and the proof that the
 * log was not altered.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditEvent, Verification } from "./kernel/Audit.ts"
import { AuditLog, type AuditQuery } from "./kernel/AuditLog.ts"
import type { Forbidden, ValidationFailed } from "./kernel/Errors.ts"
import type { Page } from "./kernel/Pagination.ts"
import * as Permissions from "./kernel/Permissions.ts"
import { CurrentActor } from "./kernel/RequestContext.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class AuditTrail extends Context.Service<
  AuditTrail,
  {
    readonly list: (
      query: AuditQuery
    ) => Effect.Effect<Page<AuditEvent>, Forbidden | ValidationFailed, CurrentActor>
    readonly verify: Effect.Effect<Verification, Forbidden, CurrentActor>
  }
>()("@rota/core/AuditTrail") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<AuditTrail, never, AuditLog> = Layer.effect(
  AuditTrail,
  Effect.map(Effect.service(AuditLog), (log) =>
    AuditTrail.of({
      list: Effect.fn("AuditTrail.list")(function* (query) {
        yield* Permissions.require("audit.read")
        return yield* log.list((yield* CurrentActor).orgId, query)
      }),
      verify: Effect.gen(function* () {
        yield* Permissions.require("audit.verify")
        return yield* log.verify((yield* CurrentActor).orgId)
      })
    })
  )
)
