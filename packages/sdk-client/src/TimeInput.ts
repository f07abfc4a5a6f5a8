/**
 * Times as callers have them: wherever an endpoint takes a `DateTime.Utc`, the clients also take
 * an ISO 8601 string or a `Date`. The request's own schemas say where the times are, so a string
 * is read as a time only in a time field.
 *
 * @since 0.1.0
 */
import { DateTime, Option, Predicate, type Schema, SchemaAST } from "effect"
import type { HttpApiEndpoint } from "effect/http-api"

/**
 * `T` with every `DateTime.Utc` also accepting an ISO 8601 string or a `Date`.
 *
 * @since 0.1.0
 * @category models
 */
export type TimeInput<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends DateTime.Utc
    ? T | Date | string
    : T extends DateTime.DateTime | Date
      ? T
      : T extends ReadonlyArray<infer I>
        ? T extends Array<I>
          ? Array<TimeInput<I>>
          : ReadonlyArray<TimeInput<I>>
        : T extends object
          ? { [K in keyof T]: TimeInput<T[K]> }
          : T

const isUtcDeclaration = (ast: SchemaAST.AST) =>
  SchemaAST.isDeclaration(ast) && ast.annotations?.expected === "DateTime.Utc"

// A string the schema will then check: an unreadable one is left as it is, so the schema's own
// error names the field.
const toUtc = (value: unknown): unknown => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? value : DateTime.fromDateUnsafe(value)
  if (Predicate.isString(value)) return Option.getOrElse(DateTime.make(value), () => value)
  return value
}

const coerce = (ast: SchemaAST.AST, value: unknown, depth: number): unknown => {
  if (depth > 32 || value === undefined || value === null) return value
  if (isUtcDeclaration(ast)) return DateTime.isDateTime(value) ? value : toUtc(value)
  switch (ast._tag) {
    case "Suspend":
      return coerce(ast.thunk(), value, depth + 1)
    case "Union": {
      // The first member that turns the value into something else is the one meant.
      for (const member of ast.types) {
        const next = coerce(member, value, depth + 1)
        if (next !== value) return next
      }
      return value
    }
    case "Arrays": {
      if (!Array.isArray(value)) return value
      const items = value.map((item, index) => {
        const element = ast.elements[index] ?? ast.rest[0]
        return element === undefined ? item : coerce(element, item, depth + 1)
      })
      return items.some((item, index) => item !== value[index]) ? items : value
    }
    case "Objects": {
      if (!Predicate.isObject(value) || Array.isArray(value) || value instanceof Date) return value
      const record = value as Record<string, unknown>
      let changed: Record<string, unknown> | undefined
      for (const property of ast.propertySignatures) {
        if (!Predicate.isString(property.name) || !(property.name in record)) continue
        const next = coerce(property.type, record[property.name], depth + 1)
        if (next !== record[property.name]) {
          changed ??= { ...record }
          changed[property.name] = next
        }
      }
      return changed ?? value
    }
    default:
      return value
  }
}

const coerceWith = (schema: Schema.Top | undefined, value: unknown) =>
  schema === undefined ? value : coerce(schema.ast, value, 0)

/**
 * The request schemas of an endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface EndpointSchemas {
  readonly query: Schema.Top | undefined
  readonly payload: HttpApiEndpoint.PayloadMap
}

/**
 * The request of a call to `endpoint`, its times in `payload` and `query` as `DateTime.Utc`.
 *
 * @since 0.1.0
 * @category conversions
 */
export const coerceRequest = (endpoint: EndpointSchemas, request: unknown): unknown => {
  if (!Predicate.isObject(request)) return request
  const { payload, query } = request as { readonly payload?: unknown; readonly query?: unknown }
  let result = request as Record<string, unknown>
  if (query !== undefined) {
    const next = coerceWith(endpoint.query, query)
    if (next !== query) result = { ...result, query: next }
  }
  if (payload !== undefined) {
    for (const entry of endpoint.payload.values()) {
      if (entry.encoding._tag === "Stream") continue
      const next = coerceWith(entry.schemas[0], payload)
      if (next !== payload) {
        result = { ...result, payload: next }
        break
      }
    }
  }
  return result
}
