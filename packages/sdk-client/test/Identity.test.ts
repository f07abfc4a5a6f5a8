import { assert, layer } from "@effect/vitest"
import { Mailbox, TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect } from "effect"
import { createClient, RotaProblem } from "../src/index.ts"
import { memberOf } from "./fixtures/Live.ts"

const unique = () => Math.random().toString(36).slice(2, 8)

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

// Runs a Promise-based scenario against the live server of the surrounding layer.
const scenario = (body: (url: string) => Promise<void>) =>
  Effect.flatMap(Effect.service(TestServer.TestServer), ({ url }) => Effect.promise(() => body(url)))

// The same, with the invitation links the server sent, read where their addressee would.
const scenarioWithMail = (
  body: (url: string, invitationTokenFor: (email: string) => Promise<string>) => Promise<void>
) =>
  Effect.gen(function* () {
    const server = yield* TestServer.TestServer
    const invitationTokenFor = (email: string) =>
      Effect.runPromise(
        Mailbox.latestToken(email, "invitation.created").pipe(
          Effect.provideService(TestServer.TestServer, server)
        )
      )
    yield* Effect.promise(() => body(server.url, invitationTokenFor))
  })

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
  "the Promise SDK against a live server: identity and people",
  (it) => {
    it.effect("registers, keeps the session, refreshes once after a 401, and logs out", () =>
      scenario(async (url) => {
        const rota = createClient({ baseUrl: url })
        const name = `sdk${unique()}`
        const registered = await rota.auth.register({
          payload: {
            email: `${name}@example.test`,
            username: name,
            password: "Sdk-Secret-Pass-1",
            fullName: "Sdk User",
            orgName: "Sdk Org"
          }
        })
        assert.strictEqual(registered.account.username, name)
        assert.isDefined(rota.session.accessToken)
        const me = await rota.auth.me()
        assert.deepStrictEqual(
          me.memberships.map((m) => m.role),
          ["owner"]
        )
        // An access token that no longer works: the client refreshes once and retries.
        rota.session.accessToken = "expired"
        const again = await rota.auth.me().catch((error: unknown) => error)
        assert.instanceOf(again, RotaProblem, "auth routes are not retried")
        rota.session.orgId = registered.org.id
        rota.session.accessToken = "expired"
        const org = await rota.org.get()
        assert.strictEqual(org.id, registered.org.id)
        await rota.auth.logout({ payload: {} })
        assert.isUndefined(rota.session.accessToken)
        await rota.dispose()
      })
    )

    it.effect("typed problems carry code, status and request id", () =>
      scenario(async (url) => {
        const rota = createClient({ baseUrl: url })
        const error = await rejection(
          rota.auth.login({ payload: { login: "nobody", password: "Whatever-123" } })
        )
        assert.instanceOf(error, RotaProblem)
        const problem = error as RotaProblem
        assert.strictEqual(problem.code, "unauthenticated")
        assert.strictEqual(problem.status, 401)
        assert.match(problem.requestId ?? "", /^[0-9a-f-]{36}$/)
        await rota.dispose()
      })
    )

    it.effect("manages members, clients, technicians and invitations, and reads the audit log", () =>
      scenarioWithMail(async (url, invitationTokenFor) => {
        const owner = createClient({ baseUrl: url })
        const name = `own${unique()}`
        const registered = await owner.auth.register({
          payload: {
            email: `${name}@example.test`,
            username: name,
            password: "Owner-Pass-123",
            fullName: "Owner",
            orgName: "People Org"
          }
        })
        owner.session.orgId = registered.org.id

        const tech = memberOf(
          await owner.technicians.create({
            headers: { "idempotency-key": `tech-${name}` },
            payload: {
              username: `t${name}`,
              email: `t${name}@example.test`,
              fullName: "Tech",
              password: "Tech-Pass-1234",
              skills: ["brakes"]
            }
          })
        )
        const client = memberOf(
          await owner.clients.create({
            headers: {},
            payload: {
              username: `c${name}`,
              email: `c${name}@example.test`,
              fullName: "Client Person",
              password: "Client-Pass-123"
            }
          })
        )
        const technicians = await owner.technicians.list({ query: { skill: "brakes" } })
        assert.deepStrictEqual(
          technicians.items.map((t) => t.accountId),
          [tech.accountId]
        )
        const found = await owner.clients.list({ query: { q: "client pers" } })
        assert.deepStrictEqual(
          found.items.map((c) => c.accountId),
          [client.accountId]
        )
        // The org keeps its own tags; the client's name is theirs to change.
        const tagged = await owner.clients.update({
          params: { id: client.accountId },
          headers: { "if-match": `"${client.version}"` },
          payload: { tags: ["vip"] }
        })
        assert.deepStrictEqual(tagged.tags, ["vip"])
        const renamed = await rejection(
          owner.clients.update({
            params: { id: client.accountId },
            headers: { "if-match": `"${tagged.version}"` },
            payload: { fullName: "Client Renamed" }
          })
        )
        assert.strictEqual((renamed as RotaProblem).code, "forbidden")

        // Without a password the address is invited: nobody joins until they accept.
        const pending = await owner.clients.create({
          headers: {},
          payload: { username: `p${name}`, email: `p${name}@example.test`, fullName: "Pending Person" }
        })
        assert.isTrue("invitation" in pending && pending.invitation.email === `p${name}@example.test`)

        const manager = memberOf(
          await owner.members.create({
            headers: {},
            payload: {
              email: `m${name}@example.test`,
              fullName: "Manager",
              role: "manager",
              password: "Manager-Pass-1"
            }
          })
        )
        const members = await owner.members.list({ query: { role: ["manager", "technician"] } })
        assert.sameMembers(
          members.items.map((m) => m.accountId),
          [manager.accountId, tech.accountId]
        )
        await owner.members.remove({ params: { accountId: manager.accountId }, headers: {} })
        // The same create again with its idempotency key answers the first result, acting once.
        const replayed = memberOf(
          await owner.technicians.create({
            headers: { "idempotency-key": `tech-${name}` },
            payload: {
              username: `t${name}`,
              email: `t${name}@example.test`,
              fullName: "Tech",
              password: "Tech-Pass-1234",
              skills: ["brakes"]
            }
          })
        )
        assert.strictEqual(replayed.accountId, tech.accountId)

        const invited = await owner.invitations.create({
          headers: {},
          payload: { email: `i${name}@example.test`, role: "technician" }
        })
        const listed = await owner.invitations.list()
        assert.include(
          listed.items.map((i) => i.id),
          invited.invitation.id
        )
        assert.notProperty(invited, "token")
        // The link goes to the address; the invitee reads it from their mail.
        const token = await invitationTokenFor(`i${name}@example.test`)
        const guest = createClient({ baseUrl: url })
        const accepted = await guest.invitationAccept.accept({
          payload: { token, password: "Invitee-Pass-1", fullName: "Invitee" }
        })
        assert.deepStrictEqual([accepted.orgId, accepted.role], [registered.org.id, "technician"])
        const reused = await rejection(
          guest.invitationAccept.accept({ payload: { token, password: "Invitee-Pass-1" } })
        )
        assert.strictEqual((reused as RotaProblem).code, "token_used")

        const orgs = await owner.orgs.listMine()
        assert.deepStrictEqual(
          orgs.items.map((o) => o.org.id),
          [registered.org.id]
        )
        const created = await owner.orgs.create({ payload: { name: "Second Org", timezone: "Europe/Paris" } })
        assert.strictEqual(created.timezone, "Europe/Paris")

        const trail = await owner.audit.list({ query: { entityType: ["member"], limit: 50 } })
        assert.include(
          trail.items.map((event) => event.entityId),
          manager.accountId
        )
        const verification = await owner.audit.verify()
        assert.deepStrictEqual([verification.ok, verification.brokenAt], [true, null])
        await Promise.all([owner.dispose(), guest.dispose()])
      })
    )
  }
)
