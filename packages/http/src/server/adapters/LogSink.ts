/**
 * Structured JSON logs, one object per line on stdout. Lines are buffered and written once per
 * event-loop turn, so logging every request costs an array push rather than a blocking write.
 *
 * @since 0.1.0
 */
import { Cause, Context, Effect, type Fiber, Layer, Logger, References, Tracer } from "effect"

/**
 * Where log lines go; tests swap it for an in-memory one. `write` stays a plain function: the
 * logger calls it synchronously for every line.
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
      const batch = batched((chunk) => process.stdout.write(chunk))
      yield* Effect.addFinalizer(() => Effect.sync(batch.flush))
      return LogSink.of({ write: batch.write })
    })
  )

  /**
   * Keeps lines in memory, for tests that assert on logs.
   *
   * @since 0.1.0
   */
  static readonly layerMemory = (lines: Array<string>): Layer.Layer<LogSink> =>
    Layer.succeed(LogSink, LogSink.of({ write: appendingTo(lines) }))
}

/**
 * Lines handed to `out` in one chunk per event-loop turn, so writing a line costs an array push
 * rather than a blocking write; `flush` hands over what is pending at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const batched = (
  out: (chunk: string) => void
): { readonly write: (line: string) => void; readonly flush: () => void } => {
  let buffer: Array<string> = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (buffer.length === 0) return
    const chunk = `${buffer.join("\n")}\n`
    buffer = []
    out(chunk)
  }
  const write = (line: string) => {
    buffer.push(line)
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  }
  return { write, flush }
}

const appendingTo =
  (lines: Array<string>) =>
  (line: string): void =>
    void lines.push(line)

/**
 * How log lines look: `json` (one object per line, for collectors) or `pretty` (for a person
 * at a terminal).
 *
 * @since 0.1.0
 * @category models
 */
export type LogFormat = "json" | "pretty"

/**
 * The trace and span a line belongs to, so a collector can join logs with traces.
 *
 * @since 0.1.0
 * @category models
 */
export interface TraceIds {
  readonly traceId: string
  readonly spanId: string
}

const colors: Record<string, string> = {
  TRACE: "\x1b[90m",
  DEBUG: "\x1b[36m",
  INFO: "\x1b[32m",
  WARN: "\x1b[33m",
  ERROR: "\x1b[31m",
  FATAL: "\x1b[35m"
}

// Colours only for a terminal: `ROTA_LOG_FORMAT=pretty` piped to a file stays plain text.
const colorful = () => process.stdout.isTTY === true && process.env.NO_COLOR === undefined

const prettyValue = (value: unknown) =>
  typeof value === "string" && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)

/**
 * One log line in `format`. Every line of the server goes through here (Effect's logs, the
 * access log, security events), so stdout carries one shape: `time`, `level`, `msg`, the fields,
 * then `trace_id`/`span_id` when the line was written within a span.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (
  format: LogFormat,
  level: string,
  msg: string,
  fields: Readonly<Record<string, unknown>>,
  trace?: TraceIds | undefined,
  date: Date = new Date()
): string => {
  if (format === "json") {
    const entry: Record<string, unknown> = { time: date.toISOString(), level, msg, ...fields }
    if (trace !== undefined) {
      entry.trace_id = trace.traceId
      entry.span_id = trace.spanId
    }
    return JSON.stringify(entry)
  }
  const time = date.toISOString().slice(11, 23)
  const color = colorful()
  const paint = (code: string | undefined, text: string) =>
    color && code !== undefined ? `${code}${text}\x1b[0m` : text
  const parts = [paint("\x1b[90m", time), paint(colors[level], level.padEnd(5)), msg]
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${paint("\x1b[90m", `${key}=`)}${prettyValue(value)}`)
  }
  if (trace !== undefined) parts.push(paint("\x1b[90m", `trace_id=${trace.traceId}`))
  return parts.join(" ")
}

/**
 * The trace and span of the running fiber, if it runs within one.
 *
 * @since 0.1.0
 * @category rendering
 */
export const traceOf = (fiber: Fiber.Fiber<unknown, unknown>): TraceIds | undefined => {
  const span = Context.getOrUndefined(fiber.context, Tracer.ParentSpan)
  return span === undefined ? undefined : { traceId: span.traceId, spanId: span.spanId }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype

// `Effect.logInfo("purged", { keys: 3 })` reads as message "purged" with field `keys`; anything
// else after the message is kept under `details`.
const fieldsOf = (message: unknown, annotations: Readonly<Record<string, unknown>>) => {
  const parts = Array.isArray(message) ? message : [message]
  const first = parts[0]
  const msg = typeof first === "string" ? first : (JSON.stringify(first) ?? String(first))
  const fields: Record<string, unknown> = { ...annotations }
  const details: Array<unknown> = []
  for (const part of parts.slice(1)) {
    if (isPlainObject(part)) Object.assign(fields, part)
    else details.push(part)
  }
  if (details.length > 0) fields.details = details.length === 1 ? details[0] : details
  return { msg, fields }
}

/**
 * Routes Effect's own logs (`Effect.log*`) to the sink in `format`, replacing the default
 * console logger.
 *
 * @since 0.1.0
 * @category layers
 */
export const loggerFor = (format: LogFormat): Layer.Layer<never, never, LogSink> =>
  Layer.unwrap(
    Effect.map(Effect.service(LogSink), (sink) =>
      Logger.layer([
        Logger.make(({ cause, date, fiber, logLevel, message }) => {
          const { msg, fields } = fieldsOf(message, fiber.getRef(References.CurrentLogAnnotations))
          if (cause.reasons.length > 0) {
            const [first, ...trace] = Cause.pretty(cause).split("\n")
            fields.error = first
            // Stack frames only where someone will debug: warnings (a database outage) stay short.
            if (trace.length > 0 && (logLevel === "Error" || logLevel === "Fatal"))
              fields.stack = trace.join("\n")
          }
          sink.write(render(format, logLevel.toUpperCase(), msg, fields, traceOf(fiber), date))
        })
      ])
    )
  )

/**
 * {@link loggerFor} JSON lines, as tests and collectors read them.
 *
 * @since 0.1.0
 * @category layers
 */
export const jsonLogger: Layer.Layer<never, never, LogSink> = loggerFor("json")
