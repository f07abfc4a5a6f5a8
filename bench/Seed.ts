/**
 * The data the targets name: 100k bookings and 10k waiting entries in one org, and a pair of
 * orgs with 10k and 1M bookings for the growth check. The three owners register through the
 * API (so identity rows are Rota's own); the rest is set-based SQL (bench/sql/seed.sql).
 */
import { createHash } from "node:crypto"
import { psql, psqlFile } from "./Postgres.ts"

export interface Owner {
  readonly orgId: string
  readonly accountId: string
  /** Authorization and X-Org-Id for tenant calls. */
  readonly headers: Record<string, string>
}

export interface Sizes {
  readonly mainBookings: number
  readonly waitlistEntries: number
  readonly smallBookings: number
  readonly hugeBookings: number
}

/** The sizes quality.md's targets name. */
export const sizes: Sizes = {
  mainBookings: 100_000,
  waitlistEntries: 10_000,
  smallBookings: 10_000,
  hugeBookings: 1_000_000
}

/**
 * The ids seed.sql derives: `md5(org || kind || n)` with a v4 uuid's version and variant digits.
 */
export const seededId = (orgId: string, kind: string, n: number) => {
  const md5 = createHash("md5").update(`${orgId}${kind}${n}`).digest("hex")
  const hex = `${md5.slice(0, 12)}4${md5.slice(13, 16)}8${md5.slice(17)}`
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Units per org in seed.sql. */
export const unitsPerOrg = 64

const register = async (baseUrl: string, name: string): Promise<Owner> => {
  const response = await fetch(`${baseUrl}/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `${name}@example.test`,
      username: name,
      password: "Bench-Owner-Secret-1",
      fullName: `Bench ${name}`,
      orgName: `Bench ${name}`
    })
  })
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`register ${name}: ${response.status} ${await response.text()}`)
  const body = (await response.json()) as {
    accessToken: string
    org: { id: string }
    account: { id: string }
  }
  return {
    orgId: body.org.id,
    accountId: body.account.id,
    headers: { authorization: `Bearer ${body.accessToken}`, "x-org-id": body.org.id }
  }
}

/**
 * Registers the owners and seeds their orgs.
 */
export const seed = async (baseUrl: string, databaseUrl: string) => {
  const main = await register(baseUrl, "benchmain")
  const small = await register(baseUrl, "benchsmall")
  const huge = await register(baseUrl, "benchhuge")
  await psqlFile(databaseUrl, "seed.sql", {
    main_org: main.orgId,
    small_org: small.orgId,
    huge_org: huge.orgId,
    main_rows: sizes.mainBookings,
    waitlist_rows: sizes.waitlistEntries,
    small_rows: sizes.smallBookings,
    huge_rows: sizes.hugeBookings
  })
  return { main, small, huge }
}

/**
 * A cursor for the middle of an org's bookings sorted by start time, so the growth check reads a
 * page deep inside the data rather than the cheap first one. The format is Rota's
 * (`Pagination.encodeCursor`): base64url of `[sortKey, id]`, timestamps as epoch microseconds.
 */
export const middleCursor = async (databaseUrl: string, orgId: string, rows: number) => {
  const [line] = await psql(
    databaseUrl,
    `SELECT (extract(epoch FROM start_at) * 1000000)::bigint || ' ' || id FROM bookings
      WHERE org_id = '${orgId}' ORDER BY start_at, id OFFSET ${Math.floor(rows / 2)} LIMIT 1`
  )
  const [millis, id] = line!.split(" ")
  return Buffer.from(JSON.stringify([Number(millis), id])).toString("base64url")
}
