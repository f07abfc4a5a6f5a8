/**
 * Keeping a session alive, shared by both clients: tokens an auth route answers are kept, logout
 * forgets them, and a call refused as `unauthenticated` refreshes the session once (however
 * many calls were refused together) and is sent again.
 *
 * @since 0.1.0
 */
import { RotaProblem } from "./RotaProblem.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Session {
  accessToken: string | undefined
  refreshToken: string | undefined
  orgId: string | undefined
}

/** Which kind of route a call is, as far as the session cares. */
interface RouteKind {
  readonly auth: boolean
  readonly logout: boolean
}

type Sent = { readonly data: unknown }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null

const tokenFields = (value: unknown) =>
  isRecord(value) && typeof value.accessToken === "string" && typeof value.refreshToken === "string"
    ? { accessToken: value.accessToken, refreshToken: value.refreshToken }
    : undefined

/**
 * The session's keeper over a way to call the refresh route.
 *
 * @since 0.1.0
 * @category constructors
 */
export const keep = (
  session: Session,
  refresh: (request: { readonly payload: unknown; readonly headers: Record<string, string> }) => Promise<Sent>
) => {
  let refreshing: Promise<void> | undefined
  const refreshSession = (): Promise<void> => {
    refreshing ??= refresh({
      payload: session.refreshToken === undefined ? {} : { refreshToken: session.refreshToken },
      // Proves to the server that this page sent the request, so it accepts the cookie.
      headers: { "x-requested-with": "rota" }
    })
      .then(({ data }) => {
        const tokens = tokenFields(data)
        if (tokens !== undefined) Object.assign(session, tokens)
      })
      .finally(() => {
        refreshing = undefined
      })
    return refreshing
  }

  const withSession = async <R extends Sent>(route: RouteKind, send: () => Promise<R>): Promise<R> => {
    const sentToken = session.accessToken
    try {
      const result = await send()
      const tokens = tokenFields(result.data)
      if (route.auth && tokens !== undefined) Object.assign(session, tokens)
      if (route.logout) Object.assign(session, { accessToken: undefined, refreshToken: undefined })
      return result
    } catch (error) {
      if (!(error instanceof RotaProblem && error.code === "unauthenticated" && !route.auth)) throw error
      // An expired access token: refresh once, then try the call again. A call that was sent
      // with a token another call has since replaced just tries again with the new one.
      if (session.accessToken === sentToken) {
        const refreshed = await refreshSession().then(
          () => true,
          () => false
        )
        if (!refreshed) throw error
      }
      return send()
    }
  }

  return { refreshSession, withSession }
}
