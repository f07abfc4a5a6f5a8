/**
 * The payload of an action whose every field is optional (`POST .../duplicate`, logout,
 * refresh...). Clients call such actions with no body at all, with or without
 * `Content-Type: application/json`; the framework hands an empty body to the payload schema as
 * `null` when the schema's encoded side takes `null`, so that branch reads as `{}`.
 *
 * @since 0.1.0
 */
import { Schema, SchemaAST, SchemaTransformation } from "effect"

/**
 * `payload`, or no body at all, read as `{}`: only for a struct whose every field is optional
 * (checked here, when the API is defined).
 *
 * @since 0.1.0
 * @category schemas
 */
export const optionalBody = <Fields extends Schema.Struct.Fields>(payload: Schema.Struct<Fields>) => {
  const required = Object.entries(payload.fields).filter(([, field]) => !SchemaAST.isOptional(field.ast))
  if (required.length > 0) throw new Error(`optionalBody: required fields ${required.map(([name]) => name)}`)
  // Every field is optional (checked above), so `{}` is the struct's encoded form of nothing.
  const nothing = {} as typeof payload.Encoded
  const empty = Schema.Null.pipe(
    Schema.decodeTo(
      payload,
      SchemaTransformation.transform<typeof payload.Encoded, null>({
        decode: () => nothing,
        encode: () => null
      })
    )
  )
  return [payload, empty] as const
}
