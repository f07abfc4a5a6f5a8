/**
 * Secret links (password resets, invitations to an organisation, invitations to a mission)
 * reach people through the mailbox only: after each flow that issues one, no log line and no
 * text column of the database holds the token, or any signed token at all, and the link that
 * was mailed still does its job.
 */
import { stat } from "node:fs/promises"
import { join } from "node:path"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { Mailbox, TestServer } from "../src/testing.ts"
import { createMission, invite } from "./fixtures/Crews.ts"
import { addMember, call, freshPerson, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

// Any JWT: a header and a payload (both JSON objects, so base64url of `{"`) and a signature.
const signedToken = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/

/** Every text-like column of every table, as `table.column` with its matching rows. */
const columnsHolding = (pattern: RegExp, token: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const columns = yield* sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema()
        AND data_type IN ('text', 'jsonb', 'json', 'character varying', 'ARRAY')`
    const found: Array<string> = []
    for (const { table_name, column_name } of columns) {
      const rows = yield* sql<{ value: string | null }>`
        SELECT ${sql(column_name)}::text AS value FROM ${sql(table_name)}`
      for (const { value } of rows) {
        if (value !== null && (value.includes(token) || pattern.test(value))) {
          found.push(`${table_name}.${column_name}`)
        }
      }
    }
    return found
  }).pipe(Effect.orDie)

const logLines: Array<string> = []

const assertNowhereButTheMailbox = (token: string) =>
  Effect.gen(function* () {
    assert.isAbove(token.length, 20)
    // Delivery writes its log lines; everything logged so far is checked.
    const log = logLines.join("\n")
    assert.include(log, "outbox message", "the server's log is the one captured")
    assert.isFalse(log.includes(token), "the log holds the token")
    assert.isFalse(signedToken.test(log), "the log holds a signed token")
    assert.deepStrictEqual(yield* columnsHolding(signedToken, token), [], "a column holds a token")
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    // Debug: deliveries log at debug, and even that level must not hold a secret.
    layer(TestServer.layer(store.layer, { logLevel: "Debug" }, { logLines }), {
      timeout: 120_000,
      excludeTestServices: true
    })("secret links", (it) => {
      it.effect(
        "a password-reset token is stored and logged nowhere; the mailed link resets the password",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const requested = yield* call("POST", "/v1/auth/password-reset/request", {
              body: { email: owner.email }
            })
            assert.strictEqual(requested.status, 202)
            const [mail] = yield* Mailbox.mailTo(owner.email, "auth.password_reset_requested")
            yield* assertNowhereButTheMailbox(mail!.token)

            const confirmed = yield* call("POST", "/v1/auth/password-reset/confirm", {
              body: { token: mail!.token, password: "Brand-New-Secret-1" }
            })
            assert.strictEqual(confirmed.status, 204, confirmed.text)
            const login = yield* call("POST", "/v1/auth/login", {
              body: { login: owner.email, password: "Brand-New-Secret-1" }
            })
            assert.strictEqual(login.status, 200)
          })
      )

      it.effect(
        "an invitation token is stored and logged nowhere; the mailed link lets the person join",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const person = freshPerson("invited")
            const created = yield* call("POST", "/v1/invitations", {
              token: owner.token,
              orgId: owner.orgId,
              body: { email: person.email, role: "member" }
            })
            assert.strictEqual(created.status, 201, created.text)
            const [mail] = yield* Mailbox.mailTo(person.email, "invitation.created")
            yield* assertNowhereButTheMailbox(mail!.token)

            const accepted = yield* call("POST", "/v1/invitations/accept", {
              body: { token: mail!.token, password: person.password, username: person.username }
            })
            assert.isTrue(accepted.status === 200 || accepted.status === 201, accepted.text)
            const login = yield* call("POST", "/v1/auth/login", {
              body: { login: person.email, password: person.password }
            })
            assert.strictEqual(login.status, 200)
          })
      )

      it.effect(
        "an assignment token is stored and logged nowhere; the mailed link answers the assignment",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const mission = yield* createMission(owner)
            const invited = yield* invite(owner, mission.id, tech.accountId)
            const [mail] = yield* Mailbox.mailTo(tech.email, "assignment.invited")
            yield* assertNowhereButTheMailbox(mail!.token)

            const answered = yield* call("POST", "/v1/assignments/respond", {
              body: { token: mail!.token, decision: "ACCEPTED" }
            })
            assert.strictEqual(answered.status, 200, answered.text)
            assert.strictEqual((answered.json as { id: string; status: string }).id, invited.id)
            assert.strictEqual((answered.json as { status: string }).status, "ACCEPTED")
          })
      )

      it.effect("mail is readable by the server's user only", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          yield* call("POST", "/v1/auth/password-reset/request", { body: { email: owner.email } })
          const [mail] = yield* Mailbox.mailTo(owner.email, "auth.password_reset_requested")
          const { mailDir } = yield* TestServer.TestServer
          const info = yield* Effect.promise(() => stat(join(mailDir, mail!.file)))
          assert.strictEqual(info.mode & 0o777, 0o600)
        })
      )

      it.effect("a link that was used before its mail went out is not sent", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const person = freshPerson("revoked")
          const created = yield* call("POST", "/v1/invitations", {
            token: owner.token,
            orgId: owner.orgId,
            body: { email: person.email, role: "member" }
          })
          const id = (created.json as { invitation: { id: string } }).invitation.id
          const revoked = yield* call("POST", `/v1/invitations/${id}/revoke`, {
            token: owner.token,
            orgId: owner.orgId
          })
          assert.strictEqual(revoked.status, 204, revoked.text)
          const { deliverOutbox } = yield* TestServer.TestServer
          yield* deliverOutbox
          const mails = yield* Effect.exit(Mailbox.mailTo(person.email, "invitation.created"))
          assert.strictEqual(mails._tag, "Failure")
        })
      )
    })
  })
}
