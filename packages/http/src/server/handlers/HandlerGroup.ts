/**
 * `HttpApiBuilder.group` for handlers that take their services when the group is built.
 *
 * effect's builder keeps the context the group layer was built in and merges it into the context of
 * every request the group serves. Built inside the server's layers, that context holds every use
 * case, adapter and setting (over a hundred services), and the merge copies all of them twice per
 * request: a third of what a `GET /health` allocated. Rota's handlers read their use cases once,
 * while the group is built, and at request time need only the group's middlewares and what those
 * middlewares and the edge provide. So the group is built in a context holding its middlewares
 * alone, while its build effect still runs in the full one.
 *
 * @since 0.1.0
 */

import { Context, Effect, Layer, Scope } from "effect"
import { HttpApiBuilder, type HttpApiEndpoint, type HttpApiGroup } from "effect/http-api"

/**
 * Same signature and routes as `HttpApiBuilder.group`. A handler must not read, while it answers,
 * a service that neither its middlewares, the edge nor the server's own context provide: a service
 * would be missing (a 500 in the route's tests), and a reference (a service with a default) would
 * read its default without a word. Rota's use cases take what they read (the identity settings
 * included) when they are built.
 *
 * @since 0.1.0
 * @category handlers
 */
export const group: typeof HttpApiBuilder.group = (api, groupIdentifier, build) =>
  Layer.effectContext(
    Effect.gen(function* () {
      const context = yield* Effect.context<Scope.Scope>()
      const scope = Context.get(context, Scope.Scope)
      const endpoints: ReadonlyArray<HttpApiEndpoint.Top> = Object.values(
        (api.groups[groupIdentifier] as HttpApiGroup.Top).endpoints
      )
      const middlewares = new Set(endpoints.flatMap((endpoint) => [...endpoint.middlewares]))
      const requestContext = Context.add(Context.pick(...middlewares)(context), Scope.Scope, scope)
      // The builder's own signature, with the build effect run in the full context.
      const built = HttpApiBuilder.group(api, groupIdentifier, ((handlers) => {
        const result = build(handlers)
        return Effect.isEffect(result) ? Effect.provideContext(result, context) : result
      }) as typeof build)
      return yield* Layer.buildWithScope(built, scope).pipe(Effect.setContext(requestContext))
    })
  )
