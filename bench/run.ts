/**
 * `npm run bench`: measures Rota on PostgreSQL against references run on the same machine in the
 * same run, interleaved round by round, and prints each figure as a ratio to its reference next
 * to its target (the performance targets listed in docs/performance.md; absolute numbers on a
 * shared 2-core machine drift, ratios measured side by side do not).
 *
 * A run creates a fresh database, starts Rota on it (which migrates it; its response cache off,
 * so listings read the database), registers three owners, seeds the sizes the targets name, then
 * runs every workload and its reference in each round.
 * Figures are medians over the rounds. Any 5xx, 429, unexpected status or transport error fails
 * the run (exit 1); a missed target is reported, not fatal. See docs/performance.md.
 *
 * Flags: `--quick` (3 s rounds instead of 10 s), `--keep` (keep the database for inspection),
 * `--only <a,b>` (only the workloads whose name contains one of the texts, each with its reference),
 * `--profile` (Rota writes a CPU profile of the run into bench/results/).
 */
import { randomUUID } from "node:crypto"
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as ClientWorkloads from "./ClientWorkloads.ts"
import { type Figures, load, medianOf } from "./Load.ts"
import { freshDatabase, pgbench, psql } from "./Postgres.ts"
import { startEffectHello, startHello, startRota, withPeakRss } from "./Processes.ts"
import { refreshRankings } from "./Rankings.ts"
import { middleCursor, type Owner, seed, seededId, sizes, unitsPerOrg } from "./Seed.ts"

const quick = process.argv.includes("--quick")
// `--only <a,b>`: only the workloads whose name contains one of the texts (and their references).
const only = process.argv.includes("--only")
  ? (process.argv[process.argv.indexOf("--only") + 1] ?? "").split(",")
  : undefined
const keep = process.argv.includes("--keep")
const rounds = 3
const seconds = quick ? 3 : 10
const warmUpSeconds = quick ? 1 : 3
const rssLimitMb = 250
const started = performance.now()

const progress = (message: string) =>
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`
  )

/** A measurement of one side of a pair, with the peak RSS of the Rota process while it ran. */
interface Measured extends Figures {
  readonly rssMb: number
  /** pgbench's average latency; pgbench prints no percentiles without per-transaction logs. */
  readonly latencyAverage?: number | undefined
}

/**
 * A workload and what it is compared with. `judge` turns the two medians into the printed
 * ratio and whether the target is met.
 */
interface Pair {
  readonly name: string
  readonly referenceName: string
  readonly reference: (seconds: number) => Promise<Measured>
  readonly rota: (seconds: number) => Promise<Measured>
  readonly target: string
  readonly judge: (rota: Measured, reference: Measured) => { readonly ratio: number; readonly met: boolean }
}

const main = async () => {
  progress(`fresh database, ${quick ? "quick" : "full"} run on ${cpus().length} cores`)
  const database = await freshDatabase()
  const hello = await startHello()
  const effectHello = await startEffectHello()
  const rota = await startRota(database.url)
  const rotaPid = rota.child.pid
  let cachedRota: Awaited<ReturnType<typeof startRota>> | undefined
  try {
    progress("seeding")
    const owners = await seed(rota.url, database.url)
    // The first refresh writes the stored standings of the whole waitlist. Statistics taken
    // afterwards are those a production database's autovacuum would hold (it is off on the CI
    // hosts), so the plans measured are the plans production gets.
    await refreshRankings(database.url)
    await psql(database.url, "VACUUM ANALYZE")
    const resourceId = seededId(owners.main.orgId, "resource", 0)
    const [smallCursor, hugeCursor] = [
      await middleCursor(database.url, owners.small.orgId, sizes.smallBookings),
      await middleCursor(database.url, owners.huge.orgId, sizes.hugeBookings)
    ]
    progress("seeded")

    const onRota = async (run: () => Promise<Figures>, pid = rotaPid): Promise<Measured> => {
      const { result, peakMb } = await withPeakRss(pid, run)
      return { ...result, rssMb: peakMb }
    }
    const fromPgbench = async (
      script: string,
      clients: number,
      seconds_: number,
      variables: Record<string, string>
    ): Promise<Measured> => {
      const figures = await pgbench({ url: database.url, script, clients, seconds: seconds_, variables })
      return {
        requestsPerSecond: figures.tps,
        okPerSecond: figures.tps,
        p50: Number.NaN,
        p99: Number.NaN,
        statuses: {},
        failures: 0,
        rssMb: 0,
        latencyAverage: figures.latencyAverage
      }
    }
    const get =
      (owner: Owner | undefined, path: string, connections: number, server = rota) =>
      (seconds_: number) =>
        onRota(
          () =>
            load({
              url: `${server.url}${path}`,
              connections,
              seconds: seconds_,
              headers: owner?.headers ?? {}
            }),
          server.child.pid
        )

    // Every create books a slot nobody holds: unit k % 64, slot k / 64 (2 h apart), 200 days
    // ahead of the seeded bookings, with its own idempotency key. Clashes (409) would still be
    // counted, but not as failures.
    let created = 0
    const runId = randomUUID().slice(0, 8)
    const firstSlot = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 200 * 86_400_000
    const nextBooking = () => {
      const k = created++
      const startAt = firstSlot + Math.floor(k / unitsPerOrg) * 7_200_000
      return {
        headers: { "content-type": "application/json", "idempotency-key": `bench-${runId}-${k}` },
        body: JSON.stringify({
          startAt: new Date(startAt).toISOString(),
          endAt: new Date(startAt + 3_600_000).toISOString(),
          purpose: "bench",
          items: [{ unitId: seededId(owners.main.orgId, "unit", k % unitsPerOrg) }]
        })
      }
    }
    const create = (connections: number) => (seconds_: number) =>
      onRota(() =>
        load({
          url: `${rota.url}/v1/bookings`,
          method: "POST",
          connections,
          seconds: seconds_,
          headers: owners.main.headers,
          next: nextBooking,
          ok: 201,
          tolerated: [409]
        })
      )

    const now = new Date()
    const from = now.toISOString()
    const to = new Date(now.getTime() + 7 * 86_400_000).toISOString()
    const org = { org: owners.main.orgId }

    const throughputAtLeast =
      (minimum: number, p99Below?: number) => (rota: Measured, reference: Measured) => {
        const ratio = rota.okPerSecond / reference.requestsPerSecond
        return { ratio, met: ratio >= minimum && (p99Below === undefined || rota.p99 < p99Below) }
      }

    const waitlist = get(owners.main, `/v1/waitlist?resourceId=${resourceId}`, 8)

    // The response cache's side of a listing: a second Rota with the cache on (started only when
    // its row runs), answering the same page again and again, so every request after the first
    // is a hit. Its peak RSS counts with the other Rota's.
    const cachedGet = (path: string) => async (seconds_: number) => {
      cachedRota ??= await startRota(database.url, "memory")
      return get(owners.main, path, 8, cachedRota)(seconds_)
    }

    // Every listing is compared with one reference, measured once per round: pgbench reading a
    // 20-row page of the org's bookings through an index (the SELECT of the first booking
    // workload), the work a listing cannot avoid.
    let round = 0
    const pageReference = new Map<number, Promise<Measured>>()
    const onePage = (s: number) => {
      const key = round * 1000 + s
      if (!pageReference.has(key))
        pageReference.set(key, fromPgbench("booking_list.sql", 8, s, { ...org, from, to }))
      return pageReference.get(key)!
    }
    const requesterId = seededId(owners.main.orgId, "account", 7)
    const unitId = seededId(owners.main.orgId, "unit", 3)
    const listings: ReadonlyArray<readonly [string, string]> = [
      ["GET /v1/bookings (default query)", "/v1/bookings"],
      ["GET /v1/bookings?status=APPROVED,PENDING", "/v1/bookings?limit=20&status=APPROVED,PENDING"],
      ["GET /v1/bookings?status=PENDING", "/v1/bookings?limit=20&status=PENDING"],
      ["GET /v1/bookings?sort=-createdAt", "/v1/bookings?limit=20&sort=-createdAt"],
      [
        "GET /v1/bookings?sort=-createdAt&status=PENDING",
        "/v1/bookings?limit=20&sort=-createdAt&status=PENDING"
      ],
      ["GET /v1/bookings?requesterId=..", `/v1/bookings?limit=20&requesterId=${requesterId}`],
      ["GET /v1/bookings?unitId=..", `/v1/bookings?limit=20&unitId=${unitId}`],
      ["GET /v1/bookings?resourceId=..", `/v1/bookings?limit=20&resourceId=${resourceId}`],
      ["GET /v1/bookings?from=now&to=+7d", `/v1/bookings?limit=20&from=${from}&to=${to}`],
      ["GET /v1/fines (default query)", "/v1/fines"],
      ["GET /v1/interventions (default query)", "/v1/interventions"],
      ["GET /v1/members (default query)", "/v1/members"],
      ["GET /v1/resources (default query)", "/v1/resources"],
      ["GET /v1/audit (default query)", "/v1/audit"],
      ...ClientWorkloads.listings({
        resourceId,
        interventionId: await ClientWorkloads.anIntervention(rota.url, owners.main.headers)
      })
    ]
    const listingPairs: ReadonlyArray<Pair> = listings.map(([name, path]) => ({
      name: `${name} (8 conns)`,
      referenceName: "pgbench 20-row page, 8 clients (shared)",
      reference: onePage,
      rota: get(owners.main, path, 8),
      target: "p99 < 10 ms",
      judge: (rota, reference) => ({
        ratio: rota.okPerSecond / reference.requestsPerSecond,
        met: rota.p99 < 10
      })
    }))
    const post =
      (path: string, connections: number, next: () => { body: string; headers: Record<string, string> }) =>
      (seconds_: number) =>
        onRota(() =>
          load({
            url: `${rota.url}${path}`,
            method: "POST",
            connections,
            seconds: seconds_,
            headers: owners.main.headers,
            next,
            ok: 201,
            tolerated: [409]
          })
        )
    // The window the seed filled (its waiting entries' and its closure's), as seeded: computed
    // here it would move with the clock if an hour turned while seeding.
    const joins = ClientWorkloads.nextJoin(
      resourceId,
      await ClientWorkloads.waitingWindow(database.url, owners.main.orgId)
    )
    // Reads and writes at once: 6 connections paging bookings, 2 creating interventions.
    const mixed = async (seconds_: number): Promise<Measured> => {
      const [reads, writes] = await Promise.all([
        get(owners.main, "/v1/bookings?limit=20&status=APPROVED,PENDING", 6)(seconds_),
        post("/v1/interventions", 2, ClientWorkloads.nextIntervention)(seconds_)
      ])
      return {
        ...reads,
        requestsPerSecond: reads.requestsPerSecond + writes.requestsPerSecond,
        okPerSecond: reads.okPerSecond + writes.okPerSecond,
        p99: Math.max(reads.p99, writes.p99),
        rssMb: Math.max(reads.rssMb, writes.rssMb),
        failures: reads.failures + writes.failures
      }
    }
    const writePairs: ReadonlyArray<Pair> = [
      {
        name: "POST /v1/interventions (8 conns)",
        referenceName: "pgbench constrained INSERT, 8 clients",
        reference: (s) => fromPgbench("booking_create.sql", 8, s, org),
        rota: post("/v1/interventions", 8, ClientWorkloads.nextIntervention),
        target: ">= 0.35x pgbench (as a create)",
        judge: throughputAtLeast(0.35)
      },
      {
        name: "POST /v1/waitlist join (8 conns)",
        referenceName: "pgbench constrained INSERT, 8 clients",
        reference: (s) => fromPgbench("booking_create.sql", 8, s, org),
        rota: post("/v1/waitlist", 8, joins),
        target: "p99 < 25 ms (informative)",
        judge: (rota, reference) => ({
          ratio: rota.okPerSecond / reference.requestsPerSecond,
          met: rota.p99 < 25
        })
      },
      {
        name: "mixed: 6 conns list bookings + 2 create interventions",
        referenceName: "pgbench 20-row page, 8 clients (shared)",
        reference: onePage,
        rota: mixed,
        target: "p99 < 15 ms (informative)",
        judge: (rota, reference) => ({
          ratio: rota.okPerSecond / reference.requestsPerSecond,
          met: rota.p99 < 15
        })
      }
    ]
    const allPairs: ReadonlyArray<Pair> = [
      {
        name: "GET /health, access log on (8 conns)",
        referenceName: "raw node:http hello",
        reference: (s) =>
          load({ url: `${hello.url}/health`, connections: 8, seconds: s }).then((f) => ({ ...f, rssMb: 0 })),
        rota: get(undefined, "/health", 8),
        target: ">= 0.40x raw",
        judge: throughputAtLeast(0.4)
      },
      {
        // What the framework alone allows on this machine: Rota's `/health` is this plus its edge.
        name: "GET /health, bare Effect HttpApi (8 conns)",
        referenceName: "raw node:http hello",
        reference: (s) =>
          load({ url: `${hello.url}/health`, connections: 8, seconds: s }).then((f) => ({ ...f, rssMb: 0 })),
        rota: (s) =>
          load({ url: `${effectHello.url}/health`, connections: 8, seconds: s }).then((f) => ({
            ...f,
            rssMb: 0
          })),
        target: "informative (the framework's floor)",
        judge: (rota, reference) => ({ ratio: rota.okPerSecond / reference.requestsPerSecond, met: true })
      },
      {
        name: "POST /v1/bookings (8 conns)",
        referenceName: "pgbench constrained INSERT, 8 clients",
        reference: (s) => fromPgbench("booking_create.sql", 8, s, org),
        rota: create(8),
        target: ">= 0.35x pgbench; p99 < 15 ms",
        judge: throughputAtLeast(0.35, 15)
      },
      {
        // The same create against pgbench sending Rota's own statements in Rota's round trips:
        // the ratio is what the server costs over the database for this exact work.
        name: "POST /v1/bookings vs its own statements (8 conns)",
        referenceName: "pgbench, Rota's 6 create round trips, 8 clients",
        reference: (s) =>
          fromPgbench("booking_create_statements.sql", 8, s, {
            ...org,
            account: owners.main.accountId,
            resource: resourceId,
            run: runId
          }),
        rota: create(8),
        target: "informative",
        judge: (rota, reference) => ({ ratio: rota.okPerSecond / reference.requestsPerSecond, met: true })
      },
      {
        name: "POST /v1/bookings (32 conns)",
        referenceName: "pgbench constrained INSERT, 32 clients",
        reference: (s) => fromPgbench("booking_create.sql", 32, s, org),
        rota: create(32),
        target: ">= 0.35x pgbench",
        judge: throughputAtLeast(0.35)
      },
      {
        name: `GET /v1/bookings, ${sizes.mainBookings / 1000}k in org (8 conns)`,
        referenceName: "pgbench same SELECT, 8 clients",
        reference: (s) => fromPgbench("booking_list.sql", 8, s, { ...org, from, to }),
        rota: get(owners.main, `/v1/bookings?limit=20&sort=startAt&status=APPROVED&from=${from}&to=${to}`, 8),
        target: ">= 0.45x pgbench; p99 < 10 ms",
        judge: throughputAtLeast(0.45, 10)
      },
      {
        name: `GET /v1/waitlist, ${sizes.waitlistEntries / 1000}k entries (8 conns)`,
        referenceName: "pgbench same ranking query, 8 clients",
        // Both sides read through stored standings as fresh as the 5-second job keeps them.
        reference: async (s) => {
          await refreshRankings(database.url)
          return fromPgbench("waitlist_rank.sql", 8, s, { ...org, resource: resourceId })
        },
        rota: async (s) => {
          await refreshRankings(database.url)
          return waitlist(s)
        },
        target: "p99 < 25 ms",
        judge: (rota, reference) => ({
          ratio: rota.okPerSecond / reference.requestsPerSecond,
          met: rota.p99 < 25
        })
      },
      {
        name: `keyset page p50, ${sizes.hugeBookings / 1e6}M rows (1 conn)`,
        referenceName: `the same page, ${sizes.smallBookings / 1000}k rows (1 conn)`,
        reference: get(owners.small, `/v1/bookings?limit=20&sort=startAt&cursor=${smallCursor}`, 1),
        rota: get(owners.huge, `/v1/bookings?limit=20&sort=startAt&cursor=${hugeCursor}`, 1),
        target: "p50 grows < 1.5x",
        judge: (rota, reference) => {
          const ratio = rota.p50 / reference.p50
          return { ratio, met: ratio < 1.5 }
        }
      },
      ...listingPairs,
      {
        name: "GET /v1/bookings?status=PENDING, response cache hits (8 conns)",
        referenceName: "pgbench 20-row page, 8 clients (shared)",
        reference: onePage,
        rota: cachedGet("/v1/bookings?limit=20&status=PENDING"),
        target: "informative",
        judge: (rota, reference) => ({ ratio: rota.okPerSecond / reference.requestsPerSecond, met: true })
      },
      ...writePairs
    ]
    const pairs =
      only === undefined ? allPairs : allPairs.filter((pair) => only.some((text) => pair.name.includes(text)))

    // A short unmeasured run of each Rota workload first: JIT, prepared statements, pool.
    const warmUps: Array<Measured> = []
    // Each warm-up's peak RSS goes in the results: the process's memory only grows through them,
    // so the first that reaches the peak is the workload that grew it.
    const idleRssMb = (await withPeakRss(rotaPid, async () => undefined)).peakMb
    for (const pair of pairs) warmUps.push(await pair.rota(warmUpSeconds))
    // The warm-ups wrote thousands of rows (interventions, waitlist entries, bookings) into tables
    // the statistics taken after seeding describe as nearly empty: autovacuum, off on the CI hosts,
    // would have analyzed them by now in production. Without it the intervention listing was
    // planned as a scan and sort of the org's interventions (8.8 ms) instead of its index (0.5 ms).
    await psql(database.url, "ANALYZE")

    const measured = pairs.map(() => ({ reference: [] as Array<Measured>, rota: [] as Array<Measured> }))
    for (round = 1; round <= rounds; round++) {
      for (const [index, pair] of pairs.entries()) {
        progress(`round ${round}/${rounds}: ${pair.name}`)
        measured[index]!.reference.push(await pair.reference(seconds))
        measured[index]!.rota.push(await pair.rota(seconds))
      }
    }

    const medianMeasured = (runs: ReadonlyArray<Measured>): Measured => {
      const sorted = (pick: (m: Measured) => number) => runs.map(pick).sort((a, b) => a - b)
      return {
        ...medianOf(runs),
        rssMb: Math.max(...runs.map((run) => run.rssMb)),
        latencyAverage: sorted((m) => m.latencyAverage ?? Number.NaN)[Math.floor(runs.length / 2)]
      }
    }
    const rows = pairs.flatMap((pair, index) => {
      const reference = medianMeasured(measured[index]!.reference)
      const figures = medianMeasured(measured[index]!.rota)
      const { ratio, met } = pair.judge(figures, reference)
      return [
        {
          workload: `  ref: ${pair.referenceName}`,
          ...reference,
          ratio: undefined,
          target: "",
          met: undefined
        },
        { workload: pair.name, ...figures, ratio, target: pair.target, met }
      ]
    })
    const peakRss = Math.max(...rows.map((row) => row.rssMb), ...warmUps.map((run) => run.rssMb))
    const failures =
      rows.reduce((sum, row) => sum + row.failures, 0) + warmUps.reduce((sum, run) => sum + run.failures, 0)
    const memory = { workload: "Rota RSS under load (peak)", rssMb: peakRss, ratio: peakRss / rssLimitMb }

    print(rows, memory)
    const resultsDir = fileURLToPath(new URL("./results", import.meta.url))
    mkdirSync(resultsDir, { recursive: true })
    writeFileSync(
      join(resultsDir, "latest.json"),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          quick,
          rounds,
          seconds,
          cores: cpus().length,
          node: process.version,
          sizes,
          seconds_total: Math.round((performance.now() - started) / 1000),
          rows,
          memory: { ...memory, target: `< ${rssLimitMb} MB`, met: peakRss < rssLimitMb },
          idleRssMb,
          warmUps: pairs.map((pair, index) => ({ workload: pair.name, rssMb: warmUps[index]!.rssMb })),
          failures
        },
        null,
        2
      )}\n`
    )
    const logs = rota.logs()
    if (logs.length > 0) writeFileSync(join(resultsDir, "rota.log"), `${logs.join("\n")}\n`)
    progress(
      `done; results in bench/results/latest.json${logs.length > 0 ? ", Rota's warnings in rota.log" : ""}`
    )
    if (failures > 0) {
      console.error(
        `${failures} failed requests (5xx, 429, unexpected status or transport error): figures are not valid`
      )
      process.exitCode = 1
    }
  } finally {
    await cachedRota?.stop()
    await rota.stop()
    await hello.stop()
    await effectHello.stop()
    if (keep) progress(`kept database ${database.url}`)
    else await database.drop()
  }
}

const fixed = (value: number | undefined, digits: number) =>
  value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits)

interface PrintedRow extends Measured {
  readonly workload: string
  readonly ratio: number | undefined
  readonly target: string
  readonly met: boolean | undefined
}

const print = (
  rows: ReadonlyArray<PrintedRow>,
  memory: { workload: string; rssMb: number; ratio: number }
) => {
  const header = [
    "workload".padEnd(48),
    "req/s".padStart(8),
    "p50 ms".padStart(7),
    "p99 ms".padStart(7),
    "RSS MB".padStart(7),
    "ratio".padStart(7),
    "  target"
  ].join(" ")
  console.log(`\n${rounds} interleaved rounds of ${seconds} s; medians. req/s of creates counts 201s only.\n`)
  console.log(header)
  console.log("-".repeat(header.length + 24))
  for (const row of rows) {
    const status = row.met === undefined ? "" : row.met ? "  ok" : "  MISSED"
    const clashes = row.statuses["409"] === undefined ? "" : ` (${row.statuses["409"]} x 409)`
    console.log(
      [
        row.workload.padEnd(48),
        fixed(row.okPerSecond, 0).padStart(8),
        fixed(row.p50, 2).padStart(7),
        fixed(row.p99, 2).padStart(7),
        (row.rssMb > 0 ? fixed(row.rssMb, 0) : "").padStart(7),
        (row.ratio === undefined ? "" : `${fixed(row.ratio, 2)}x`).padStart(7),
        `  ${row.target}${status}${clashes}`
      ].join(" ")
    )
  }
  console.log(
    [
      memory.workload.padEnd(48),
      "".padStart(8),
      "".padStart(7),
      "".padStart(7),
      fixed(memory.rssMb, 0).padStart(7),
      `${fixed(memory.ratio, 2)}x`.padStart(7),
      `  < ${rssLimitMb} MB${memory.rssMb < rssLimitMb ? "  ok" : "  MISSED"}`
    ].join(" ")
  )
  console.log()
}

await main()
