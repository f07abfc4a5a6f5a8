import { existsSync } from "node:fs"
import { tmpdir } from "node:os"
import { resolve } from "node:path"
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { as, createIntervention, type Intervention, move, PNG, upload } from "./fixtures/Interventions.ts"
import { createPart } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
type Page<A> = { readonly items: ReadonlyArray<A>; readonly nextCursor: string | null }
type Event = {
  readonly id: string
  readonly type: string
  readonly actorId: string | null
  readonly at: string
  readonly data: Record<string, unknown>
}

const statuses = ["PENDING", "IN_PROGRESS", "WAITING_PARTS", "COMPLETED", "CANCELLED"] as const
const allowed: Record<string, ReadonlyArray<string>> = {
  PENDING: ["IN_PROGRESS", "CANCELLED"],
  IN_PROGRESS: ["WAITING_PARTS", "COMPLETED", "CANCELLED"],
  WAITING_PARTS: ["IN_PROGRESS", "CANCELLED"],
  COMPLETED: [],
  CANCELLED: []
}
// How to reach each status from PENDING.
const pathTo: Record<string, ReadonlyArray<string>> = {
  PENDING: [],
  IN_PROGRESS: ["IN_PROGRESS"],
  WAITING_PARTS: ["IN_PROGRESS", "WAITING_PARTS"],
  COMPLETED: ["IN_PROGRESS", "COMPLETED"],
  CANCELLED: ["CANCELLED"]
}

const expectStatus = (answer: Answer, status: number) =>
  assert.strictEqual(answer.status, status, answer.text)

// Moves an intervention along `steps`, each with the version the previous step answered.
const walk = (org: Org, start: Intervention, steps: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    let current = start
    for (const status of steps) {
      const answer = yield* move(org, current, status)
      expectStatus(answer, 200)
      current = body<Intervention>(answer)
    }
    return current
  })

// Every event of the timeline, page by page.
const timeline = (org: Org, id: string, limit = 2) =>
  Effect.gen(function* () {
    const events: Array<Event> = []
    let cursor: string | null = null
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
      const answer: Answer = yield* call(
        "GET",
        `/v1/interventions/${id}/events?limit=${limit}${query}`,
        as(org)
      )
      expectStatus(answer, 200)
      const page: Page<Event> = body<Page<Event>>(answer)
      events.push(...page.items)
      cursor = page.nextCursor
    } while (cursor !== null)
    return events
  })

const hour = (h: number) => new Date(Date.UTC(2031, 0, 6, h)).toISOString()

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "interventions",
      (it) => {
        it.effect(
          "walks the whole lifecycle through WAITING_PARTS, numbering per org, with a complete ordered timeline",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const tech = yield* addMember(owner, "technician")
              const first = yield* createIntervention(tech)
              const second = yield* createIntervention(tech, { kind: "PREVENTIVE", priority: "URGENT" })
              assert.strictEqual(first.number, "INT-000001")
              assert.strictEqual(second.number, "INT-000002")
              assert.deepStrictEqual(
                [first.status, first.kind, first.priority],
                ["PENDING", "CORRECTIVE", "NORMAL"]
              )
              const other = yield* registerOwner()
              assert.strictEqual((yield* createIntervention(other)).number, "INT-000001")

              const edited = yield* call("PATCH", `/v1/interventions/${first.id}`, {
                ...as(tech, { "if-match": `"${first.version}"` }),
                body: { description: "Leaking at the flange", priority: "HIGH" }
              })
              expectStatus(edited, 200)
              assert.strictEqual(edited.headers.get("etag"), `"${first.version + 1}"`)
              const note = yield* call("POST", `/v1/interventions/${first.id}/events`, {
                ...as(tech),
                body: { text: "Customer says it started on Monday" }
              })
              expectStatus(note, 201)
              const done = yield* walk(tech, body<Intervention>(edited), [
                "IN_PROGRESS",
                "WAITING_PARTS",
                "IN_PROGRESS",
                "COMPLETED"
              ])
              assert.strictEqual(done.status, "COMPLETED")
              assert.isString(done.completedAt)
              assert.strictEqual(done.completedBy, tech.accountId)

              expectStatus(yield* call("DELETE", `/v1/interventions/${first.id}`, as(tech)), 204)
              expectStatus(yield* call("GET", `/v1/interventions/${first.id}`, as(tech)), 404)
              expectStatus(yield* call("POST", `/v1/interventions/${first.id}/restore`, as(tech)), 200)

              const events = yield* timeline(tech, first.id)
              assert.deepStrictEqual(
                events.map((event) => event.type),
                [
                  "created",
                  "updated",
                  "note",
                  "started",
                  "waiting_parts",
                  "started",
                  "completed",
                  "deleted",
                  "restored"
                ]
              )
              assert.deepStrictEqual(events[1]!.data, { fields: ["description", "priority"] })
              assert.deepStrictEqual(events[4]!.data, { from: "IN_PROGRESS", to: "WAITING_PARTS" })
              const times = events.map((event) => Date.parse(event.at))
              assert.deepStrictEqual(
                times,
                [...times].sort((a, b) => a - b)
              )
              assert.isTrue(events.every((event) => event.actorId === tech.accountId))

              const audit = yield* call("GET", `/v1/audit?entityId=${first.id}&limit=100`, as(owner))
              assert.deepStrictEqual(
                body<Page<{ action: string }>>(audit)
                  .items.map((event) => event.action)
                  .reverse(),
                [
                  "CREATE",
                  "UPDATE",
                  "STATUS_CHANGE",
                  "STATUS_CHANGE",
                  "STATUS_CHANGE",
                  "STATUS_CHANGE",
                  "SOFT_DELETE",
                  "RESTORE"
                ]
              )
            })
        )

        it.effect("refuses every transition the state machine does not list, naming the allowed ones", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            let refused = 0
            for (const from of statuses) {
              for (const to of statuses) {
                if (allowed[from]!.includes(to)) continue
                const intervention = yield* walk(owner, yield* createIntervention(owner), pathTo[from]!)
                const answer = yield* move(owner, intervention, to)
                expectStatus(answer, 409)
                const problem = body<{
                  code: string
                  from: string
                  to: string
                  allowed: ReadonlyArray<string>
                }>(answer)
                assert.deepStrictEqual(
                  [problem.code, problem.from, problem.to, problem.allowed],
                  ["invalid_transition", from, to, allowed[from]]
                )
                const after = yield* call("GET", `/v1/interventions/${intervention.id}`, as(owner))
                assert.strictEqual(body<Intervention>(after).version, intervention.version)
                refused++
              }
            }
            assert.strictEqual(refused, 25 - 7)
            // Preconditions answer before state: a stale If-Match is 412 even for a refused move.
            const pending = yield* createIntervention(owner)
            expectStatus(yield* move(owner, { ...pending, version: 9 }, "COMPLETED"), 412)
            expectStatus(
              yield* call("PATCH", `/v1/interventions/${pending.id}`, {
                ...as(owner),
                body: { status: "IN_PROGRESS" }
              }),
              428
            )
          })
        )

        it.effect("a member sees only their own tickets; another member's is 404 everywhere", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const alice = yield* addMember(owner, "member", "alice")
            const bob = yield* addMember(owner, "member", "bob")
            const mine = yield* createIntervention(owner, {
              clientId: alice.accountId,
              title: "Alice's bike"
            })
            const theirs = yield* createIntervention(owner, { clientId: bob.accountId, title: "Bob's bike" })
            yield* createIntervention(owner, { title: "No client" })

            const listed = yield* call("GET", "/v1/interventions", as(alice))
            expectStatus(listed, 200)
            assert.deepStrictEqual(
              body<Page<Intervention>>(listed).items.map((item) => item.id),
              [mine.id]
            )
            const filtered = yield* call("GET", `/v1/interventions?clientId=${bob.accountId}`, as(alice))
            assert.lengthOf(body<Page<Intervention>>(filtered).items, 0)
            expectStatus(yield* call("GET", `/v1/interventions/${mine.id}`, as(alice)), 200)
            expectStatus(yield* call("GET", `/v1/interventions/${mine.id}/events`, as(alice)), 200)
            for (const path of ["", "/events", "/documents"]) {
              const answer = yield* call("GET", `/v1/interventions/${theirs.id}${path}`, as(alice))
              expectStatus(answer, 404)
              assert.notInclude(answer.text, theirs.id)
            }
            const document = yield* upload(owner, theirs.id, { name: "a.png", type: "image/png", bytes: PNG })
            expectStatus(document, 201)
            expectStatus(
              yield* call("GET", `/v1/documents/${body<{ id: string }>(document).id}`, as(alice)),
              404
            )
            // Members may not write, whoever the client is.
            expectStatus(yield* move(alice, mine, "CANCELLED"), 403)
            expectStatus(yield* call("GET", `/v1/interventions/${mine.id}/parts`, as(alice)), 403)
          })
        )

        it.effect("answers 404 to every intervention route with another org's ids, changing nothing", () =>
          Effect.gen(function* () {
            const victim = yield* registerOwner("victim")
            const attacker = yield* registerOwner("attacker")
            const part = yield* createPart(attacker)
            const target = yield* createIntervention(victim)
            const document = yield* upload(victim, target.id, {
              name: "a.png",
              type: "image/png",
              bytes: PNG
            })
            const documentId = body<{ id: string }>(document).id
            const before = yield* call("GET", `/v1/interventions/${target.id}`, as(victim))
            const attempts: ReadonlyArray<[string, string, unknown?]> = [
              ["GET", `/v1/interventions/${target.id}`],
              ["PATCH", `/v1/interventions/${target.id}`, { status: "CANCELLED" }],
              ["DELETE", `/v1/interventions/${target.id}`],
              ["POST", `/v1/interventions/${target.id}/restore`],
              ["GET", `/v1/interventions/${target.id}/events`],
              ["POST", `/v1/interventions/${target.id}/events`, { text: "planted" }],
              ["POST", `/v1/interventions/${target.id}/assignees`, { add: [attacker.accountId] }],
              ["GET", `/v1/interventions/${target.id}/parts`],
              ["POST", `/v1/interventions/${target.id}/parts`, { partId: part.id, quantity: 1 }],
              ["GET", `/v1/interventions/${target.id}/documents`],
              ["GET", `/v1/documents/${documentId}`],
              ["DELETE", `/v1/documents/${documentId}`]
            ]
            for (const [method, path, payload] of attempts) {
              const answer = yield* call(method, path, {
                ...as(attacker, {
                  "if-match": `"${target.version}"`,
                  "idempotency-key": `x-${method}-${path.length}`
                }),
                body: payload
              })
              assert.strictEqual(answer.status, 404, `${method} ${path}: ${answer.text}`)
            }
            expectStatus(
              yield* upload(attacker, target.id, { name: "b.png", type: "image/png", bytes: PNG }),
              404
            )
            const after = yield* call("GET", `/v1/interventions/${target.id}`, as(victim))
            assert.strictEqual(after.text, before.text)
            assert.deepStrictEqual(
              (yield* timeline(victim, target.id)).map((event) => event.type),
              ["created"]
            )
            expectStatus(yield* call("GET", `/v1/documents/${documentId}`, as(victim)), 200)
          })
        )

        it.effect("20 parallel part uses never overdraw stock, and cost exactly what they took", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const part = yield* createPart(owner, {
              quantityOnHand: 7,
              unitPrice: { amount: 1250, currency: "EUR" }
            })
            const intervention = yield* createIntervention(tech)
            const answers = yield* Effect.forEach(
              Array.from({ length: 20 }, (_, index) => index),
              () =>
                call("POST", `/v1/interventions/${intervention.id}/parts`, {
                  ...as(tech),
                  body: { partId: part.id, quantity: 1 }
                }),
              { concurrency: "unbounded" }
            )
            const statuses = answers.map((answer) => answer.status).sort()
            assert.deepStrictEqual(statuses, [
              ...Array.from({ length: 7 }, () => 201),
              ...Array.from({ length: 13 }, () => 409)
            ])
            const refusal = answers.find((answer) => answer.status === 409)!
            assert.strictEqual(body<{ code: string }>(refusal).code, "insufficient_stock")
            const stock = yield* call("GET", `/v1/parts/${part.id}`, as(owner))
            assert.strictEqual(body<{ quantityOnHand: number }>(stock).quantityOnHand, 0)
            const after = body<Intervention>(
              yield* call("GET", `/v1/interventions/${intervention.id}`, as(tech))
            )
            assert.deepStrictEqual(after.partsCost, { amount: 7 * 1250, currency: "EUR" })
            const used = yield* call("GET", `/v1/interventions/${intervention.id}/parts?limit=100`, as(tech))
            assert.lengthOf(body<Page<unknown>>(used).items, 7)
            const events = yield* timeline(tech, intervention.id, 100)
            assert.strictEqual(events.filter((event) => event.type === "part_used").length, 7)
            const tooMany = yield* call("POST", `/v1/interventions/${intervention.id}/parts`, {
              ...as(tech),
              body: { partId: part.id, quantity: 1 }
            })
            expectStatus(tooMany, 409)
          })
        )

        it.effect("a completed or cancelled intervention takes no parts, and the stock stays", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const part = yield* createPart(owner, {
              quantityOnHand: 5,
              unitPrice: { amount: 300, currency: "EUR" }
            })
            for (const end of ["COMPLETED", "CANCELLED"]) {
              const ended = yield* walk(tech, yield* createIntervention(tech), pathTo[end]!)
              const used = yield* call("POST", `/v1/interventions/${ended.id}/parts`, {
                ...as(tech),
                body: { partId: part.id, quantity: 1 }
              })
              expectStatus(used, 409)
              const { code, from, to, allowed } = body<{
                code: string
                from: string
                to: string
                allowed: Array<string>
              }>(used)
              assert.deepStrictEqual(
                { code, from, to, allowed },
                { code: "invalid_transition", from: end, to: "part_used", allowed: [] }
              )
              const after = body<Intervention>(yield* call("GET", `/v1/interventions/${ended.id}`, as(tech)))
              assert.strictEqual(after.partsCost, null)
            }
            // Work still going on takes them, waiting for parts included.
            const waiting = yield* walk(tech, yield* createIntervention(tech), pathTo.WAITING_PARTS!)
            const used = yield* call("POST", `/v1/interventions/${waiting.id}/parts`, {
              ...as(tech),
              body: { partId: part.id, quantity: 1 }
            })
            expectStatus(used, 201)
            const stock = yield* call("GET", `/v1/parts/${part.id}`, as(owner))
            assert.strictEqual(body<{ quantityOnHand: number }>(stock).quantityOnHand, 4)
          })
        )

        it.effect("a technician cannot be scheduled on two overlapping interventions", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const tech = yield* addMember(owner, "technician")
            const first = yield* createIntervention(manager, {
              scheduledStart: hour(10),
              scheduledEnd: hour(12),
              assigneeIds: [tech.accountId]
            })
            const clash = yield* call("POST", "/v1/interventions", {
              ...as(manager),
              body: {
                title: "Overlapping",
                scheduledStart: hour(11),
                scheduledEnd: hour(13),
                assigneeIds: [tech.accountId]
              }
            })
            expectStatus(clash, 409)
            const problem = body<{ code: string; conflicts: ReadonlyArray<Record<string, string>> }>(clash)
            assert.strictEqual(problem.code, "conflict")
            assert.deepStrictEqual(problem.conflicts, [
              { subjectType: "person", subjectId: tech.accountId, startAt: hour(10), endAt: hour(12) }
            ])

            // Unassigned, it can be created; assigning the busy technician is refused the same way.
            const second = yield* createIntervention(manager, {
              scheduledStart: hour(11),
              scheduledEnd: hour(13)
            })
            const assign = (intervention: Intervention) =>
              call("POST", `/v1/interventions/${intervention.id}/assignees`, {
                ...as(manager),
                body: { add: [tech.accountId] }
              })
            expectStatus(yield* assign(second), 409)
            // Back to back is fine: intervals are half-open.
            const next = yield* createIntervention(manager, {
              scheduledStart: hour(12),
              scheduledEnd: hour(13)
            })
            expectStatus(yield* assign(next), 200)
            // Cancelling the first frees the technician's 10:00-12:00, but 12:00-13:00 is still taken.
            yield* walk(manager, first, ["CANCELLED"])
            expectStatus(yield* assign(second), 409)
            const moved = yield* call("PATCH", `/v1/interventions/${second.id}`, {
              ...as(manager, { "if-match": `"${second.version}"` }),
              body: { scheduledEnd: hour(12) }
            })
            expectStatus(moved, 200)
            const assigned = yield* assign(body<Intervention>(moved))
            expectStatus(assigned, 200)
            assert.deepStrictEqual(body<Intervention>(assigned).assigneeIds, [tech.accountId])
            // Adding someone already assigned changes nothing (and appends no event).
            const again = yield* assign(body<Intervention>(assigned))
            expectStatus(again, 200)
            assert.strictEqual(body<Intervention>(again).version, body<Intervention>(assigned).version)
            // Only a manager assigns, and only technicians can be assigned.
            const byTech = yield* call("POST", `/v1/interventions/${next.id}/assignees`, {
              ...as(tech),
              body: { remove: [tech.accountId] }
            })
            expectStatus(byTech, 403)
            const member = yield* addMember(owner, "member")
            const notTech = yield* call("POST", `/v1/interventions/${next.id}/assignees`, {
              ...as(manager),
              body: { add: [member.accountId] }
            })
            expectStatus(notTech, 400)
            const events = yield* timeline(manager, second.id, 100)
            assert.deepStrictEqual(
              events.map((event) => event.type),
              ["created", "updated", "assigned"]
            )
          })
        )

        it.effect(
          "lists with filters by technician and client username, status, q and period, and sorts",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const tech = yield* addMember(owner, "technician", "Filtertech")
              const client = yield* addMember(owner, "member", "Filterclient")
              const a = yield* createIntervention(owner, {
                title: "Compressor noise",
                assigneeIds: [tech.accountId],
                scheduledStart: hour(8),
                scheduledEnd: hour(9),
                priority: "LOW"
              })
              const b = yield* createIntervention(owner, {
                title: "Door hinge",
                clientId: client.accountId,
                priority: "URGENT"
              })
              const c = yield* createIntervention(owner, { title: "Compressor oil", subject: "VIN WVW123" })
              yield* walk(owner, c, ["IN_PROGRESS"])
              const ids = (path: string) =>
                Effect.map(call("GET", path, as(owner)), (answer) => {
                  expectStatus(answer, 200)
                  return body<Page<Intervention>>(answer).items.map((item) => item.id)
                })
              assert.deepStrictEqual(
                yield* ids(`/v1/interventions?technicianUsername=${tech.username.toUpperCase()}`),
                [a.id]
              )
              assert.deepStrictEqual(yield* ids(`/v1/interventions?technicianId=${tech.accountId}`), [a.id])
              assert.deepStrictEqual(yield* ids(`/v1/interventions?clientUsername=${client.username}`), [
                b.id
              ])
              assert.deepStrictEqual(yield* ids("/v1/interventions?status=IN_PROGRESS"), [c.id])
              assert.deepStrictEqual(yield* ids("/v1/interventions?q=compressor&sort=number"), [a.id, c.id])
              assert.deepStrictEqual(yield* ids("/v1/interventions?q=wvw123"), [c.id])
              assert.deepStrictEqual(yield* ids(`/v1/interventions?q=${b.number}`), [b.id])
              assert.deepStrictEqual(yield* ids("/v1/interventions?sort=-priority&priority=LOW,URGENT"), [
                b.id,
                a.id
              ])
              assert.deepStrictEqual(yield* ids("/v1/interventions?sort=-number&limit=2"), [c.id, b.id])
              assert.deepStrictEqual(yield* ids(`/v1/interventions?from=${hour(8)}&to=${hour(9)}`), [a.id])
              expectStatus(yield* call("GET", "/v1/interventions?status=DONE", as(owner)), 400)
              expectStatus(yield* call("GET", "/v1/interventions?cursor=garbage", as(owner)), 400)
            })
        )

        it.effect(
          "ranks technicians by completed interventions; the route is not taken for a technician id",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const member = yield* addMember(owner, "member")
              const ann = yield* addMember(owner, "technician", "ann")
              const ben = yield* addMember(owner, "technician", "ben")
              const complete = (fields: object, by: Org) =>
                Effect.flatMap(createIntervention(owner, fields), (created) =>
                  walk(by, created, ["IN_PROGRESS", "COMPLETED"])
                )
              yield* complete({ assigneeIds: [ann.accountId, ben.accountId] }, owner)
              yield* complete({ assigneeIds: [ann.accountId] }, owner)
              // With nobody assigned, whoever completed it gets the credit.
              yield* complete({}, ben)
              yield* complete({}, ben)
              const cancelled = yield* createIntervention(owner, { assigneeIds: [ann.accountId] })
              yield* walk(owner, cancelled, ["CANCELLED"])

              const board = yield* call("GET", "/v1/technicians/leaderboard", as(member))
              expectStatus(board, 200)
              const items = body<{
                items: ReadonlyArray<{ rank: number; accountId: string; completed: number }>
              }>(board).items
              assert.deepStrictEqual(
                items.map((item) => [item.rank, item.accountId, item.completed]),
                [
                  [1, ben.accountId, 3],
                  [2, ann.accountId, 2]
                ]
              )
              const past = yield* call(
                "GET",
                "/v1/technicians/leaderboard?from=2000-01-01T00:00:00Z&to=2000-02-01T00:00:00Z",
                as(member)
              )
              assert.lengthOf(body<{ items: ReadonlyArray<unknown> }>(past).items, 0)
              expectStatus(
                yield* call(
                  "GET",
                  "/v1/technicians/leaderboard?from=2000-02-01T00:00:00Z&to=2000-01-01T00:00:00Z",
                  as(member)
                ),
                400
              )
            })
        )
      }
    )

    // Uploads may be larger than other bodies, as in production.
    layer(TestServer.layer(store.layer, { maxBodyBytes: 1024, maxUploadBytes: 4096 }), {
      timeout: 120_000,
      excludeTestServices: true
    })("documents", (it) => {
      it.effect("uploads, lists, downloads as an attachment with nosniff, and deletes", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const client = yield* addMember(owner, "member")
          const intervention = yield* createIntervention(owner, { clientId: client.accountId })
          const uploaded = yield* upload(owner, intervention.id, {
            name: "pump photo.png",
            type: "image/png",
            bytes: PNG
          })
          expectStatus(uploaded, 201)
          const document = body<{
            id: string
            filename: string
            contentType: string
            size: number
            sha256: string
          }>(uploaded)
          assert.deepStrictEqual(
            [document.filename, document.contentType, document.size],
            ["pump photo.png", "image/png", PNG.length]
          )
          assert.match(document.sha256, /^[0-9a-f]{64}$/)
          const listed = yield* call("GET", `/v1/interventions/${intervention.id}/documents`, as(client))
          assert.deepStrictEqual(
            body<Page<{ id: string }>>(listed).items.map((item) => item.id),
            [document.id]
          )
          const { url } = yield* TestServer.TestServer
          const download = yield* Effect.promise(() =>
            fetch(`${url}/v1/documents/${document.id}`, {
              headers: { authorization: `Bearer ${client.token}`, "x-org-id": owner.orgId }
            })
          )
          assert.strictEqual(download.status, 200)
          assert.strictEqual(download.headers.get("content-type"), "image/png")
          assert.strictEqual(download.headers.get("x-content-type-options"), "nosniff")
          assert.match(
            download.headers.get("content-disposition") ?? "",
            /^attachment; filename="pump photo.png"/
          )
          const bytes = new Uint8Array(yield* Effect.promise(() => download.arrayBuffer()))
          assert.deepStrictEqual(Array.from(bytes), Array.from(PNG))

          expectStatus(yield* call("DELETE", `/v1/documents/${document.id}`, as(client)), 403)
          expectStatus(yield* call("DELETE", `/v1/documents/${document.id}`, as(owner)), 204)
          expectStatus(yield* call("GET", `/v1/documents/${document.id}`, as(owner)), 404)
          const sql = yield* SqlClient.SqlClient
          const blobs = yield* sql`SELECT 1 FROM document_blobs WHERE org_id = ${owner.orgId}`
          assert.lengthOf(blobs, 0)
          const audit = yield* call("GET", `/v1/audit?entityType=document&entityId=${document.id}`, as(owner))
          assert.deepStrictEqual(
            body<Page<{ action: string }>>(audit).items.map((event) => event.action),
            ["SOFT_DELETE", "CREATE"]
          )
        })
      )

      it.effect("refuses an upload over the limit (413) and a disallowed or mismatched type (415)", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const intervention = yield* createIntervention(owner)
          const big = new Uint8Array(4097).fill(0x41)
          const overFile = yield* upload(owner, intervention.id, {
            name: "big.txt",
            type: "text/plain",
            bytes: big
          })
          expectStatus(overFile, 413)
          assert.strictEqual(body<{ code: string }>(overFile).code, "payload_too_large")
          const overBody = yield* upload(owner, intervention.id, {
            name: "huge.txt",
            type: "text/plain",
            bytes: new Uint8Array(200_000).fill(0x41)
          })
          expectStatus(overBody, 413)
          const exactly = yield* upload(owner, intervention.id, {
            name: "limit.txt",
            type: "text/plain",
            bytes: big.subarray(0, 4096)
          })
          expectStatus(exactly, 201)

          const executable = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])
          for (const file of [
            { name: "setup.exe", type: "application/octet-stream", bytes: executable },
            { name: "setup.png", type: "image/png", bytes: executable },
            { name: "photo.pdf", type: "application/pdf", bytes: PNG },
            {
              name: "page.html",
              type: "text/html",
              bytes: new TextEncoder().encode("<script>alert(1)</script>")
            }
          ]) {
            const answer = yield* upload(owner, intervention.id, file)
            expectStatus(answer, 415)
            assert.strictEqual(body<{ code: string }>(answer).code, "unsupported_media_type")
          }
          const json = yield* call("POST", `/v1/interventions/${intervention.id}/documents`, {
            ...as(owner),
            body: { file: "x" }
          })
          expectStatus(json, 415)
          const wrongField = yield* upload(
            owner,
            intervention.id,
            { name: "a.png", type: "image/png", bytes: PNG },
            "attachment"
          )
          expectStatus(wrongField, 400)
          const listed = yield* call("GET", `/v1/interventions/${intervention.id}/documents`, as(owner))
          assert.lengthOf(body<Page<unknown>>(listed).items, 1)
        })
      )

      it.effect(
        "stores a path-like name under a generated key, answers it sanitised, writes nothing outside",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const intervention = yield* createIntervention(owner)
            const runaway = `rota-runaway-${Math.random().toString(36).slice(2)}`
            const names = ["../../etc/passwd", `../../../../tmp/${runaway}`, `..\\..\\${runaway}.txt`]
            const stored: Array<{ filename: string; storageKey: string }> = []
            for (const name of names) {
              const answer = yield* upload(owner, intervention.id, {
                name,
                type: "text/plain",
                bytes: new TextEncoder().encode("root:x:0:0\n")
              })
              expectStatus(answer, 201)
              stored.push(body<{ filename: string; storageKey: string }>(answer))
            }
            assert.deepStrictEqual(
              stored.map((document) => document.filename),
              ["passwd", runaway, `${runaway}.txt`]
            )
            for (const document of stored) assert.match(document.storageKey, /^[0-9a-f]{8}-[0-9a-f]{4}-7/)
            const sql = yield* SqlClient.SqlClient
            const keys = yield* sql<{
              key: string
            }>`SELECT key FROM document_blobs WHERE org_id = ${owner.orgId}`
            assert.sameMembers(
              keys.map((row) => row.key),
              stored.map((document) => document.storageKey)
            )
            for (const place of [process.cwd(), tmpdir(), "/tmp", resolve(process.cwd(), "../..")]) {
              assert.isFalse(existsSync(resolve(place, runaway)), place)
              assert.isFalse(existsSync(resolve(place, `${runaway}.txt`)), place)
            }
          })
      )
    })
  })
}
