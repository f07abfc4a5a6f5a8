/**
 * `HttpRouter.serve` whose requests start from a context without the store's services.
 *
 * The HTTP server starts every request from the context it was built in, and a request copies that
 * context whole each time something is provided to it (each API group merges in its middlewares,
 * the edge adds the request id, a transaction adds its connection). Built under the store, that
 * context holds the store's fifty-odd repositories, which only the layers read, while they are
 * built: the use cases keep what they use. Leaving them out of the request context shrinks every
 * one of those copies by about two thirds.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Scope } from "effect"
import { HttpRouter, HttpServer } from "effect/http"

type RouterConfig = typeof HttpRouter.RouterConfig extends Context.Reference<infer C> ? C : never

// What the routes read while answering a request, as `HttpRouter.serve` types it.
type RequestNeeds<R> = HttpRouter.Request.Only<"Requires", R> | HttpRouter.Request.Only<"GlobalRequires", R>

type Served<A, E, R, EB, RB> = Layer.Layer<
  A,
  HttpRouter.Request.Without<E> | EB,
  | HttpServer.HttpServer
  | RB
  | Exclude<
      HttpRouter.Request.Without<R> | Exclude<RequestNeeds<R>, HttpRouter.GlobalProvided>,
      HttpRouter.HttpRouter
    >
>

/**
 * Serves the routes `app` adds, as `HttpRouter.serve` does with its logger and listen log off,
 * building `app` in the full context. The services `buildOnly` provides are left out of the
 * context requests start from: a route that reads one while answering fails with a missing
 * service (a reference among them would read its default instead).
 *
 * @since 0.1.0
 * @category layers
 */
export const serve = <A, E, R, B, EB, RB>(
  app: Layer.Layer<A, E, R>,
  buildOnly: Layer.Layer<B, EB, RB>,
  routerConfig: RouterConfig
): Served<A, E, R, EB, RB> =>
  // The routes' request-level markers become these requirements as `HttpRouter.serve` declares
  // them; the layer below has them unfolded.
  Layer.effectContext(
    Effect.gen(function* () {
      const context = yield* Effect.context<HttpServer.HttpServer | Scope.Scope>()
      const scope = Context.get(context, Scope.Scope)
      const memoMap = Layer.CurrentMemoMap.forkOrCreate(context)
      const router = HttpRouter.layer.pipe(
        Layer.provide(Layer.succeed(HttpRouter.RouterConfig, routerConfig))
      )
      const built = yield* Layer.buildWithMemoMap(Layer.provideMerge(app, router), memoMap, scope)
      // The same layer the server's context was built with, so the memo map answers with the
      // services already there; only their keys are read.
      const left = yield* Layer.buildWithMemoMap(buildOnly, memoMap, scope)
      const full = Context.merge(context, built)
      const requestContext = Context.makeUnsafe<unknown>(
        new Map([...full.mapUnsafe].filter(([key]) => !left.mapUnsafe.has(key)))
      )
      const handler = Context.get(built, HttpRouter.HttpRouter).asHttpEffect()
      yield* HttpServer.serveEffect(handler).pipe(Effect.setContext(requestContext))
      return built as Context.Context<A>
    })
  ) as unknown as Served<A, E, R, EB, RB>
