/**
 * The `Mailbox` port as a folder, when no SMTP server is configured (development, tests): one
 * file per mail (`<id>.eml`, readable by the server's user only), plain text. Secret links
 * (password resets, invitations) reach people only through a mailbox, never through the log.
 *
 * @since 0.1.0
 */
import { chmod, mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { Mail, Outbox } from "@rota/core"
import { Effect, Layer } from "effect"
import { ServerConfig, type Settings } from "../ServerConfig.ts"

/**
 * Where mail goes: `ROTA_MAIL_DIR`, else `mail` under the data dir; `undefined` when neither is set.
 *
 * @since 0.1.0
 * @category settings
 */
export const folderOf = (settings: Settings): string | undefined =>
  settings.mailDir ?? (settings.dataDir === undefined ? undefined : join(settings.dataDir, "mail"))

// Header values come from stored records (an invited address, a mission title): a line break in
// one must not start a header of its own.
const oneLine = (value: string) => value.replace(/[\r\n]+/g, " ")

const render = (mail: Mail.Mail, at: Date) =>
  [
    `To: ${oneLine(mail.to)}`,
    `Subject: ${oneLine(mail.subject)}`,
    `Date: ${at.toUTCString()}`,
    `X-Rota-Topic: ${oneLine(mail.topic)}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    mail.text,
    ""
  ].join("\r\n")

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Mail.Mailbox, never, ServerConfig> = Layer.effect(
  Mail.Mailbox,
  Effect.map(Effect.service(ServerConfig), (settings) => {
    const folder = folderOf(settings)
    return Mail.Mailbox.of({
      send: Effect.fn("Mailbox.send")((mail) =>
        folder === undefined
          ? // Nowhere to put it: say so without the message, which holds the secret.
            Effect.logWarning("mail not delivered: no mail folder (set ROTA_MAIL_DIR)").pipe(
              Effect.annotateLogs({ topic: mail.topic, messageId: mail.id })
            )
          : Effect.tryPromise({
              try: async () => {
                await mkdir(folder, { recursive: true, mode: 0o700 })
                const file = join(folder, `${mail.id}.eml`)
                await writeFile(file, render(mail, new Date()), { mode: 0o600 })
                // `mode` applies only when the file is created; a redelivery keeps it private too.
                await chmod(file, 0o600)
              },
              catch: (error) => new Outbox.DeliveryFailed({ reason: `mail folder: ${String(error)}` })
            })
      )
    })
  })
)
