/**
 * The test server's mailbox: secret links (password resets, invitations, mission invitations)
 * are read where a person would find them, never from the outbox or the log.
 *
 * @since 0.1.0
 */
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import * as TestServer from "./TestServer.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Received {
  readonly file: string
  readonly to: string
  readonly topic: string
  readonly subject: string
  readonly text: string
  /** The secret the message carries. */
  readonly token: string
}

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*)$`, "m").exec(raw.split("\r\n\r\n")[0] ?? "")?.[1] ?? ""

const parse = (file: string, raw: string): Received => ({
  file,
  to: header(raw, "To"),
  topic: header(raw, "X-Rota-Topic"),
  subject: header(raw, "Subject"),
  text: raw.slice(raw.indexOf("\r\n\r\n") + 4),
  token: /^Token: (\S+)$/m.exec(raw)?.[1] ?? ""
})

/**
 * Every message in the mailbox, oldest first (files are named by time-ordered message ids).
 *
 * @since 0.1.0
 */
export const mailbox = Effect.gen(function* () {
  const { mailDir } = yield* TestServer.TestServer
  return yield* Effect.promise(async () => {
    const files = (await readdir(mailDir)).filter((name) => name.endsWith(".eml")).sort()
    return Promise.all(files.map(async (file) => parse(file, await readFile(join(mailDir, file), "utf8"))))
  })
})

/**
 * Delivers the outbox, then answers the messages about `topic` sent to `to`, oldest first,
 * once there are at least `count`; waits a little for them (some requests do their work after
 * answering, and the outbox is delivered after its transaction).
 *
 * @since 0.1.0
 */
export const mailTo = (to: string, topic: string, count = 1) =>
  Effect.gen(function* () {
    const { deliverOutbox } = yield* TestServer.TestServer
    for (let attempt = 0; attempt < 50; attempt++) {
      yield* deliverOutbox
      const found = (yield* mailbox).filter((mail) => mail.to === to && mail.topic === topic)
      if (found.length >= count) return found
      yield* Effect.sleep("20 millis")
    }
    return yield* Effect.die(new Error(`no ${topic} mail to ${to}`))
  })

/**
 * The token of the latest message about `topic` sent to `to`.
 *
 * @since 0.1.0
 */
export const latestToken = (to: string, topic: string) =>
  Effect.map(mailTo(to, topic), (found) => found[found.length - 1]!.token)
