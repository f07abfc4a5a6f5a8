/**
 * Structured JSON logs, one object per line on stdout. Lines are buffered and written once per
 * event-loop turn, so logging every request costs an array push rather than a blocking write.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Logger } from "effect"

/**
 * Where log lines go; tests swap it for an in-memory one.
 *
 * @since 0.1.0
 * @category services
 */
export class LogSink extends Context.Service<LogSink, { readonly write: (line: string) => void }>()(
  "@rota/http/LogSink"
) {
  /**
   * Batched writes to stdout, flushed when the layer's scope closes.
   *
   * @since 0.1.0
   */
  static readonly layerStdout: Layer.Layer<LogSink> = Layer.effect(
    LogSink,
    Effect.gen(function* () {
      let buffer: Array<string> = []
      let scheduled = false
      const flush = () => {
        scheduled = false
        if (buffer.length === 0) return
        const chunk = `${buffer.join("\n")}\n`
        buffer = []
        process.stdout.write(chunk)
      }
      yield* Effect.addFinalizer(() => Effect.sync(flush))
      return LogSink.of({
        write: (line) => {
          buffer.push(line)
          if (!scheduled) {
            scheduled = true
            setImmediate(flush)
          }
        }
      })
    })
  )

  /**
   * Keeps lines in memory, for tests that assert on logs.
   *
   * @since 0.1.0
   */
  static readonly layerMemory = (lines: Array<string>): Layer.Layer<LogSink> =>
    Layer.succeed(LogSink, LogSink.of({ write: (line) => void lines.push(line) }))
}

/**
 * Routes Effect's own logs (`Effect.log*`) to the sink as JSON, replacing the default console
 * logger.
 *
 * @since 0.1.0
 * @category layers
 */
export const jsonLogger: Layer.Layer<never, never, LogSink> = Layer.unwrap(
  Effect.map(Effect.service(LogSink), (sink) =>
    Logger.layer([Logger.map(Logger.formatJson, (line) => sink.write(line))])
  )
)
