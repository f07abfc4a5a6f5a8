/**
 * `rota export --org <id> [--out file]` and `rota import [--in file]`: an organisation as JSON
 * lines (see `OrgArchive` in `@rota/storage-pg`), streamed, with a progress bar on a terminal.
 *
 * @since 0.1.0
 */

import { once } from "node:events"
import { createReadStream, createWriteStream, statSync } from "node:fs"
import type { Writable } from "node:stream"
import { OrgArchive } from "@rota/storage-pg"
import { SingleBar } from "cli-progress"
import { Console, Effect, Option, Stream } from "effect"
import { Command, Flag } from "effect/cli"
import { SqlClient } from "effect/sql"
import { withDatabase, withStore } from "./Store.ts"

// Progress goes to stderr, and only to a terminal: piped or logged output stays clean.
const progressBar = (total: number, unit: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      if (!process.stderr.isTTY) return undefined
      const bar = new SingleBar({
        stream: process.stderr,
        format: `{bar} {percentage}% | {value}/{total} ${unit}`,
        hideCursor: true
      })
      bar.start(total, 0)
      return bar
    }),
    (bar) => Effect.sync(() => bar?.stop())
  )

const write = (out: Writable, line: string) =>
  Effect.promise(async () => {
    if (!out.write(`${line}\n`)) await once(out, "drain")
  })

const exportCommand = Command.make(
  "export",
  {
    org: Flag.String("org").pipe(Flag.withDescription("The organisation to export")),
    out: Flag.String("out").pipe(Flag.withDescription("Write to this file (default: stdout)"), Flag.optional)
  },
  ({ org, out }) =>
    withDatabase(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const target = Option.match(out, {
          onNone: () => process.stdout as Writable,
          onSome: (file) => createWriteStream(file, { mode: 0o600 })
        })
        // One snapshot: records written while the export runs are either all in it or not at all.
        const records = yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`
            const total = yield* OrgArchive.count(org)
            if (total === 0) return yield* Effect.fail(new Error(`no organisation ${org}`))
            const bar = yield* progressBar(total + 1, "lines")
            return yield* OrgArchive.exportOrg(org).pipe(
              Stream.runFoldEffect(
                () => -1,
                (written, line) =>
                  Effect.map(write(target, line), () => {
                    bar?.increment()
                    return written + 1
                  })
              )
            )
          }).pipe(Effect.scoped)
        )
        if (target !== process.stdout) {
          target.end()
          yield* Effect.promise(() => once(target, "finish"))
        }
        yield* Console.error(`exported org ${org}: ${records} records`)
      })
    )
).pipe(Command.withDescription("Write an organisation's data as JSON lines (header line first)"))

const importCommand = Command.make(
  "import",
  { in: Flag.String("in").pipe(Flag.withDescription("Read from this file (default: stdin)"), Flag.optional) },
  (flags) =>
    withStore(
      Effect.gen(function* () {
        const file = Option.getOrUndefined(flags.in)
        const input = file === undefined ? process.stdin : createReadStream(file)
        // A file's size gives the bar its end; stdin has none, so it gets no bar.
        const bar = yield* progressBar(file === undefined ? 0 : statSync(file).size, "bytes")
        // Read as the import pulls (a readable stays paused until then): readline's iterator
        // drops the lines that arrive before its first pull, which on a remote database came
        // while the import was still asking for the schema's version.
        const lines = Stream.fromAsyncIterable(
          input as AsyncIterable<Uint8Array>,
          (error) => new Error(`cannot read the input: ${String(error)}`)
        ).pipe(
          Stream.tap((chunk) => Effect.sync(() => bar?.increment(chunk.byteLength))),
          Stream.decodeText(),
          Stream.splitLines
        )
        const counts = yield* OrgArchive.importOrg(lines)
        const total = [...counts.values()].reduce((sum, n) => sum + n, 0)
        yield* Console.log(
          `imported ${total} records: ${[...counts].map(([table, n]) => `${table} ${n}`).join(", ")}`
        )
      }).pipe(Effect.scoped)
    )
).pipe(
  Command.withDescription(
    "Recreate an exported organisation (ids kept) in one transaction; refuses if any record already exists"
  )
)

/**
 * @since 0.1.0
 * @category commands
 */
export const commands = [exportCommand, importCommand] as const
