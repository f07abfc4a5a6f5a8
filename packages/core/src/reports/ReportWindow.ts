/**
 * The time window of a report: `[from, to)`, `to` after `from`, at most 366 days long.
 * Missing ends default to the 30 days up to now.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect } from "effect"
import { ValidationFailed } from "../kernel/Errors.ts"
import * as Timestamp from "../kernel/Timestamp.ts"

/**
 * The longest window a report covers: a year, leap day included.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxDays = 366

/**
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly from: DateTime.Utc
  readonly to: DateTime.Utc
}

/**
 * What is wrong with a window, if anything: each problem names the query field to fix.
 *
 * @since 0.1.0
 * @category rules
 */
export const problems = (window: Window): ReadonlyArray<{ path: Array<string>; message: string }> => {
  const from = DateTime.toEpochMillis(window.from)
  const to = DateTime.toEpochMillis(window.to)
  if (!Timestamp.isInRange(from) || !Timestamp.isInRange(to))
    return [{ path: ["query", "from"], message: "Expected a window within years 0001-9999" }]
  const span = to - from
  if (span <= 0) return [{ path: ["query", "to"], message: "Expected to to be after from" }]
  if (span > maxDays * 86_400_000)
    return [{ path: ["query", "to"], message: `Expected a window of at most ${maxDays} days` }]
  return []
}

/**
 * The window a caller asked for, its missing ends filled in, or a `ValidationFailed` (400).
 *
 * @since 0.1.0
 * @category rules
 */
export const resolve = Effect.fnUntraced(function* (asked: {
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
}) {
  const to =
    asked.to ??
    (asked.from !== undefined
      ? Timestamp.clamp(DateTime.addDuration(asked.from, Duration.days(30)))
      : yield* DateTime.now)
  const from = asked.from ?? Timestamp.clamp(DateTime.subtractDuration(to, Duration.days(30)))
  const window = { from, to }
  const issues = problems(window)
  if (issues.length > 0) return yield* new ValidationFailed({ errors: [...issues] })
  return window
})
