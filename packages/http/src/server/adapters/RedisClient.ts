/**
 * The connection to the Redis of `REDIS_URL`, shared in shape by the rate limits and the response
 * cache: fails fast at start-up, reconnects forever once running, and never holds a command (or
 * shutdown) hostage to a Redis that stopped answering.
 *
 * @since 0.1.0
 */
import type * as NodeRedisModule from "@effect/platform-node/NodeRedis"
import { Duration, Effect, Layer, Redacted } from "effect"
import type { Redis } from "effect/persistence"

const closeGrace = Duration.seconds(1)

/**
 * A client of `url`. Dies at start-up when Redis cannot be reached (a wrong `REDIS_URL` should
 * stop the deploy); once connected, commands sent while the link is down fail at once instead of
 * queueing, so callers can answer without Redis.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (url: Redacted.Redacted): Layer.Layer<Redis.Redis> =>
  // The Redis client is some 650 modules: loaded only by a server that has a `REDIS_URL`.
  Layer.unwrap(
    Effect.map(
      Effect.promise(() => import("@effect/platform-node/NodeRedis")),
      (NodeRedis) => clientLayer(NodeRedis, url)
    )
  )

const clientLayer = (NodeRedis: typeof NodeRedisModule, url: Redacted.Redacted): Layer.Layer<Redis.Redis> =>
  Layer.suspend(() => {
    let connected = false
    const client = NodeRedis.layer({
      url: Redacted.value(url),
      // Without this, commands sent while the socket is down wait in a queue until Redis is back,
      // so requests would hang instead of failing open.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2_000,
        // Start-up fails on the first error (a wrong REDIS_URL should stop the deploy). After that,
        // reconnect forever: NodeRedis's default gives up on a connect timeout, which would leave
        // Redis unused until a restart.
        reconnectStrategy: (retries, cause) => (connected ? Math.min(2 ** retries * 50, 2_000) : cause)
      }
    })
    // NodeRedis closes with `close()`, which waits for replies in flight and never returns if Redis
    // stalled and then dropped the link, hanging shutdown. This finalizer runs first (it is added
    // after the client's) and destroys the client when a graceful close takes too long; no
    // answer from Redis matters once the server has stopped serving.
    const boundedClose = Layer.effectDiscard(
      Effect.gen(function* () {
        const { client } = yield* NodeRedis.NodeRedis
        connected = true
        yield* Effect.addFinalizer(() =>
          Effect.tryPromise(() => client.close()).pipe(
            Effect.timeoutOrElse({ duration: closeGrace, orElse: () => Effect.sync(() => client.destroy()) }),
            Effect.ignore
          )
        )
      })
    )
    return boundedClose.pipe(
      Layer.provideMerge(client),
      Layer.tapError((error) => Effect.logError("REDIS_URL is set but Redis cannot be reached", error)),
      Layer.orDie
    )
  })
