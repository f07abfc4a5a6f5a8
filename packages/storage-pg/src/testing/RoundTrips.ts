/**
 * Counts round trips to PostgreSQL from the bytes a {@link FaultProxy} forwards: how many times a
 * client, with no answer outstanding, sends work (a `Sync` of the extended protocol or a simple
 * `Query`) and then waits for the server's `ReadyForQuery`. Statements sent together before
 * waiting (a pipeline) count once. The wire protocol is read only as far as message boundaries.
 *
 * @since 0.1.0
 */
import type { Watch } from "./FaultProxy.ts"

const sslRequest = 80_877_103
const gssRequest = 80_877_104
const sync = 0x53
const query = 0x51
const parse = 0x50
const bind = 0x42
const readyForQuery = 0x5a

// A NUL-terminated string at `offset`, and the offset past it.
const cString = (body: Buffer, offset: number): readonly [string, number] => {
  const end = body.indexOf(0, offset)
  return [body.toString("utf8", offset, end), end + 1]
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 160)

// Splits a byte stream into messages: `[type][int32 length, itself included][body]`, except the
// messages before the startup message, which have no type byte.
const frames = (untyped: boolean, onMessage: (type: number | null, body: Buffer) => void) => {
  let buffer = Buffer.alloc(0)
  const state = { untyped }
  const push = (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    for (;;) {
      const header = state.untyped ? 4 : 5
      if (buffer.length < header) return
      const total = buffer.readInt32BE(header - 4) + (state.untyped ? 0 : 1)
      if (buffer.length < total) return
      const type = state.untyped ? null : buffer[0]!
      const body = buffer.subarray(header, total)
      buffer = buffer.subarray(total)
      onMessage(type, body)
    }
  }
  return { push, state }
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RoundTrips {
  /** Give to `FaultProxy.make` to watch its connections. */
  readonly watch: Watch
  /** Round trips on every connection since the last `reset`. */
  readonly count: () => number
  /** The statements of each of those round trips (their first 160 characters), for a failure message. */
  readonly trips: () => ReadonlyArray<ReadonlyArray<string>>
  readonly reset: () => void
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (): RoundTrips => {
  let trips: Array<Array<string>> = []
  const watch: Watch = () => {
    // Work sent and not yet answered, on this connection.
    let pending = 0
    // The statements of this connection's current trip, and its prepared statements by name.
    let current: Array<string> = []
    let trip: Array<string> = []
    const prepared = new Map<string, string>()
    // After an SSL or GSS request the server answers one bare byte before anything else.
    let bareByte = false
    const client = frames(true, (type, body) => {
      if (type === null) {
        const code = body.readInt32BE(0)
        if (code === sslRequest || code === gssRequest) bareByte = true
        else client.state.untyped = false
      } else if (type === parse) {
        const [name, next] = cString(body, 0)
        const [text] = cString(body, next)
        if (name !== "") prepared.set(name, text)
        current.push(oneLine(text))
      } else if (type === bind) {
        const [, next] = cString(body, 0)
        const [name] = cString(body, next)
        const text = prepared.get(name)
        // A statement parsed in the same message batch is already listed.
        if (text !== undefined && current.at(-1) !== oneLine(text)) current.push(oneLine(text))
      } else if (type === sync || type === query) {
        if (type === query) current.push(oneLine(cString(body, 0)[0]))
        if (pending === 0) {
          trip = current
          trips.push(trip)
        } else {
          trip.push(...current)
        }
        current = []
        pending++
      }
    })
    const server = frames(false, (type) => {
      if (type === readyForQuery) pending = Math.max(0, pending - 1)
    })
    return {
      fromClient: client.push,
      fromServer: (chunk) => {
        if (bareByte && chunk.length > 0) {
          bareByte = false
          server.push(chunk.subarray(1))
        } else {
          server.push(chunk)
        }
      }
    }
  }
  return {
    watch,
    count: () => trips.length,
    trips: () => trips,
    reset: () => {
      trips = []
    }
  }
}
