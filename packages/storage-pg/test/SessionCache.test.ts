import { assert, describe, layer } from "@effect/vitest"
import { Account, IdentityRepos, Ids, Organization } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schedule } from "effect"
import { AuthChanges, PgIdentityRepos, SessionCache } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

// Counts the lookups that reach the database, under the cache.
class Lookups {
  count = 0
}
const lookups = new Lookups()
const counted = Layer.effect(
  IdentityRepos.SessionRepo,
  Effect.map(Effect.service(IdentityRepos.SessionRepo), (inner) =>
    IdentityRepos.SessionRepo.of({
      ...inner,
      resolve: (sessionId, orgId) =>
        Effect.andThen(
          Effect.sync(() => lookups.count++),
          inner.resolve(sessionId, orgId)
        )
    })
  )
).pipe(Layer.provide(PgIdentityRepos.sessionRepo))

const cachedSessions = SessionCache.layer.pipe(Layer.provide(counted))

const setUp = Effect.gen(function* () {
  const accountId = yield* Ids.nextId(Ids.AccountId)
  const orgId = yield* Ids.nextId(Ids.OrgId)
  const sessionId = yield* Effect.flatMap(Effect.service(Ids.Ids), (ids) => ids.next)
  const tag = accountId.replace(/-/g, "").slice(-12)
  const now = DateTime.fromDateUnsafe(new Date())
  yield* Effect.flatMap(IdentityRepos.AccountRepo, (accounts) =>
    accounts.insert(
      new Account.Account({
        id: accountId,
        email: `cached-${tag}@example.com`,
        username: `cached-${tag}`,
        fullName: "Cached Caller",
        phone: null,
        isActive: true,
        createdAt: now
      }),
      "hash"
    )
  )
  yield* Effect.flatMap(IdentityRepos.OrgRepo, (orgs) =>
    orgs.insert(
      new Organization.Organization({
        id: orgId,
        name: "Cached org",
        slug: `cached-${tag}`,
        timezone: "Europe/Paris",
        settings: Organization.defaultSettings,
        version: 1,
        createdAt: now
      })
    )
  )
  yield* Effect.flatMap(IdentityRepos.MembershipRepo, (members) =>
    members.insert({ orgId, accountId, role: "member", skills: [], tags: [], at: DateTime.nowUnsafe() })
  )
  yield* Effect.flatMap(IdentityRepos.SessionRepo, (sessions) =>
    sessions.create({ id: sessionId, accountId, at: DateTime.nowUnsafe() })
  )
  return { accountId, orgId, sessionId }
})

// The change is committed; the process hears of it through the database's notification, which
// PGlite delivers before the write returns and PostgreSQL right after it, on another connection.
const resolvedUntil = (
  sessionId: string,
  orgId: Ids.OrgId,
  heard: (state: Option.Option<IdentityRepos.SessionState>) => boolean
) =>
  Effect.flatMap(IdentityRepos.SessionRepo, (sessions) =>
    sessions.resolve(sessionId, orgId).pipe(
      Effect.filterOrFail(heard, () => "not yet heard" as const),
      Effect.retry({ schedule: Schedule.spaced("10 millis"), times: 500 })
    )
  )

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(
      Layer.mergeAll(cachedSessions, PgIdentityRepos.layer, Ids.Ids.layer).pipe(
        Layer.provideMerge(store.layer)
      ),
      { timeout: 60_000, excludeTestServices: true }
    )("resolved sessions kept in the process", (it) => {
      it.effect("a caller's requests after the first cost no lookup, until a change names them", () =>
        Effect.gen(function* () {
          const sessions = yield* IdentityRepos.SessionRepo
          const members = yield* IdentityRepos.MembershipRepo
          const orgs = yield* IdentityRepos.OrgRepo
          const { accountId, orgId, sessionId } = yield* setUp
          // The listener may still be subscribing: wait until answers are kept.
          yield* Effect.suspend(() => {
            const seen = lookups.count
            return Effect.map(sessions.resolve(sessionId, orgId), () => lookups.count === seen)
          }).pipe(Effect.repeat({ until: (kept) => kept, schedule: Schedule.spaced("10 millis") }))
          const before = lookups.count
          for (let request = 0; request < 10; request++) {
            assert.strictEqual(Option.getOrThrow(yield* sessions.resolve(sessionId, orgId)).role, "member")
          }
          assert.strictEqual(lookups.count - before, 0, "ten requests, no lookup")

          yield* members.setActive(orgId, accountId, undefined, false)
          yield* resolvedUntil(sessionId, orgId, (state) => Option.getOrThrow(state).role === null)
          yield* members.setActive(orgId, accountId, undefined, true)
          yield* resolvedUntil(sessionId, orgId, (state) => Option.getOrThrow(state).role === "member")
          yield* members.update(orgId, accountId, undefined, { role: "manager" })
          yield* resolvedUntil(sessionId, orgId, (state) => Option.getOrThrow(state).role === "manager")
          const settings = { ...Organization.defaultSettings, lateGraceMinutes: 0 }
          yield* orgs.update(orgId, undefined, { settings })
          yield* resolvedUntil(
            sessionId,
            orgId,
            (state) => Option.getOrThrow(state).orgSettings?.lateGraceMinutes === 0
          )
          yield* sessions.revoke(sessionId, DateTime.nowUnsafe())
          yield* resolvedUntil(sessionId, orgId, Option.isNone)
        })
      )

      it.effect("each change is announced on the channel by the transaction that makes it", () =>
        Effect.gen(function* () {
          const heard = yield* Effect.scoped(
            Effect.gen(function* () {
              // The store's own subscription, as the cache uses it.
              const changes = Option.getOrThrow(yield* Effect.serviceOption(AuthChanges.AuthChanges))
              const next = yield* changes.listen
              const { accountId, orgId, sessionId } = yield* setUp
              const members = yield* IdentityRepos.MembershipRepo
              yield* members.remove(orgId, accountId, undefined, DateTime.nowUnsafe())
              yield* Effect.flatMap(IdentityRepos.SessionRepo, (sessions) =>
                sessions.revoke(sessionId, DateTime.nowUnsafe())
              )
              const payloads = [yield* next, yield* next, yield* next]
              return { payloads, accountId, sessionId }
            })
          )
          // The membership's insert, its removal, then the session's revocation.
          assert.deepStrictEqual(heard.payloads, [
            `a:${heard.accountId}`,
            `a:${heard.accountId}`,
            `s:${heard.sessionId}`
          ])
        })
      )
    })
  })
}
