import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { DateTime, Effect } from "effect"
import { createClient, type PromiseClient, type RotaProblem } from "../src/index.ts"
import { memberOf } from "./fixtures/Live.ts"

const unique = () => Math.random().toString(36).slice(2, 8)

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as RotaProblem
  )

// Runs a Promise-based scenario against the live server of the surrounding layer.
const scenario = (body: (url: string) => Promise<void>) =>
  Effect.flatMap(Effect.service(TestServer.TestServer), ({ url }) => Effect.promise(() => body(url)))

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])

// An owner with a new org, and a client of each role the scenario needs, logged in.
const team = async (url: string) => {
  const name = `iv${unique()}`
  const owner = createClient({ baseUrl: url })
  const registered = await owner.auth.register({
    payload: {
      email: `${name}@example.test`,
      username: name,
      password: "Owner-Pass-123",
      fullName: "Owner",
      orgName: "Workshop"
    }
  })
  owner.session.orgId = registered.org.id
  const join = async (role: "technician" | "member") => {
    const username = `${role.slice(0, 4)}${name}`
    const member = memberOf(
      await owner.members.create({
        headers: {},
        payload: {
          email: `${username}@example.test`,
          username,
          fullName: role,
          role,
          password: "Member-Pass-123"
        }
      })
    )
    const client = createClient({ baseUrl: url, orgId: registered.org.id })
    await client.auth.login({ payload: { login: username, password: "Member-Pass-123" } })
    return { client, accountId: member.accountId }
  }
  return { owner, tech: await join("technician"), member: await join("member") }
}

const dispose = (...clients: ReadonlyArray<PromiseClient>) =>
  Promise.all(clients.map((client) => client.dispose()))

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
  "the Promise SDK against a live server: interventions and documents",
  (it) => {
    it.effect("opens, edits, moves, assigns, uses parts, notes, deletes and restores an intervention", () =>
      scenario(async (url) => {
        const { owner, tech, member } = await team(url)
        const part = await owner.parts.create({
          headers: {},
          payload: {
            sku: `SKU-${unique()}`,
            name: "Seal",
            unitPrice: { amount: 900, currency: "EUR" },
            quantityOnHand: 3
          }
        })
        const created = await owner.interventions.create({
          headers: { "idempotency-key": `iv-${unique()}` },
          payload: {
            title: "Pump leaking",
            clientId: member.accountId,
            scheduledStart: DateTime.makeUnsafe("2032-03-01T09:00:00Z"),
            scheduledEnd: DateTime.makeUnsafe("2032-03-01T11:00:00Z"),
            assigneeIds: [tech.accountId]
          }
        })
        assert.strictEqual(created.number, "INT-000001")
        assert.deepStrictEqual(created.assigneeIds, [tech.accountId])

        const edited = await tech.client.interventions.update({
          params: { id: created.id },
          headers: { "if-match": `"${created.version}"` },
          payload: { priority: "HIGH", status: "IN_PROGRESS" }
        })
        assert.deepStrictEqual([edited.status, edited.priority], ["IN_PROGRESS", "HIGH"])
        const refused = await rejection(
          tech.client.interventions.update({
            params: { id: created.id },
            headers: { "if-match": `"${edited.version}"` },
            payload: { status: "PENDING" }
          })
        )
        assert.deepStrictEqual([refused?.code, refused?.status], ["invalid_transition", 409])

        const use = await tech.client.interventions.useParts({
          params: { id: created.id },
          headers: {},
          payload: { partId: part.id, quantity: 2 }
        })
        assert.deepStrictEqual(use.total, { amount: 1800, currency: "EUR" })
        const short = await rejection(
          tech.client.interventions.useParts({
            params: { id: created.id },
            headers: {},
            payload: { partId: part.id, quantity: 2 }
          })
        )
        assert.strictEqual(short?.code, "insufficient_stock")
        const used = await tech.client.interventions.listParts({ params: { id: created.id }, query: {} })
        assert.deepStrictEqual(
          used.items.map((item) => item.quantity),
          [2]
        )

        const note = await tech.client.interventions.addNote({
          params: { id: created.id },
          headers: {},
          payload: { text: "Seal replaced" }
        })
        assert.strictEqual(note.type, "note")
        const unassigned = await owner.interventions.assign({
          params: { id: created.id },
          headers: {},
          payload: { remove: [tech.accountId] }
        })
        assert.deepStrictEqual(unassigned.assigneeIds, [])

        await tech.client.interventions.remove({ params: { id: created.id }, headers: {} })
        const gone = await rejection(
          member.client.interventions.get({ params: { id: created.id }, query: {} })
        )
        assert.strictEqual(gone?.code, "not_found")
        const restored = await tech.client.interventions.restore({ params: { id: created.id }, headers: {} })
        assert.isNull(restored.deletedAt)

        const mine = await member.client.interventions.list({ query: {} })
        assert.deepStrictEqual(
          mine.items.map((item) => item.id),
          [created.id]
        )
        const events = await member.client.interventions.listEvents({ params: { id: created.id }, query: {} })
        assert.deepStrictEqual(
          events.items.map((event) => event.type),
          [
            "created",
            "assigned",
            "updated",
            "started",
            "part_used",
            "note",
            "unassigned",
            "deleted",
            "restored"
          ]
        )
        const done = await tech.client.interventions.update({
          params: { id: created.id },
          headers: { "if-match": `"${restored.version}"` },
          payload: { status: "COMPLETED" }
        })
        assert.strictEqual(done.status, "COMPLETED")
        const board = await member.client.interventions.leaderboard({ query: {} })
        assert.deepStrictEqual(
          board.items.map((entry) => [entry.accountId, entry.completed]),
          [[tech.accountId, 1]]
        )
        await dispose(owner, tech.client, member.client)
      })
    )

    it.effect("uploads a document as FormData, lists, downloads and deletes it", () =>
      scenario(async (url) => {
        const { owner, tech, member } = await team(url)
        const intervention = await owner.interventions.create({
          headers: {},
          payload: { title: "Broken hinge", clientId: member.accountId }
        })
        const form = new FormData()
        form.append("file", new Blob([PNG], { type: "image/png" }), "../hinge.png")
        const document = await tech.client.documents.upload({
          params: { id: intervention.id },
          headers: {},
          payload: form
        })
        assert.deepStrictEqual(
          [document.filename, document.contentType, document.size],
          ["hinge.png", "image/png", 12]
        )

        const listed = await member.client.documents.list({ params: { id: intervention.id }, query: {} })
        assert.deepStrictEqual(
          listed.items.map((item) => item.id),
          [document.id]
        )
        const bytes = await member.client.documents.download({ params: { id: document.id } })
        assert.deepStrictEqual(Array.from(bytes), Array.from(PNG))

        const bad = new FormData()
        bad.append("file", new Blob([new Uint8Array([0x4d, 0x5a, 0])], { type: "image/png" }), "x.png")
        const refused = await rejection(
          tech.client.documents.upload({ params: { id: intervention.id }, headers: {}, payload: bad })
        )
        assert.deepStrictEqual([refused?.code, refused?.status], ["unsupported_media_type", 415])

        const forbidden = await rejection(member.client.documents.remove({ params: { id: document.id } }))
        assert.strictEqual(forbidden?.code, "forbidden")
        await tech.client.documents.remove({ params: { id: document.id } })
        const gone = await rejection(member.client.documents.download({ params: { id: document.id } }))
        assert.strictEqual(gone?.code, "not_found")
        await dispose(owner, tech.client, member.client)
      })
    )
  }
)
