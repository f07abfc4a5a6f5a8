/**
 * `Idempotency-Key` support, added to an endpoint in one line: `.middleware(Idempotent)` accepts
 * a key, `.middleware(IdempotencyRequired)` demands one. A retry with the same key and the same
 * request gets the first answer again (with `Idempotency-Replayed: true`) instead of a second
 * action.
 *
 * @since 0.1.0
 */
import type { RequestContext } from "@rota/core"
import { Schema } from "effect"
import { HttpApiMiddleware } from "effect/http-api"
import * as Problems from "./Problems.ts"

const errors = [
  Problems.IdempotencyKeyRequired,
  Problems.IdempotencyKeyReused,
  Problems.IdempotencyInProgress,
  Problems.ValidationFailed
] as const

/**
 * Accepts an optional `Idempotency-Key`.
 *
 * @since 0.1.0
 * @category middleware
 */
export class Idempotent extends HttpApiMiddleware.Service<
  Idempotent,
  { requires: RequestContext.CurrentActor }
>()("@rota/http/Idempotent", { error: errors }) {}

/**
 * Demands an `Idempotency-Key` (400 `idempotency_key_required` without one).
 *
 * @since 0.1.0
 * @category middleware
 */
export class IdempotencyRequired extends HttpApiMiddleware.Service<
  IdempotencyRequired,
  { requires: RequestContext.CurrentActor }
>()("@rota/http/IdempotencyRequired", { error: errors }) {}

/**
 * The `Idempotency-Key` request header, declared on the endpoints that take it (so clients and
 * the OpenAPI document know it).
 *
 * @since 0.1.0
 * @category headers
 */
export const IdempotencyKeyHeader = {
  "idempotency-key": Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 255))))
}
