/**
 * A TCP proxy to put between Rota and PostgreSQL in tests, to break the network on demand:
 * - `pass`: bytes flow both ways;
 * - `latency`: each chunk is held `millis` before it is forwarded, in order;
 * - `blackhole`: connections are accepted and kept, every byte is dropped, as when a route or a
 *   firewall silently loses packets (only a client-side timeout notices);
 * - `reset`: every connection is reset and new ones are reset on arrival, as when the server
 *   restarts or the host goes away.
 *
 * @since 0.1.0
 */
import * as Net from "node:net"
import { Context, Effect, Layer, type Scope } from "effect"

/**
 * @since 0.1.0
 * @category models
 */
export type Mode =
  | { readonly _tag: "pass" }
  | { readonly _tag: "latency"; readonly millis: number }
  | { readonly _tag: "blackhole" }
  | { readonly _tag: "reset" }

/**
 * @since 0.1.0
 * @category constructors
 */
export const pass: Mode = { _tag: "pass" }

/**
 * @since 0.1.0
 * @category constructors
 */
export const latency = (millis: number): Mode => ({ _tag: "latency", millis })

/**
 * @since 0.1.0
 * @category constructors
 */
export const blackhole: Mode = { _tag: "blackhole" }

/**
 * @since 0.1.0
 * @category constructors
 */
export const reset: Mode = { _tag: "reset" }

/**
 * A running proxy, as a service for tests that build it in a layer.
 *
 * @since 0.1.0
 * @category services
 */
export class FaultProxy extends Context.Service<
  FaultProxy,
  {
    /** `target`'s URL with the proxy's host and port in place of the server's. */
    readonly url: string
    /** Connections currently open through the proxy. */
    readonly connections: () => number
    readonly set: (mode: Mode) => Effect.Effect<void>
  }
>()("@rota/storage-pg/testing/FaultProxy") {}

/**
 * Sees the bytes of each connection as they pass, for counting or recording: called once per
 * connection, it answers what to call with each chunk in each direction.
 *
 * @since 0.1.0
 * @category models
 */
export type Watch = () => {
  readonly fromClient: (chunk: Buffer) => void
  readonly fromServer: (chunk: Buffer) => void
}

interface Pair {
  readonly client: Net.Socket
  readonly server: Net.Socket
}

// One direction of a connection. A chunk is written no earlier than the one before it, so a
// shorter delay set later cannot overtake chunks still held.
const forwarder = (to: Net.Socket, mode: () => Mode) => {
  let lastDue = 0
  return (chunk: Buffer) => {
    const current = mode()
    if (current._tag === "blackhole" || current._tag === "reset") return
    const now = Date.now()
    const due = Math.max(now + (current._tag === "latency" ? current.millis : 0), lastDue)
    lastDue = due
    if (due <= now) {
      to.write(chunk)
      return
    }
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk)
    }, due - now)
  }
}

/**
 * Listens on a free loopback port and forwards to the server of `target` (a PostgreSQL URL),
 * starting in `pass`; closes every connection when the scope closes. `watch` sees every chunk.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  target: string,
  options: { readonly watch?: Watch } = {}
): Effect.Effect<FaultProxy["Service"], never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<{ readonly proxy: FaultProxy["Service"]; readonly close: () => void }>((resume) => {
      const upstream = new URL(target)
      let mode: Mode = pass
      const pairs = new Set<Pair>()
      const cut = (pair: Pair) => {
        pairs.delete(pair)
        pair.client.resetAndDestroy()
        pair.server.resetAndDestroy()
      }
      const server = Net.createServer((client) => {
        client.on("error", () => {})
        if (mode._tag === "reset") {
          client.resetAndDestroy()
          return
        }
        const socket = Net.connect({ host: upstream.hostname, port: Number(upstream.port || 5432) })
        socket.on("error", () => {})
        const pair: Pair = { client, server: socket }
        pairs.add(pair)
        const watcher = options.watch?.()
        const toServer = forwarder(socket, () => mode)
        const toClient = forwarder(client, () => mode)
        client.on("data", (chunk: Buffer) => {
          watcher?.fromClient(chunk)
          toServer(chunk)
        })
        socket.on("data", (chunk: Buffer) => {
          watcher?.fromServer(chunk)
          toClient(chunk)
        })
        const end = () => {
          pairs.delete(pair)
          client.destroy()
          socket.destroy()
        }
        client.on("close", end)
        socket.on("close", end)
      })
      server.listen(0, "127.0.0.1", () => {
        const address = server.address() as Net.AddressInfo
        const url = new URL(target)
        url.hostname = "127.0.0.1"
        url.port = String(address.port)
        resume(
          Effect.succeed({
            proxy: {
              url: url.toString(),
              connections: () => pairs.size,
              set: (next) =>
                Effect.sync(() => {
                  mode = next
                  if (next._tag === "reset") for (const pair of Array.from(pairs)) cut(pair)
                })
            },
            close: () => {
              for (const pair of Array.from(pairs)) cut(pair)
              server.close()
            }
          })
        )
      })
    }),
    ({ close }) => Effect.sync(close)
  ).pipe(Effect.map(({ proxy }) => proxy))

/**
 * {@link make} as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (target: string): Layer.Layer<FaultProxy> => Layer.effect(FaultProxy, make(target))
