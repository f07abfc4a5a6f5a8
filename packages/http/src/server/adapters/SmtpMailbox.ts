/**
 * The `Mailbox` port over SMTP (nodemailer), when `SMTP_URL` is set: each mail goes out as
 * plain text with its HTML alternative, from `ROTA_MAIL_FROM`. The URL holds the server's
 * credentials: it is never logged, and a failure is reported without it.
 *
 * @since 0.1.0
 */
import { Mail, Outbox } from "@rota/core"
import { Duration, Effect, Layer, Redacted } from "effect"
import { createTransport } from "nodemailer"
import { ServerConfig } from "../ServerConfig.ts"

// A hung SMTP server must not hold the delivery job: the claim on the mail runs out in 60 s.
const sendTimeout = Duration.seconds(30)

// Header values come from stored records (an invited address, a mission title): a line break
// in one must not start a header of its own (nodemailer folds them too; this keeps it obvious).
const oneLine = (value: string) => value.replace(/[\r\n]+/g, " ")

// What an SMTP failure may say: its code and response, never the URL (and so the password).
const describe = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return "unknown error"
  const { code, responseCode, response } = error as {
    code?: unknown
    responseCode?: unknown
    response?: unknown
  }
  return [code, responseCode, typeof response === "string" ? response.slice(0, 200) : undefined]
    .filter((part) => part !== undefined)
    .join(" ")
}

/**
 * A mailbox sending through the SMTP server at `url`, from `from`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (url: Redacted.Redacted, from: string): Mail.Mailbox["Service"] => {
  const transport = createTransport(Redacted.value(url))
  return Mail.Mailbox.of({
    send: (mail) =>
      Effect.tryPromise({
        try: () =>
          transport.sendMail({
            from,
            to: oneLine(mail.to),
            subject: oneLine(mail.subject),
            text: mail.text,
            ...(mail.html === undefined ? {} : { html: mail.html }),
            // Lets a receiving system tell what the mail is about, and collapse a redelivery.
            headers: { "X-Rota-Topic": oneLine(mail.topic), "X-Rota-Message-Id": oneLine(mail.id) }
          }),
        catch: (error) => new Outbox.DeliveryFailed({ reason: `smtp: ${describe(error) || "send failed"}` })
      }).pipe(
        Effect.timeoutOrElse({
          duration: sendTimeout,
          orElse: () => Effect.fail(new Outbox.DeliveryFailed({ reason: "smtp: timed out" }))
        }),
        Effect.asVoid
      )
  })
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Mail.Mailbox, never, ServerConfig> = Layer.effect(
  Mail.Mailbox,
  Effect.map(Effect.service(ServerConfig), (settings) =>
    settings.smtpUrl === undefined
      ? Mail.Mailbox.of({
          send: () => Effect.fail(new Outbox.DeliveryFailed({ reason: "smtp: SMTP_URL is not set" }))
        })
      : make(settings.smtpUrl, settings.mailFrom)
  )
)
