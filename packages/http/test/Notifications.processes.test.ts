/**
 * Three server processes on one PostgreSQL database, all running the delivery job, mailing
 * through one slow SMTP server: while the outbox is reset again and again (as when leases run
 * out mid-delivery), every (message, recipient, channel) is still delivered exactly once.
 * Runs when `DATABASE_URL` names a PostgreSQL server (PGlite cannot be shared between processes).
 */
import type { ChildProcess } from "node:child_process"
import { PgClient } from "@effect/sql-pg"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect, Exit, Redacted, Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import { start as startProcess } from "./fixtures/ServerProcess.ts"
import * as Smtp from "./fixtures/Smtp.ts"

const base = process.env.DATABASE_URL || undefined

const json = async (response: Response) => (await response.json()) as Record<string, unknown>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.runIf(base !== undefined)("notifications from three server processes", () => {
  const children: Array<ChildProcess> = []
  const scope = Effect.runSync(Scope.make())
  let smtp: Smtp.Capture | undefined
  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM")
    await smtp?.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it("each booking reaches each approver once in-app and once by email, through repeated redelivery", async () => {
    smtp = await Smtp.start({ delayMs: 150 })
    const { url } = await Effect.runPromise(Scope.provide(TestDatabase.freshPostgresDatabase(base!), scope))
    const start = () =>
      startProcess({
        DATABASE_URL: url,
        ROTA_JWT_SECRET: "a-shared-secret-for-the-three-test-servers-0123456789",
        ROTA_RATE_LIMIT_AUTH: "0",
        ROTA_RATE_LIMIT_API: "0",
        ROTA_RATE_LIMIT_PUBLIC: "0",
        ROTA_DEMO_DATA: "false",
        SMTP_URL: smtp!.url,
        ROTA_MAIL_FROM: "Rota <rota@example.test>",
        LOG_LEVEL: "Warn"
      })
    // The first server migrates; the others start once it is up.
    const first = start()
    children.push(first.child)
    const urls = [await first.listening]
    for (let index = 0; index < 2; index++) {
      const server = start()
      children.push(server.child)
      urls.push(await server.listening)
    }
    const output = () => children.map((child, index) => `server ${index}: ${child.pid}`).join("\n")

    const name = `notif${Math.random().toString(36).slice(2, 8)}`
    const registered = await json(
      await fetch(`${urls[0]}/v1/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: `${name}@example.test`,
          username: name,
          password: "Processes-Secret-1",
          fullName: "Process Owner",
          orgName: "Notifications"
        })
      })
    )
    const orgId = (registered.org as { id: string }).id
    const owner = {
      authorization: `Bearer ${registered.accessToken as string}`,
      "x-org-id": orgId,
      "content-type": "application/json"
    }
    const addMember = async (role: string, server: string) => {
      const person = `${name}${role}`
      const created = await fetch(`${server}/v1/members`, {
        method: "POST",
        headers: owner,
        body: JSON.stringify({
          email: `${person}@example.test`,
          username: person,
          fullName: `A ${role}`,
          role,
          password: "Processes-Secret-1"
        })
      })
      assert.strictEqual(created.status, 201)
      const login = await json(
        await fetch(`${server}/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ login: person, password: "Processes-Secret-1" })
        })
      )
      return {
        email: `${person}@example.test`,
        headers: { ...owner, authorization: `Bearer ${login.accessToken as string}` }
      }
    }
    const manager = await addMember("manager", urls[1]!)
    const member = await addMember("member", urls[2]!)
    const resource = await json(
      await fetch(`${urls[0]}/v1/resources`, {
        method: "POST",
        headers: owner,
        body: JSON.stringify({ name: "Shared kit", type: "kit" })
      })
    )
    const unit = await json(
      await fetch(`${urls[1]}/v1/resources/${resource.id as string}/units`, {
        method: "POST",
        headers: owner,
        body: JSON.stringify({ barcode: "NOTIF-1" })
      })
    )
    const bookings = 12
    const day = Date.now() + 48 * 3_600_000
    for (let index = 0; index < bookings; index++) {
      const answer = await fetch(`${urls[index % 3]}/v1/bookings`, {
        method: "POST",
        headers: { ...member.headers, "idempotency-key": `notif-${index}` },
        body: JSON.stringify({
          startAt: new Date(day + index * 7_200_000).toISOString(),
          endAt: new Date(day + index * 7_200_000 + 3_600_000).toISOString(),
          purpose: "notify",
          items: [{ unitId: unit.id }]
        })
      })
      assert.strictEqual(answer.status, 201)
    }

    const withDatabase = <A>(effect: Effect.Effect<A, unknown, SqlClient.SqlClient>) =>
      Effect.runPromise(
        effect.pipe(
          Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })),
          Effect.provide(Reactivity.layer),
          Effect.scoped,
          Effect.orDie
        )
      )
    // As if the servers' leases ran out while they were still sending: each reset hands every
    // message to whichever server ticks next, concurrently with the one still at it.
    for (let reset = 0; reset < 6; reset++) {
      await sleep(700)
      await withDatabase(
        Effect.flatMap(
          SqlClient.SqlClient,
          (
            sql
          ) => sql`UPDATE outbox_messages SET delivered_at = NULL, leased_until = NULL, available_at = now() - interval '1 second'
            WHERE topic = 'booking.created'`
        )
      )
    }
    const approvers = [`${name}@example.test`, manager.email]
    const mailsTo = (email: string) => smtp!.received.filter((mail) => mail.rcptTo.includes(email))
    const deadline = Date.now() + 60_000
    while (approvers.some((email) => mailsTo(email).length < bookings) && Date.now() < deadline)
      await sleep(250)
    // Let every job still holding a message finish, then check nothing more arrived.
    await withDatabase(
      Effect.flatMap(
        SqlClient.SqlClient,
        (sql) =>
          sql`UPDATE outbox_messages SET delivered_at = NULL, leased_until = NULL, available_at = now() - interval '1 second'`
      )
    )
    await sleep(6_000)

    for (const email of approvers) {
      const subjects = mailsTo(email).map((mail) => mail.headers["x-rota-message-id"])
      assert.strictEqual(subjects.length, bookings, `mails to ${email}\n${output()}`)
      assert.strictEqual(new Set(subjects).size, bookings, `duplicate mails to ${email}`)
    }
    assert.strictEqual(mailsTo(member.email).length, 0)
    for (const headers of [owner, manager.headers]) {
      const page = await json(await fetch(`${urls[0]}/v1/notifications?limit=100`, { headers }))
      const items = page.items as ReadonlyArray<{ event: string; subjectId: string }>
      assert.strictEqual(items.length, bookings)
      assert.strictEqual(new Set(items.map((item) => item.subjectId)).size, bookings)
    }
    const rows = await withDatabase(
      Effect.flatMap(
        SqlClient.SqlClient,
        (sql) => sql<{ count: number }>`SELECT count(*)::int AS count FROM notification_deliveries
          WHERE sent_at IS NOT NULL`
      )
    )
    assert.strictEqual(rows[0]?.count, bookings * 2)
  }, 180_000)
})
