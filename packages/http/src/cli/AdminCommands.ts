/**
 * `rota rotate-signing-key` and `rota verify-audit`.
 *
 * @since 0.1.0
 */
import { AuditLog, Ids } from "@rota/core"
import { Console, Data, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import { SqlClient } from "effect/sql"
import * as SigningKeyStore from "../server/adapters/SigningKeyStore.ts"
import { withDatabase, withStore } from "./Store.ts"

/**
 * @since 0.1.0
 * @category commands
 */
export const rotateSigningKey = Command.make("rotate-signing-key", {}, () =>
  withStore(
    Effect.gen(function* () {
      const kid = yield* SigningKeyStore.rotate
      yield* Console.log(
        `new signing key ${kid}: servers sign with it from their next start; tokens and links signed before stay valid until they expire`
      )
    })
  )
).pipe(
  Command.withDescription(
    "Make a new token signing key; the previous keys stay for verifying, so no one is signed out"
  )
)

class AuditBroken extends Data.TaggedError("AuditBroken")<{
  readonly orgId: string
  readonly detail: string
}> {
  override get message() {
    return `audit trail of org ${this.orgId} is broken: ${this.detail}`
  }
}

// What the chain itself cannot show: a seal removed at the end, or an event left without a seal.
const coverage = (orgId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [seals] = yield* sql<{ n: number; last: number }>`
      SELECT count(*)::int AS n, coalesce(max(seq), 0)::int AS last FROM audit_seals WHERE org_id = ${orgId}`
      .withoutTransform
    if (seals !== undefined && Number(seals.n) !== Number(seals.last))
      return Option.some(`seal sequence has gaps (${seals.n} seals numbered up to ${seals.last})`)
    const unsealed = yield* sql<{ id: string }>`
      SELECT e.id FROM audit_events e WHERE e.org_id = ${orgId} AND NOT EXISTS (
        SELECT 1 FROM audit_seals s WHERE s.org_id = e.org_id AND s.event_id = e.id)
      ORDER BY e.at, e.id LIMIT 1`.withoutTransform
    return Option.map(Option.fromNullishOr(unsealed[0]), (row) => `audit event ${row.id} has no seal`)
  })

/**
 * @since 0.1.0
 * @category commands
 */
export const verifyAudit = Command.make(
  "verify-audit",
  { org: Flag.String("org").pipe(Flag.withDescription("Check this organisation only"), Flag.optional) },
  ({ org }) =>
    withDatabase(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const audit = yield* AuditLog.AuditLog
        const orgs = Option.isSome(org)
          ? [org.value]
          : (yield* sql<{ id: string }>`SELECT id FROM organizations ORDER BY id`.withoutTransform).map(
              (row) => row.id
            )
        for (const orgId of orgs) {
          const result = yield* audit.verify(Ids.OrgId.make(orgId))
          if (!result.ok)
            return yield* new AuditBroken({
              orgId,
              detail: `audit event ${result.brokenAt} (seal ${result.checked}) does not match its hash chain`
            })
          const gap = yield* coverage(orgId)
          if (Option.isSome(gap)) return yield* new AuditBroken({ orgId, detail: gap.value })
          yield* Console.log(`org ${orgId}: ${result.checked} audit events, hash chain intact`)
        }
        yield* Console.log(`audit trail verified for ${orgs.length} organisation(s)`)
      })
    )
).pipe(
  Command.withDescription(
    "Seal pending audit events, then recompute each organisation's hash chain and check every event is sealed"
  )
)
