/**
 * The arithmetic of the reports, as small pure functions: clipping an interval to the report's
 * window, hours from seconds, ratios and percentiles. The PostgreSQL adapter does the same sums
 * in SQL; these functions are the definitions its tests compare it with.
 *
 * @since 0.1.0
 */

/**
 * A half-open interval `[start, end)` in epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface Span {
  readonly start: number
  readonly end: number
}

/**
 * How much of `span` falls inside `window`, in milliseconds: 0 when they do not meet.
 *
 * @since 0.1.0
 * @category rules
 */
export const clippedMillis = (span: Span, window: Span): number =>
  Math.max(0, Math.min(span.end, window.end) - Math.max(span.start, window.start))

/**
 * Seconds as hours, rounded to two decimals (36 seconds), the precision every report answers.
 *
 * @since 0.1.0
 * @category rules
 */
export const hours = (seconds: number): number => Math.round(seconds / 36) / 100

/**
 * `part / whole` rounded to four decimals; `null` when there is no whole to divide by.
 *
 * @since 0.1.0
 * @category rules
 */
export const ratio = (part: number, whole: number): number | null =>
  whole <= 0 ? null : Math.round((part / whole) * 10_000) / 10_000

/**
 * The `p`-th percentile (0..1) of `values` by linear interpolation between the closest ranks,
 * as PostgreSQL's `percentile_cont` computes it; `null` for no values.
 *
 * @since 0.1.0
 * @category rules
 */
export const percentile = (values: ReadonlyArray<number>, p: number): number | null => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const position = p * (sorted.length - 1)
  const below = Math.floor(position)
  const above = Math.ceil(position)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below)
}

/**
 * The arithmetic mean of `values`; `null` for no values.
 *
 * @since 0.1.0
 * @category rules
 */
export const mean = (values: ReadonlyArray<number>): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length
