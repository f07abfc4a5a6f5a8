/**
 * What makes the response cache's answers stale, and when: the outbox. A write's outbox messages
 * (written in its own transaction) name the orgs it changed; once the request or job that wrote
 * them is done, which is after the commit, those orgs get new generations, before a request's
 * answer leaves. So no GET sent after a write's answer can get the body from before it.
 * Messages delivered later (by any server) bump their org again, which covers writes made
 * anywhere else.
 *
 * @since 0.1.0
 */
import { Ids, type Jobs, Outbox } from "@rota/core"
import { Context, Effect, Exit, Layer, Schema } from "effect"
import { HttpRouter, HttpServerRequest } from "effect/http"
import * as CachePolicy from "./CachePolicy.ts"
import { everyOrg, ResponseCache } from "./ResponseCache.ts"

/**
 * The orgs whose data the current request's (or job tick's) writes changed, as their outbox
 * messages name them (`*` for a message about no org). Unset outside a write.
 *
 * @since 0.1.0
 * @category services
 */
export const WrittenOrgs = Context.Reference<Set<string> | undefined>("@rota/http/WrittenOrgs", {
  defaultValue: () => undefined
})

// Runs `effect` noting the orgs its outbox messages name, then bumps them (and `extra`'s).
const bumping = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  extra: (exit: Exit.Exit<A, E>, written: ReadonlySet<string>) => ReadonlyArray<string> = () => []
): Effect.Effect<A, E, R | ResponseCache> =>
  Effect.suspend(() => {
    const written = new Set<string>()
    return effect.pipe(
      Effect.provideService(WrittenOrgs, written),
      Effect.onExit((exit) => {
        const orgs = new Set([...written].filter((org) => org !== everyOrg))
        for (const org of extra(exit, written)) orgs.add(org)
        return orgs.size === 0
          ? Effect.void
          : Effect.flatMap(Effect.service(ResponseCache), (cache) => cache.invalidate([...orgs]))
      })
    )
  })

/**
 * A background job whose writes bump the orgs they change as soon as each tick is done.
 *
 * @since 0.1.0
 * @category jobs
 */
export const bumpingJob = <R>(job: Jobs.Job<R>): Jobs.Job<R | ResponseCache> => ({
  ...job,
  run: (tick) => bumping(job.run(tick))
})

const isOrgId = Schema.is(Ids.OrgId)
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

/**
 * Every write bumps, once it has answered and before the answer leaves, the orgs its outbox
 * messages named and, unless it was refused (4xx), the org of its `X-Org-Id`, in case it
 * changed something no message mentions. A write naming no org at all renews every org's
 * answers (sign-in, token and sign-out routes excepted).
 *
 * @since 0.1.0
 * @category middleware
 */
export const invalidation: Layer.Layer<never, never, ResponseCache | HttpRouter.HttpRouter> =
  HttpRouter.middleware(
    Effect.gen(function* () {
      const cache = yield* ResponseCache
      return (httpEffect) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          if (safeMethods.has(request.method)) return yield* httpEffect
          const written = new Set<string>()
          return yield* httpEffect.pipe(
            Effect.provideService(WrittenOrgs, written),
            Effect.onExit((exit) => {
              const refused = Exit.isSuccess(exit) && exit.value.status >= 400 && exit.value.status < 500
              const header = request.headers["x-org-id"]
              const path = request.url.split("?")[0]!
              const orgs = new Set([...written].filter((org) => org !== everyOrg))
              if (!refused && isOrgId(header)) orgs.add(header)
              if (orgs.size === 0 && !refused && !isOrgId(header) && !CachePolicy.isSessionOnlyWrite(path))
                orgs.add(everyOrg)
              return orgs.size === 0 ? Effect.void : cache.invalidate([...orgs])
            })
          )
        })
    }),
    { global: true }
  )

/**
 * The outbox store, noting in {@link WrittenOrgs} the org of every message a request writes.
 *
 * @since 0.1.0
 * @category layers
 */
export const trackedOutbox: Layer.Layer<Outbox.Outbox, never, Outbox.Outbox> = Layer.effect(
  Outbox.Outbox,
  Effect.map(Effect.service(Outbox.Outbox), (outbox) =>
    Outbox.Outbox.of({
      ...outbox,
      enqueue: (message) =>
        Effect.tap(
          outbox.enqueue(message),
          Effect.gen(function* () {
            const written = yield* WrittenOrgs
            written?.add(message.orgId ?? everyOrg)
          })
        )
    })
  )
)

/**
 * The outbox transport, bumping the org of every message it delivers: changes made outside a
 * request (background jobs) reach the cache that way, on every server.
 *
 * @since 0.1.0
 * @category layers
 */
export const invalidatingTransport: Layer.Layer<
  Outbox.OutboxTransport,
  never,
  Outbox.OutboxTransport | ResponseCache
> = Layer.effect(
  Outbox.OutboxTransport,
  Effect.gen(function* () {
    const transport = yield* Outbox.OutboxTransport
    const cache = yield* ResponseCache
    return Outbox.OutboxTransport.of({
      deliver: Effect.fn("OutboxTransport.deliver")((message) =>
        transport
          .deliver(message)
          .pipe(Effect.ensuring(message.orgId === null ? Effect.void : cache.invalidate([message.orgId])))
      )
    })
  })
)
