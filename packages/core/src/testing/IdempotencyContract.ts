/**
 * The contract of every `IdempotencyStore` adapter.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect } from "effect"
import * as Idempotency from "../kernel/Idempotency.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"

const freshScope = Effect.gen(function* () {
  return { orgId: yield* nextId(OrgId), accountId: yield* nextId(AccountId), key: "key-1" }
})

const now = DateTime.makeUnsafe("2030-01-01T00:00:00Z")
const plus = (duration: Duration.Input) =>
  DateTime.makeUnsafe(DateTime.toEpochMillis(now) + Duration.toMillis(Duration.fromInputUnsafe(duration)))
const response: Idempotency.StoredResponse = { status: 201, headers: { etag: '"1"' }, body: '{"id":"x"}' }

/**
 * @since 0.1.0
 * @category suites
 */
export const IdempotencyContract: ContractSuite<Idempotency.IdempotencyStore | Ids> = {
  name: "IdempotencyStore",
  cases: [
    {
      name: "a new key is claimed; the same request while it runs is in progress",
      run: Effect.gen(function* () {
        const store = yield* Idempotency.IdempotencyStore
        const scope = yield* freshScope
        yield* expectEqual((yield* store.claim(scope, "f1", now))._tag, "Claimed", "first claim")
        yield* expectEqual((yield* store.claim(scope, "f1", now))._tag, "InProgress", "second claim")
      })
    },
    {
      name: "a completed key replays its response to the same request and refuses another",
      run: Effect.gen(function* () {
        const store = yield* Idempotency.IdempotencyStore
        const scope = yield* freshScope
        yield* store.claim(scope, "f1", now)
        yield* store.complete(scope, response)
        const replay = yield* store.claim(scope, "f1", plus("1 hour"))
        yield* expectEqual(replay, Idempotency.Claim.Replay({ response }), "replay")
        yield* expectEqual(
          (yield* store.claim(scope, "f2", plus("1 hour")))._tag,
          "Mismatch",
          "another request"
        )
      })
    },
    {
      name: "keys are scoped to org and account",
      run: Effect.gen(function* () {
        const store = yield* Idempotency.IdempotencyStore
        const scope = yield* freshScope
        yield* store.claim(scope, "f1", now)
        yield* store.complete(scope, response)
        const otherAccount = { ...scope, accountId: yield* nextId(AccountId) }
        const otherOrg = { ...scope, orgId: yield* nextId(OrgId) }
        yield* expectEqual((yield* store.claim(otherAccount, "f2", now))._tag, "Claimed", "other account")
        yield* expectEqual((yield* store.claim(otherOrg, "f2", now))._tag, "Claimed", "other org")
      })
    },
    {
      name: "a released key runs again; an abandoned one is taken over after its lease",
      run: Effect.gen(function* () {
        const store = yield* Idempotency.IdempotencyStore
        const scope = yield* freshScope
        yield* store.claim(scope, "f1", now)
        yield* store.release(scope)
        yield* expectEqual((yield* store.claim(scope, "f1", now))._tag, "Claimed", "after release")
        const afterLease = plus(Duration.sum(Idempotency.inFlightLease, Duration.seconds(1)))
        yield* expectEqual((yield* store.claim(scope, "f1", afterLease))._tag, "Claimed", "after the lease")
      })
    },
    {
      name: "a key older than the retention is forgotten",
      run: Effect.gen(function* () {
        const store = yield* Idempotency.IdempotencyStore
        const scope = yield* freshScope
        yield* store.claim(scope, "f1", now)
        yield* store.complete(scope, response)
        const later = plus(Duration.sum(Idempotency.retention, Duration.minutes(1)))
        yield* expectEqual((yield* store.claim(scope, "f2", later))._tag, "Claimed", "after the retention")
      })
    },
    {
      name: "ten parallel claims of one key: exactly one is claimed",
      run: Effect.gen(function* () {
        const store = yield* Idempotency.IdempotencyStore
        const scope = yield* freshScope
        const claims = yield* Effect.all(
          Array.from({ length: 10 }, () => store.claim(scope, "f1", now)),
          { concurrency: "unbounded" }
        )
        yield* expectEqual(claims.filter((claim) => claim._tag === "Claimed").length, 1, "claimed")
        yield* expectEqual(claims.filter((claim) => claim._tag === "InProgress").length, 9, "in progress")
      })
    }
  ]
}
