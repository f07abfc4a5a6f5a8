import { createHash } from "node:crypto"
import { assert, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref } from "effect"
import * as Documents from "../../src/interventions/Documents.ts"
import { DocumentStore } from "../../src/interventions/InterventionRepos.ts"
import * as Interventions from "../../src/interventions/Interventions.ts"
import { AccountId, Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import { account, join } from "../../src/testing/IdentityFixtures.ts"
import { workshop } from "../../src/testing/InterventionFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as, auditedOf, newMessagesOf } from "../support/UseCases.ts"

// The documents use case on the memory adapters, over the interventions that decide who sees what.
const memory = Documents.layer.pipe(
  Layer.provideMerge(Interventions.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

const bytesOf = (text: string) => new TextEncoder().encode(text)
const pdf = bytesOf("%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])

const file = (filename: string, contentType: string, bytes: Uint8Array) =>
  Effect.succeed({ filename, contentType, bytes })

// A workshop with a technician, a member who is the client of the pump's intervention, and a
// second intervention (the boiler) that is not theirs.
const setting = Effect.gen(function* () {
  const interventions = yield* Interventions.Interventions
  const { orgId, people } = yield* workshop(["tech"])
  const technician = new Actor({ orgId, accountId: people[0]!.id, role: "technician" })
  const client = yield* account({ name: "client" })
  yield* join(orgId, client.id, "member")
  const member = new Actor({ orgId, accountId: client.id, role: "member" })
  const pump = yield* as(technician, interventions.create({ title: "Pump", clientId: client.id }))
  const boiler = yield* as(technician, interventions.create({ title: "Boiler" }))
  return { orgId, technician, member, pump, boiler }
})

// Each test on a fresh memory database, at the live clock.
const test = <A, E>(name: string, body: () => Effect.Effect<A, E, Layer.Success<typeof memory>>) =>
  it.live(name, () => Effect.provide(body(), memory))

test("a file is kept under a generated key with its hash and a safe name, and comes back byte for byte", () =>
  Effect.gen(function* () {
    const documents = yield* Documents.Documents
    const { orgId, technician, pump } = yield* setting
    yield* newMessagesOf(orgId)
    const invoice = yield* as(
      technician,
      documents.upload(pump.id, file("../../invoice.pdf", "application/pdf", pdf))
    )
    assert.deepStrictEqual(
      [invoice.interventionId, invoice.filename, invoice.contentType, invoice.size, invoice.createdBy],
      [pump.id, "invoice.pdf", "application/pdf", pdf.length, technician.accountId]
    )
    assert.strictEqual(invoice.sha256, createHash("sha256").update(pdf).digest("hex"))
    assert.notInclude(invoice.storageKey, "invoice")
    const downloaded = yield* as(technician, documents.download(invoice.id))
    assert.deepStrictEqual([downloaded.document.id, [...downloaded.bytes]], [invoice.id, [...pdf]])
    // A declared type with parameters or an alias is the type its bytes prove.
    const photo = yield* as(technician, documents.upload(pump.id, file("photo.png", "IMAGE/PNG; q=1", png)))
    assert.strictEqual(photo.contentType, "image/png")
    assert.deepStrictEqual((yield* auditedOf(orgId)).slice(-2), ["document.CREATE", "document.CREATE"])
    const messages = yield* newMessagesOf(orgId)
    assert.deepStrictEqual(
      messages.map((message) => [message.topic, message.payload]),
      [
        ["document.created", { id: invoice.id, interventionId: pump.id }],
        ["document.created", { id: photo.id, interventionId: pump.id }]
      ]
    )
  }))

test("a file whose bytes are not the type it declares, or of no allowed type, is refused and not kept", () =>
  Effect.gen(function* () {
    const documents = yield* Documents.Documents
    const { orgId, technician, pump } = yield* setting
    const disguised = yield* Effect.flip(
      as(technician, documents.upload(pump.id, file("notes.png", "image/png", bytesOf("just text"))))
    )
    assert.deepStrictEqual(
      disguised._tag === "UnsupportedDocumentType" ? [disguised.declared, disguised.detected] : [],
      ["image/png", "text/plain"]
    )
    const binary = Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, 0x03])
    const program = yield* Effect.flip(
      as(technician, documents.upload(pump.id, file("setup.exe", "application/octet-stream", binary)))
    )
    assert.deepStrictEqual(program._tag === "UnsupportedDocumentType" ? program.detected : program._tag, null)
    const listed = yield* as(technician, documents.list(pump.id, { limit: 10 }))
    assert.strictEqual(listed.items.length, 0)
    assert.isFalse((yield* auditedOf(orgId)).includes("document.CREATE"))
  }))

test("documents belong to their intervention, and a member sees only those of their own tickets", () =>
  Effect.gen(function* () {
    const documents = yield* Documents.Documents
    const { technician, member, pump, boiler } = yield* setting
    const ofPump = yield* as(technician, documents.upload(pump.id, file("pump.pdf", "application/pdf", pdf)))
    const ofBoiler = yield* as(
      technician,
      documents.upload(boiler.id, file("boiler.pdf", "application/pdf", pdf))
    )
    const ids = (page: { readonly items: ReadonlyArray<{ readonly id: string }> }) =>
      page.items.map((d) => d.id)
    assert.deepStrictEqual(ids(yield* as(technician, documents.list(pump.id, { limit: 10 }))), [ofPump.id])
    assert.deepStrictEqual(ids(yield* as(technician, documents.list(boiler.id, { limit: 10 }))), [
      ofBoiler.id
    ])
    assert.deepStrictEqual(ids(yield* as(member, documents.list(pump.id, { limit: 10 }))), [ofPump.id])
    assert.strictEqual((yield* as(member, documents.download(ofPump.id))).document.filename, "pump.pdf")
    const notTheirs = yield* Effect.flip(as(member, documents.list(boiler.id, { limit: 10 })))
    assert.strictEqual(notTheirs._tag, "NotFound")
    const hidden = yield* Effect.flip(as(member, documents.download(ofBoiler.id)))
    assert.deepStrictEqual(hidden._tag === "NotFound" ? hidden.entity : hidden._tag, "document")
  }))

test("only technicians and up add or delete files, and a refused upload is never read", () =>
  Effect.gen(function* () {
    const documents = yield* Documents.Documents
    const { technician, member, pump } = yield* setting
    const read = yield* Ref.make(false)
    const watched = Effect.as(Ref.set(read, true), {
      filename: "a.pdf",
      contentType: "application/pdf",
      bytes: pdf
    })
    const upload = yield* Effect.flip(as(member, documents.upload(pump.id, watched)))
    assert.strictEqual(upload._tag, "Forbidden")
    assert.isFalse(yield* Ref.get(read))
    const kept = yield* as(technician, documents.upload(pump.id, file("a.pdf", "application/pdf", pdf)))
    assert.strictEqual((yield* Effect.flip(as(member, documents.remove(kept.id))))._tag, "Forbidden")
    assert.strictEqual((yield* as(technician, documents.list(pump.id, { limit: 10 }))).items.length, 1)
  }))

test("deleting a document hides it and drops its bytes at once; other orgs find neither", () =>
  Effect.gen(function* () {
    const documents = yield* Documents.Documents
    const store = yield* DocumentStore
    const { orgId, technician, pump } = yield* setting
    const kept = yield* as(technician, documents.upload(pump.id, file("a.pdf", "application/pdf", pdf)))
    const stranger = new Actor({
      orgId: yield* nextId(OrgId),
      accountId: yield* nextId(AccountId),
      role: "admin"
    })
    assert.strictEqual((yield* Effect.flip(as(stranger, documents.download(kept.id))))._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(stranger, documents.remove(kept.id))))._tag, "NotFound")
    const foreign = yield* Effect.flip(
      as(stranger, documents.upload(pump.id, file("b.pdf", "application/pdf", pdf)))
    )
    assert.strictEqual(foreign._tag, "NotFound")
    yield* newMessagesOf(orgId)
    yield* as(technician, documents.remove(kept.id))
    assert.isTrue(Option.isNone(yield* store.get(orgId, kept.storageKey)))
    assert.strictEqual((yield* Effect.flip(as(technician, documents.download(kept.id))))._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(technician, documents.remove(kept.id))))._tag, "NotFound")
    assert.strictEqual((yield* as(technician, documents.list(pump.id, { limit: 10 }))).items.length, 0)
    assert.deepStrictEqual((yield* auditedOf(orgId)).slice(-2), ["document.CREATE", "document.SOFT_DELETE"])
    assert.deepStrictEqual(
      (yield* newMessagesOf(orgId)).map((message) => message.topic),
      ["document.deleted"]
    )
  }))

test("the documents of a deleted intervention are no longer found, and it takes no new ones", () =>
  Effect.gen(function* () {
    const documents = yield* Documents.Documents
    const interventions = yield* Interventions.Interventions
    const { technician, pump } = yield* setting
    const kept = yield* as(technician, documents.upload(pump.id, file("a.pdf", "application/pdf", pdf)))
    yield* as(technician, interventions.remove(pump.id, pump.version))
    assert.strictEqual((yield* Effect.flip(as(technician, documents.download(kept.id))))._tag, "NotFound")
    const late = yield* Effect.flip(
      as(technician, documents.upload(pump.id, file("b.pdf", "application/pdf", pdf)))
    )
    assert.strictEqual(late._tag, "NotFound")
  }))
