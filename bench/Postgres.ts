/**
 * PostgreSQL for the benchmark, through its own command-line tools: a fresh database per run
 * (`psql`), the seed script, and the pgbench references.
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const run = promisify(execFile)

const sqlFile = (name: string) => fileURLToPath(new URL(`./sql/${name}`, import.meta.url))

/**
 * The server to create the bench database on: the one `DATABASE_URL` names (its database is
 * only used to create and drop the bench's own), else a local PostgreSQL with the default superuser.
 */
export const serverUrl = () => process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres"

const withDatabase = (url: string, database: string) => {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/**
 * Runs SQL with psql and answers its unaligned output, one line per row.
 */
export const psql = async (url: string, sql: string, variables: Record<string, string | number> = {}) => {
  const args = [url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
  for (const [name, value] of Object.entries(variables)) args.push("-v", `${name}=${value}`)
  const { stdout } = await run("psql", [...args, "-c", sql], { maxBuffer: 16 * 1024 * 1024 })
  return stdout.split("\n").filter((line) => line.length > 0)
}

/**
 * Runs a script from bench/sql with psql.
 */
export const psqlFile = async (url: string, name: string, variables: Record<string, string | number>) => {
  const args = [url, "-X", "-q", "-v", "ON_ERROR_STOP=1"]
  for (const [variable, value] of Object.entries(variables)) args.push("-v", `${variable}=${value}`)
  await run("psql", [...args, "-f", sqlFile(name)], { maxBuffer: 16 * 1024 * 1024 })
}

/**
 * A new, empty database for this run, dropped by `drop` (connections and all).
 */
export const freshDatabase = async () => {
  const server = serverUrl()
  const name = `rota_bench_${process.pid}_${Date.now().toString(36)}`
  await psql(server, `CREATE DATABASE ${name}`)
  return {
    url: withDatabase(server, name),
    drop: () => psql(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined)
  }
}

export interface PgbenchFigures {
  readonly tps: number
  readonly latencyAverage: number
}

/**
 * pgbench with one of the bench/sql scripts, prepared statements (as Rota's driver uses), `-D`
 * variables, and no vacuum of its own tables (it has none here).
 */
export const pgbench = async (options: {
  readonly url: string
  readonly script: string
  readonly clients: number
  readonly seconds: number
  readonly variables: Record<string, string>
}): Promise<PgbenchFigures> => {
  const args = ["-n", "-M", "prepared", "-c", String(options.clients), "-j", "2"]
  args.push("-T", String(options.seconds), "-f", sqlFile(options.script))
  for (const [name, value] of Object.entries(options.variables)) args.push("-D", `${name}=${value}`)
  const { stdout } = await run("pgbench", [...args, options.url], { maxBuffer: 16 * 1024 * 1024 })
  const tps = /tps = ([\d.]+)/.exec(stdout)?.[1]
  const latency = /latency average = ([\d.]+) ms/.exec(stdout)?.[1]
  const failed = /number of failed transactions: (\d+)/.exec(stdout)?.[1]
  if (tps === undefined) throw new Error(`pgbench printed no TPS:\n${stdout}`)
  if (failed !== undefined && Number(failed) > 0)
    throw new Error(`pgbench had failed transactions:\n${stdout}`)
  return { tps: Number(tps), latencyAverage: Number(latency ?? Number.NaN) }
}
