/**
 * What the database says when a session's resolution may have changed: migration 0033's triggers
 * notify the `rota_auth` channel with `s:<session id>`, `a:<account id>` or `o:<org id>` from
 * the transaction that revoked the session, suspended the account, changed the membership or
 * the org's settings. Every server process on the database hears them, whichever one wrote.
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import type { PGlite } from "@electric-sql/pglite"
import { Context, Effect, Layer, PubSub, Queue, type Redacted, type Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import type { SqlError } from "effect/sql"

/**
 * The channel the triggers notify.
 *
 * @since 0.1.0
 * @category constants
 */
export const channel = "rota_auth"

/**
 * A change the triggers reported, parsed from its payload.
 *
 * @since 0.1.0
 * @category models
 */
export type AuthChange =
  | { readonly _tag: "Session"; readonly sessionId: string }
  | { readonly _tag: "Account"; readonly accountId: string }
  | { readonly _tag: "Org"; readonly orgId: string }

/**
 * Parses a notification's payload; anything else is `undefined` (a listener should then forget
 * everything rather than guess).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (payload: string): AuthChange | undefined => {
  const id = payload.slice(2)
  switch (payload.slice(0, 2)) {
    case "s:":
      return { _tag: "Session", sessionId: id }
    case "a:":
      return { _tag: "Account", accountId: id }
    case "o:":
      return { _tag: "Org", orgId: id }
    default:
      return undefined
  }
}

/**
 * Subscribes to the changes. `listen` succeeds once the database confirms the subscription,
 * with an effect that waits for the next change (in commit order); it fails when the
 * subscription is lost, after which changes may have been missed.
 *
 * @since 0.1.0
 * @category services
 */
export class AuthChanges extends Context.Service<
  AuthChanges,
  { readonly listen: Effect.Effect<Effect.Effect<string, SqlError.SqlError>, SqlError.SqlError, Scope.Scope> }
>()("@rota/storage-pg/AuthChanges") {}

/**
 * On PostgreSQL: each subscription opens its own connection (outside the request pool, so it
 * takes no request's place) and `LISTEN`s on it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPostgres = (url: Redacted.Redacted): Layer.Layer<AuthChanges> =>
  Layer.succeed(AuthChanges, {
    listen: Effect.gen(function* () {
      const client = yield* PgClient.makeClient({ url, applicationName: "rota-auth-changes" }).pipe(
        Effect.provide(Reactivity.layer)
      )
      const notifications = yield* client.listen(channel)
      return Effect.map(Queue.take(notifications), (notification) => notification.payload)
    })
  })

/**
 * On PGlite: one `LISTEN` registered when the store opens, before any other statement (so it
 * never lands inside a transaction), fanned out to the subscribers. PGlite delivers a
 * notification before the committing statement returns.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makePglite = (pglite: PGlite): Effect.Effect<AuthChanges["Service"], never, Scope.Scope> =>
  Effect.gen(function* () {
    const changes = yield* PubSub.unbounded<string>()
    yield* Effect.acquireRelease(
      Effect.promise(() => pglite.listen(channel, (payload) => PubSub.publishUnsafe(changes, payload))),
      (unlisten) => Effect.ignore(Effect.tryPromise(() => unlisten()))
    )
    return { listen: Effect.map(PubSub.subscribe(changes), (subscription) => PubSub.take(subscription)) }
  })
