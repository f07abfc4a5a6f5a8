/**
 * The audit log as managers read it: the events of their organisation, and the proof that the
 * log was not altered.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditEvent, Verification } from "./Audit.ts"
import { AuditLog, type AuditQuery } from "./AuditLog.ts"
import type { Forbidden, ValidationFailed } from "./Errors.ts"
import * as Permissions from "./identity/Permissions.ts"
import type { Page } from "./Pagination.ts"
import { CurrentActor } from "./RequestContext.ts"

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
      list: (query) =>
        Effect.gen(function* () {
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
