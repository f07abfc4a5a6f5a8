/**
 * A page that uses the SDK's light clients (auth, resources and bookings only, so it bundles
 * nothing else): it signs in, lists the organisation's resources, books one, shows the typed
 * conflict of a second booking at the same time, and refreshes its session from the HttpOnly
 * cookie, as a page reloaded would.
 */
import { auth, bookings, connect, isRotaProblem, resources } from "@rota/sdk-client/lite"

const form = document.querySelector<HTMLFormElement>("#sign-in")!
const steps = document.querySelector<HTMLOListElement>("#steps")!

// Each step shows as one line: its name, then what it returned as JSON.
const show = (step: string, result: unknown) => {
  const line = document.createElement("li")
  line.dataset.step = step
  line.textContent = JSON.stringify(result)
  steps.append(line)
}

const run = async (api: string, login: string, password: string) => {
  const rota = connect({ baseUrl: api })
  await auth(rota).login({ payload: { login, password } })
  const me = await auth(rota).me()
  const orgId = me.memberships[0]?.orgId
  rota.session.orgId = orgId
  show("login", { username: me.account.username, org: me.memberships[0]?.orgName })

  const names: Array<string> = []
  // Every page of the list, followed by its cursor.
  for await (const resource of resources(rota).list({ query: {} })) names.push(resource.name)
  show("resources", { names })
  const resource = (await resources(rota).list({ query: { limit: 1 } })).items[0]
  if (resource === undefined) throw new Error("the organisation has no resource to book")

  // Times as `Date`s (ISO strings work too).
  const tomorrow = new Date()
  tomorrow.setUTCHours(24 + 10, 0, 0, 0)
  const slot = { startAt: tomorrow, endAt: new Date(tomorrow.getTime() + 2 * 3600_000) }
  const book = (purpose: string) =>
    // The client sends one Idempotency-Key per call and reuses it on retries: a retried
    // request cannot book twice.
    bookings(rota).create({
      headers: {},
      payload: { ...slot, purpose, items: [{ resourceId: resource.id }] }
    })
  const booking = await book("Morning shoot")
  show("booked", { status: booking.status, resource: resource.name })

  try {
    await book("Same time, same kit")
    show("conflict", { unexpected: "the second booking was accepted" })
  } catch (error) {
    if (!isRotaProblem(error)) throw error
    // `error.problem` is typed by code: a conflict lists the clashing claims.
    if (error.code === "conflict")
      show("conflict", {
        code: error.code,
        status: error.status,
        requestId: error.requestId,
        clashes: error.problem.conflicts.length
      })
    else show("conflict", { code: error.code, status: error.status, requestId: error.requestId })
  }

  // A reloaded page has no tokens in memory: the refresh cookie the browser kept brings new ones.
  const reloaded = connect({ baseUrl: api, orgId })
  await reloaded.refreshSession()
  const { data, response } = await bookings(reloaded).list({ query: {} }).withResponse()
  show("refreshed", { bookings: data.items.length, requestId: response.requestId !== undefined })
}

form.addEventListener("submit", (event) => {
  event.preventDefault()
  const fields = new FormData(form)
  const api = String(fields.get("api") ?? "").trim() || location.origin
  steps.replaceChildren()
  delete steps.dataset.done
  run(api, String(fields.get("login")), String(fields.get("password")))
    .catch((error: unknown) =>
      show(
        "failed",
        isRotaProblem(error)
          ? { code: error.code, status: error.status, requestId: error.requestId, detail: error.detail }
          : { message: String(error) }
      )
    )
    .finally(() => {
      steps.dataset.done = "true"
    })
})
