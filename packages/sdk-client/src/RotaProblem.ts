/**
 * What a Promise caller catches when the API answers with an error: the problem's stable
 * `code`, its HTTP `status`, and the `requestId` to quote when reporting it.
 *
 * @since 0.1.0
 */
import { Predicate } from "effect"

/**
 * One field problem of a `validation_failed` problem.
 *
 * @since 0.1.0
 * @category models
 */
export interface FieldIssue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * @since 0.1.0
 * @category errors
 */
export class RotaProblem extends Error {
  override readonly name = "RotaProblem"
  /**
   * Stable and machine-readable: `not_found`, `conflict`, ...; `network` when no answer came,
   * `validation_failed` (status 0) when the client refused the input before sending it.
   */
  readonly code: string
  readonly status: number
  readonly requestId: string | undefined
  readonly title: string
  readonly detail: string | undefined
  /** The whole problem body, for extension members such as `conflicts` or `allowed`. */
  readonly problem: Readonly<Record<string, unknown>>

  constructor(fields: {
    readonly code: string
    readonly status: number
    readonly requestId: string | undefined
    readonly title: string
    readonly detail: string | undefined
    readonly problem: Readonly<Record<string, unknown>>
  }) {
    super(
      fields.detail === undefined
        ? `${fields.title} (${fields.code})`
        : `${fields.title}: ${fields.detail} (${fields.code})`
    )
    this.code = fields.code
    this.status = fields.status
    this.requestId = fields.requestId
    this.title = fields.title
    this.detail = fields.detail
    this.problem = fields.problem
  }

  /** Field problems of a 400, empty otherwise. */
  get errors(): ReadonlyArray<FieldIssue> {
    const errors = this.problem.errors
    return Array.isArray(errors) ? (errors as ReadonlyArray<FieldIssue>) : []
  }
}

const stringField = (value: object, key: string): string | undefined => {
  const field = (value as Record<string, unknown>)[key]
  return Predicate.isString(field) ? field : undefined
}

/**
 * Turns whatever the Effect client failed with into a {@link RotaProblem}: a declared problem
 * keeps its fields, anything else (network failure, undecodable answer) gets a generic code.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromFailure = (failure: unknown): RotaProblem => {
  if (
    Predicate.isObject(failure) &&
    Predicate.isString(stringField(failure, "code")) &&
    "status" in failure
  ) {
    const problem = { ...(failure as Record<string, unknown>) }
    delete problem._tag
    return new RotaProblem({
      code: stringField(failure, "code")!,
      status: Number(problem.status),
      requestId: stringField(failure, "requestId"),
      title: stringField(failure, "title") ?? "Error",
      detail: stringField(failure, "detail"),
      problem
    })
  }
  const tag = Predicate.isObject(failure) ? stringField(failure, "_tag") : undefined
  // The client checks payloads against the API's schemas before sending: a refusal there is the
  // same mistake the server would answer with `validation_failed`.
  const code =
    tag === "HttpClientError"
      ? "network"
      : tag === "SchemaError"
        ? "validation_failed"
        : "unexpected_response"
  return new RotaProblem({
    code,
    status: 0,
    requestId: undefined,
    title: "Request failed",
    detail: String(failure),
    problem: {}
  })
}
