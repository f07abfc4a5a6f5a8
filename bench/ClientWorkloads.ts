/**
 * What clients send besides the booking workloads: the first page of every other list route
 * (its default query), and the other writes a client makes often (an intervention, a waitlist
 * join), each request with its own idempotency key.
 */
import { randomUUID } from "node:crypto"

/** The default query of every list route the booking rows do not cover, as [name, path]. */
export const listings = (ids: { readonly resourceId: string }): ReadonlyArray<readonly [string, string]> =>
  (
    [
      "/v1/sites",
      "/v1/tags",
      "/v1/parts",
      `/v1/resources/${ids.resourceId}/units`,
      "/v1/clients",
      "/v1/technicians",
      "/v1/projects",
      "/v1/missions",
      "/v1/assignments",
      "/v1/availability",
      "/v1/maintenance-plans",
      "/v1/notifications",
      "/v1/webhooks",
      "/v1/invitations"
    ] as const
  ).map((path) => [`GET ${path.replace(ids.resourceId, "..")} (default query)`, path] as const)

const run = randomUUID().slice(0, 8)

/** Bodies for `POST /v1/interventions`: a new corrective intervention each time. */
export const nextIntervention = (() => {
  let k = 0
  return () => {
    const n = k++
    return {
      headers: { "content-type": "application/json", "idempotency-key": `bench-int-${run}-${n}` },
      body: JSON.stringify({ title: `Bench intervention ${n}`, priority: "NORMAL" })
    }
  }
})()

/**
 * Bodies for `POST /v1/waitlist`: a join for the seeded window of the main resource (every unit
 * booked then, so a join is accepted), each with its own purpose and key.
 */
export const nextJoin = (
  resourceId: string,
  window: { readonly startAt: string; readonly endAt: string }
) => {
  let k = 0
  return () => {
    const n = k++
    return {
      headers: { "content-type": "application/json", "idempotency-key": `bench-join-${run}-${n}` },
      body: JSON.stringify({ resourceId, ...window, purpose: `bench join ${n}` })
    }
  }
}
