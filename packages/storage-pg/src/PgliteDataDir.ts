/**
 * Creates a new data folder for the embedded store in a short-lived child process, so that the
 * process which then opens it never holds what creating it takes.
 *
 * PGlite creates a missing data folder itself, in the process that opens it: a second PostgreSQL
 * instance runs `initdb` in memory, its files are copied out as a tar archive and unpacked into the
 * folder. That second instance, its in-memory files and the archive came to a 1.1 GB peak, and once
 * they were freed the allocator kept about 110 MB of it for as long as the server ran (its
 * fragmented heap), so a server started on a new folder stayed that much larger than the same
 * server restarted on it. Done in a child process, all of it is returned to the system when the
 * child exits, and the server only ever opens an existing folder.
 *
 * @since 0.1.0
 */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"

/**
 * True when `dataDir` already holds a database (PostgreSQL writes `PG_VERSION` first).
 *
 * @since 0.1.0
 * @category data folder
 */
export const exists = (dataDir: string): boolean => existsSync(join(dataDir, "PG_VERSION"))

// Runs in the child: the same PGlite module the parent uses, created and closed once.
const script = `
const [pglite, dataDir, startParams] = process.argv.slice(1)
const { PGlite } = await import(pglite)
const db = await PGlite.create({ dataDir, startParams: JSON.parse(startParams) })
await db.close()
`

/**
 * Creates the database in `dataDir` by opening and closing it with PGlite in a
 * child Node process, with the same start parameters the store is then opened with. The child
 * compiles PostgreSQL's WebAssembly with the baseline compiler only: it runs once, briefly, and
 * optimising one of PostgreSQL's larger functions alone takes V8 600 MB. Fails with the child's
 * error output when it does not finish cleanly; interrupting the creation ends the child.
 *
 * @since 0.1.0
 * @category data folder
 */
export const create = (dataDir: string, startParams: ReadonlyArray<string>): Effect.Effect<void, Error> =>
  Effect.callback<void, Error>((resume) => {
    const child = spawn(
      process.execPath,
      [
        "--liftoff-only",
        "--input-type=module",
        "--eval",
        script,
        import.meta.resolve("@electric-sql/pglite"),
        dataDir,
        JSON.stringify(startParams)
      ],
      { stdio: ["ignore", "ignore", "pipe"] }
    )
    let stderr = ""
    child.stderr.setEncoding("utf8")
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk
    })
    child.on("error", (error) => resume(Effect.fail(error)))
    child.on("close", (code, signal) =>
      resume(
        code === 0
          ? Effect.void
          : Effect.fail(
              new Error(
                `Creating the database in ${dataDir} failed (${signal ?? `exit code ${code}`}): ${stderr}`
              )
            )
      )
    )
    return Effect.sync(() => {
      child.kill("SIGKILL")
    })
  })
