/**
 * What a Promise caller catches: the problem's stable `code`, its HTTP `status`, the `requestId`
 * to quote when reporting it, and the problem body, typed by code. Plain TypeScript: the light
 * clients share it without loading Effect.
 *
 * @since 0.1.0
 */
import type { Problems } from "@rota/http/api"

type ProblemInstances = {
  readonly [K in keyof typeof Problems]: (typeof Problems)[K] extends abstract new (
    ...args: never
  ) => infer I
    ? I
    : never
}[keyof typeof Problems]

/**
 * Every problem the API declares, as the Effect client decodes it.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiProblem = Extract<ProblemInstances, { readonly code: string; readonly requestId: string }>

/**
 * The codes the client gives failures that are not an answer of the API: `network` (no answer:
 * server down, DNS, CORS refusal), `timeout` (the call's deadline passed), `aborted` (its
 * `AbortSignal` fired), `unexpected_response` (an answer the client could not read).
 * `validation_failed` with status 0 is the client refusing input before sending it.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientCode = "network" | "timeout" | "aborted" | "unexpected_response"

/**
 * @since 0.1.0
 * @category models
 */
export type ProblemCode = ApiProblem["code"] | ClientCode

type Data<I> = {
  readonly [K in keyof I as K extends "_tag" | "name" | "message" | "stack" | "cause"
    ? never
    : K extends string
      ? I[K] extends (...args: never) => unknown
        ? never
        : K
      : never]: I[K]
}

/**
 * The body of the problem with code `C`: `onHand` and `requested` for `insufficient_stock`,
 * `conflicts` for `conflict`, `errors` for `validation_failed`, ...; a record of unknowns until
 * the code is known.
 *
 * @since 0.1.0
 * @category models
 */
export type ProblemBody<C extends ProblemCode> = [ProblemCode] extends [C]
  ? Readonly<Record<string, unknown>>
  : C extends ApiProblem["code"]
    ? Data<Extract<ApiProblem, { readonly code: C }>>
    : { readonly code: C }

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
 * A failed call. `instanceof RotaProblem` catches them all; {@link isRotaProblem} or
 * `error.is(code)` narrow `problem` to the body of one code.
 *
 * @since 0.1.0
 * @category errors
 */
export class RotaProblem<C extends ProblemCode = ProblemCode> extends Error {
  override readonly name = "RotaProblem"
  /** Stable and machine-readable: `not_found`, `conflict`, ... (see {@link ProblemCode}). */
  readonly code: C
  /** The HTTP status; 0 for failures of the client itself (see {@link ClientCode}). */
  readonly status: number
  readonly requestId: string | undefined
  readonly title: string
  readonly detail: string | undefined
  /** The whole problem body, for members such as `conflicts`, `allowed` or `onHand`. */
  readonly problem: ProblemBody<C>

  constructor(fields: {
    readonly code: C
    readonly status: number
    readonly requestId: string | undefined
    readonly title: string
    readonly detail: string | undefined
    readonly problem: ProblemBody<C>
    readonly cause?: unknown
  }) {
    super(
      fields.detail === undefined
        ? `${fields.title} (${fields.code})`
        : `${fields.title}: ${fields.detail} (${fields.code})`,
      fields.cause === undefined ? undefined : { cause: fields.cause }
    )
    this.code = fields.code
    this.status = fields.status
    this.requestId = fields.requestId
    this.title = fields.title
    this.detail = fields.detail
    this.problem = fields.problem
  }

  /** Field problems of a `validation_failed` (from the server or the client's own check), empty otherwise. */
  get errors(): ReadonlyArray<FieldIssue> {
    const errors = (this.problem as { readonly errors?: unknown }).errors
    return Array.isArray(errors) ? (errors as ReadonlyArray<FieldIssue>) : []
  }

  /** Narrows to one code, typing `problem` with that code's body. */
  is<K extends ProblemCode>(code: K): this is RotaProblem<K> {
    return (this.code as ProblemCode) === code
  }
}

/**
 * Every failure, as a union discriminated on `code`: a `switch (error.code)` types `problem`.
 *
 * @since 0.1.0
 * @category errors
 */
export type RotaError = { readonly [C in ProblemCode]: RotaProblem<C> }[ProblemCode]

/**
 * @since 0.1.0
 * @category guards
 */
export const isRotaProblem = (error: unknown): error is RotaError => error instanceof RotaProblem

const stringField = (value: Readonly<Record<string, unknown>>, key: string): string | undefined =>
  typeof value[key] === "string" ? value[key] : undefined

/**
 * A problem from a decoded problem+json body (or any object with a `code`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromBody = (
  body: Readonly<Record<string, unknown>>,
  status: number,
  requestId?: string
): RotaError => {
  const problem: Record<string, unknown> = { ...body }
  delete problem._tag
  return new RotaProblem({
    code: stringField(body, "code") as ProblemCode,
    status,
    requestId: stringField(body, "requestId") ?? requestId,
    title: stringField(body, "title") ?? "Error",
    detail: stringField(body, "detail"),
    problem: problem as never
  }) as RotaError
}

/**
 * A failure of the client itself: no answer, a deadline or an abort, an unreadable answer, or
 * input refused before sending (with its field `errors`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientProblem = (
  code: ClientCode | "validation_failed",
  detail: string,
  options: {
    readonly cause?: unknown
    readonly errors?: ReadonlyArray<FieldIssue>
    readonly status?: number
  } = {}
): RotaError =>
  new RotaProblem({
    code,
    status: options.status ?? 0,
    requestId: undefined,
    title: code === "validation_failed" ? "Validation failed" : "Request failed",
    detail,
    problem: (options.errors === undefined ? { code } : { code, errors: options.errors }) as never,
    cause: options.cause
  }) as RotaError

/**
 * The client code of an error thrown by `fetch` or by the SDK's transport.
 *
 * @since 0.1.0
 * @category constructors
 */
export const transportCode = (error: unknown): ClientCode => {
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined
  return name === "TimeoutError" ? "timeout" : name === "AbortError" ? "aborted" : "network"
}
