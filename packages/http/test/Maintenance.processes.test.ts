import { PgClient } from "@effect/sql-pg"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Recurrence } from "@rota/core"
import { DateTime, Effect, Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient } from "effect/sql"
import * as ServerGroup from "./fixtures/ServerGroup.ts"
import { json } from "./fixtures/ServerGroup.ts"

const base = process.env.DATABASE_URL || undefined

describe.runIf(base !== undefined)("three server processes open maintenance due dates once", () => {
  const servers = ServerGroup.make(base!)
  afterAll(servers.stop)

  it("a simulated year of daily due dates in Paris, both DST changes: one intervention each", async () => {
    const { urls, databaseUrl: url } = await servers.start(3)
    const headers = await ServerGroup.registerOwner(urls[0]!, "maint", "Maintenance processes")
    const org = await json(await fetch(`${urls[1]}/v1/org`, { headers }))
    const patched = await fetch(`${urls[1]}/v1/org`, {
      method: "PATCH",
      headers: { ...headers, "if-match": `"${org.version as number}"` },
      body: JSON.stringify({ timezone: "Europe/Paris" })
    })
    assert.strictEqual(patched.status, 200, await patched.text())
    const resource = await json(
      await fetch(`${urls[2]}/v1/resources`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "Boiler", type: "boiler" })
      })
    )
    const startsOn = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const recurrences = [
      { type: "interval", every: 1, unit: "day" },
      { type: "cron", expression: "30 2 * * *" }
    ] as const
    const plans: Array<Record<string, unknown>> = []
    for (const [index, recurrence] of recurrences.entries()) {
      const created = await fetch(`${urls[index % 3]}/v1/maintenance-plans`, {
        method: "POST",
        headers: { ...headers, "idempotency-key": `plan-${index}` },
        body: JSON.stringify({
          title: `Boiler check ${index}`,
          resourceId: resource.id,
          recurrence,
          startsOn,
          at: "02:30",
          leadTimeDays: 366
        })
      })
      assert.strictEqual(created.status, 201, await created.clone().text())
      plans.push(await json(created))
    }

    const query = <A extends object>(
      statement: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<A>, unknown>
    ) =>
      Effect.runPromise(
        Effect.gen(function* () {
          return yield* statement(yield* SqlClient.SqlClient)
        }).pipe(
          Effect.provide(PgClient.layer({ url: Redacted.make(url), maxConnections: 1 })),
          Effect.provide(Reactivity.layer),
          Effect.scoped,
          Effect.orDie
        )
      )
    const counts = () =>
      query(
        (sql) => sql<{ plan_id: string; occurrences: number; interventions: number }>`
          SELECT o.plan_id, count(*)::int AS occurrences, count(DISTINCT i.id)::int AS interventions
          FROM maintenance_occurrences o JOIN interventions i ON i.org_id = o.org_id AND i.id = o.intervention_id
          GROUP BY o.plan_id`
      )
    const expected = (plan: Record<string, unknown>) =>
      Recurrence.between(
        {
          recurrence: plan.recurrence as Recurrence.Recurrence,
          startsOn,
          at: "02:30",
          timeZone: "Europe/Paris"
        },
        DateTime.makeUnsafe(plan.nextDueAt as string),
        DateTime.makeUnsafe(Date.now() + 366 * 86_400_000),
        1000
      )
    const deadline = Date.now() + 150_000
    let seen: ReadonlyArray<{ plan_id: string; occurrences: number; interventions: number }> = []
    while (Date.now() < deadline) {
      seen = await counts()
      if (
        seen.length === plans.length &&
        plans.every(
          (plan) => seen.find((row) => row.plan_id === plan.id)?.occurrences === expected(plan).length
        )
      )
        break
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    for (const plan of plans) {
      const row = seen.find((candidate) => candidate.plan_id === plan.id)
      const wanted = expected(plan)
      assert.isAtLeast(wanted.length, 365)
      assert.deepStrictEqual(
        row && [row.occurrences, row.interventions],
        [wanted.length, wanted.length],
        `${JSON.stringify(seen)}\n${servers.output(3000)}`
      )
    }
    // Each due date has exactly one PREVENTIVE intervention, due then, and nothing else was opened.
    const rows = await query(
      (sql) => sql<{ due_at: Date; opened: number }>`
        SELECT due_at, count(*)::int AS opened FROM interventions
        WHERE kind = 'PREVENTIVE' GROUP BY due_at ORDER BY due_at`
    )
    const wantedDates = [
      ...new Set(plans.flatMap((plan) => expected(plan).map((at) => DateTime.formatIso(at))))
    ].sort()
    assert.deepStrictEqual(
      rows.map((row) => row.due_at.toISOString()),
      wantedDates
    )
    assert.isTrue(rows.every((row) => row.opened === plans.length))
    const dates = new Set(wantedDates)
    // Spring forward (28 March 2027): 02:30 does not exist, 03:30 CEST; fall back (31 October
    // 2027): 02:30 happens twice, opened once, at CEST.
    assert.isTrue(dates.has("2027-03-28T01:30:00.000Z"))
    assert.isTrue(dates.has("2027-10-31T00:30:00.000Z"))
    assert.isFalse(dates.has("2027-10-31T01:30:00.000Z"))
    // As if the plans' bookkeeping had been lost (a crash between runs): every due date is due
    // again, yet the claims already recorded keep each from opening twice.
    await query(
      (sql) => sql`UPDATE maintenance_plans SET next_due_at = (
          SELECT min(due_at) FROM maintenance_occurrences o WHERE o.plan_id = maintenance_plans.id
        ) RETURNING id`
    )
    const again = Date.now() + 60_000
    let replayed: ReadonlyArray<{ moved: number }> = []
    while (Date.now() < again) {
      replayed = await query(
        (sql) => sql<{ moved: number }>`SELECT count(*)::int AS moved FROM maintenance_plans
          WHERE next_due_at > now() + interval '365 days'`
      )
      if (replayed[0]?.moved === plans.length) break
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    assert.strictEqual(replayed[0]?.moved, plans.length)
    const after = await counts()
    for (const plan of plans) {
      const row = after.find((candidate) => candidate.plan_id === plan.id)
      assert.deepStrictEqual(row && [row.occurrences, row.interventions], [
        expected(plan).length,
        expected(plan).length
      ])
    }
    const runs = await query(
      (sql) => sql<{ failed: number }>`
        SELECT count(*) FILTER (WHERE outcome = 'failed')::int AS failed
        FROM job_runs WHERE job = 'maintenance.generate'`
    )
    assert.strictEqual(runs[0]?.failed, 0)
  }, 240_000)
})
