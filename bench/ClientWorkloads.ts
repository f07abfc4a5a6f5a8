/**
 * What clients send besides the booking workloads: the first page of every other list route
 * (its default query), and the other writes a client makes often (an intervention, a waitlist
 * join), each request with its own idempotency key.
 */
import { randomUUID } from "node:crypto"
import { psql } from "./Postgres.ts"

/**
 * The default query of every list route the booking rows (and the rows of run.ts) do not
 * cover, as [name, path]. An intervention's timeline, parts and documents are read for
 * `interventionId`.
 */
export const listings = (ids: {
  readonly resourceId: string
  readonly interventionId: string
}): ReadonlyArray<readonly [string, string]> =>
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
      "/v1/invitations",
      "/v1/blackouts",
      "/v1/api-keys",
      "/v1/calendar-feeds",
      "/v1/changes",
      "/v1/waitlist",
      "/v1/waitlist/mine",
      `/v1/interventions/${ids.interventionId}/events`,
      `/v1/interventions/${ids.interventionId}/parts`,
      `/v1/interventions/${ids.interventionId}/documents`
    ] as const
  ).map(
    (path) =>
      [
        `GET ${path.replace(ids.resourceId, "..").replace(ids.interventionId, "..")} (default query)`,
        path
      ] as const
  )

/** An intervention of the org, created through the API, whose sub-lists the bench reads. */
export const anIntervention = async (baseUrl: string, headers: Record<string, string>) => {
  const response = await fetch(`${baseUrl}/v1/interventions`, {
    method: "POST",
    headers: {
      ...headers,
      "content-type": "application/json",
      "idempotency-key": `bench-int-${randomUUID()}`
    },
    body: JSON.stringify({ title: "Bench intervention with a timeline", priority: "NORMAL" })
  })
  if (response.status !== 201)
    throw new Error(`create intervention: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { readonly id: string }).id
}

/** The waiting window the seed filled for the main resource (its closure's), as ISO instants. */
export const waitingWindow = async (databaseUrl: string, orgId: string) => {
  const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
  const [line] = await psql(
    databaseUrl,
    `SELECT ${iso("start_at")} || ' ' || ${iso("end_at")} FROM blackouts
      WHERE org_id = '${orgId}' AND reason = 'bench: the waiting window is taken'`
  )
  const [startAt, endAt] = (line ?? "").split(" ")
  if (startAt === undefined || endAt === undefined) throw new Error("the seed has no waiting window")
  return { startAt, endAt }
}

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
 * taken then, by a booking or the seed's closure, so a join is accepted: 201), each with its own
 * purpose and key.
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
