/**
 * A page that uses the SDK's Promise client: it signs in, lists the organisation's resources,
 * books one, shows the typed conflict of a second booking at the same time, and refreshes its
 * session from the HttpOnly cookie, as a page reloaded would.
 */
import { createClient, RotaProblem } from "@rota/sdk-client"
import { DateTime } from "effect"

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
  const rota = createClient({ baseUrl: api })
  await rota.auth.login({ payload: { login, password } })
  const me = await rota.auth.me()
  const orgId = me.memberships[0]?.orgId
  rota.session.orgId = orgId
  show("login", { username: me.account.username, org: me.memberships[0]?.orgName })

  const resources = await rota.resources.list({ query: {} })
  show("resources", { names: resources.items.map((resource) => resource.name) })
  const resource = resources.items[0]
  if (resource === undefined) throw new Error("the organisation has no resource to book")

  const tomorrow = DateTime.add(DateTime.startOf(DateTime.nowUnsafe(), "day"), { days: 1, hours: 10 })
  const slot = { startAt: tomorrow, endAt: DateTime.add(tomorrow, { hours: 2 }) }
  const book = (purpose: string) =>
    rota.bookings.create({
      // One key per booking the user means: a retried request cannot book twice.
      headers: { "idempotency-key": crypto.randomUUID() },
      payload: { ...slot, purpose, items: [{ resourceId: resource.id }] }
    })
  const booking = await book("Morning shoot")
  show("booked", { status: booking.status, resource: resource.name })

  try {
    await book("Same time, same kit")
    show("conflict", { unexpected: "the second booking was accepted" })
  } catch (error) {
    if (!(error instanceof RotaProblem)) throw error
    show("conflict", { code: error.code, status: error.status, requestId: error.requestId })
  }

  // A reloaded page has no tokens in memory: the refresh cookie the browser kept brings new ones.
  const reloaded = createClient({ baseUrl: api, orgId })
  await reloaded.refreshSession()
  const bookings = await reloaded.bookings.list({ query: {} })
  show("refreshed", { bookings: bookings.items.length })
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
        error instanceof RotaProblem
          ? { code: error.code, status: error.status, requestId: error.requestId, detail: error.detail }
          : { message: String(error) }
      )
    )
    .finally(() => {
      steps.dataset.done = "true"
    })
})
