/**
 * The Promise a call returns, shared by the Promise client and the light clients: it starts at
 * once, gives the answer's headers on `withResponse()`, and a list's Promise iterates over the
 * items of every page.
 *
 * @since 0.1.0
 */
import type { ResponseInfo } from "./Transport.ts"

/**
 * The Promise of a call: `await` it for the answer, or call `withResponse()` for the answer with
 * its status, headers and request id.
 *
 * @since 0.1.0
 * @category models
 */
export interface RotaPromise<A> extends Promise<A> {
  readonly withResponse: () => Promise<{ readonly data: A; readonly response: ResponseInfo }>
}

/**
 * The Promise of a list call, also an async iterable over every item of every page: `for await`
 * follows `nextCursor` until the last page.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListPromise<A, Item> extends RotaPromise<A>, AsyncIterable<Item> {}

/**
 * The items of a page answer, `never` for other answers.
 *
 * @since 0.1.0
 * @category models
 */
export type PageItem<A> = A extends { readonly items: ReadonlyArray<infer I>; readonly nextCursor: unknown }
  ? I
  : never

/**
 * What a method returns for the answer `A`.
 *
 * @since 0.1.0
 * @category models
 */
export type Returned<A> = [PageItem<A>] extends [never] ? RotaPromise<A> : ListPromise<A, PageItem<A>>

/**
 * Sends one request: its answer and the response it came in.
 *
 * @since 0.1.0
 * @category models
 */
export type Send = (request: unknown) => Promise<{ readonly data: unknown; readonly response: ResponseInfo }>

const isPage = (
  value: unknown
): value is { readonly items: ReadonlyArray<unknown>; readonly nextCursor: unknown } =>
  typeof value === "object" &&
  value !== null &&
  Array.isArray((value as { items?: unknown }).items) &&
  "nextCursor" in value

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null

async function* pages(
  send: Send,
  request: unknown,
  first: Promise<unknown>,
  label: string
): AsyncGenerator<unknown> {
  let page = await first
  for (;;) {
    if (!isPage(page)) throw new TypeError(`${label} does not answer a page`)
    yield* page.items
    if (page.nextCursor === null || page.nextCursor === undefined) return
    const base = isRecord(request) ? request : {}
    const query = isRecord(base.query) ? base.query : {}
    page = (await send({ ...base, query: { ...query, cursor: page.nextCursor } })).data
  }
}

/**
 * Starts a call of `send` and returns its {@link RotaPromise} (a {@link ListPromise} for lists).
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (send: Send, request: unknown, label: string): ListPromise<unknown, unknown> => {
  const full = send(request)
  const data = full.then(({ data }) => data)
  // A caller that only uses `withResponse()` or iterates must not leave `data` rejected unheard.
  data.catch(() => undefined)
  return Object.assign(data, {
    withResponse: () => full,
    [Symbol.asyncIterator]: () => pages(send, request, data, label)
  })
}
