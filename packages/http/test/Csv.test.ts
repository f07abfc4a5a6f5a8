/**
 * CSV exports and imports through the HTTP stack: a round trip between two orgs, a file with bad
 * rows refused whole, the formula guard, tenant isolation, permissions and size limits.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Csv } from "@rota/core"
import { Effect, Result } from "effect"
import { TestServer } from "../src/testing.ts"
import { at, book, idempotencyKey, resourceWithUnits } from "./fixtures/Bookings.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createPart, createResource, createTag, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

const expectStatus = (answer: Answer, status: number) =>
  assert.strictEqual(answer.status, status, answer.text)

const exportCsv = (org: Org, kind: string) => call("GET", `/v1/exports/${kind}.csv`, org)

// Sends a CSV body (the JSON helper cannot).
const importCsv = (org: Org, kind: string, csv: string, headers: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const response = yield* Effect.promise(() =>
      fetch(`${url}/v1/imports/${kind}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${org.token}`,
          "x-org-id": org.orgId,
          "content-type": "text/csv",
          ...headers
        },
        body: csv
      })
    )
    const text = yield* Effect.promise(() => response.text())
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: text.startsWith("{") ? JSON.parse(text) : undefined
    } satisfies Answer
  })

const rowsOf = (answer: Answer) => Result.getOrThrow(Csv.parse(answer.text))

// The records without the columns that differ between orgs (ids).
const withoutColumns = (rows: ReadonlyArray<ReadonlyArray<string>>, names: ReadonlyArray<string>) => {
  const keep = rows[0]!
    .map((name, index) => (names.includes(name) ? -1 : index))
    .filter((index) => index >= 0)
  return rows.map((row) => keep.map((index) => row[index]!))
}

interface Rejected {
  readonly code: string
  readonly errors: ReadonlyArray<{
    readonly row: number
    readonly column: string | null
    readonly message: string
  }>
}

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 180_000, excludeTestServices: true })("csv", (it) => {
      it.effect("export, import into another org, export again: the same records, with new ids", () =>
        Effect.gen(function* () {
          const a = yield* registerOwner()
          const b = yield* registerOwner()
          yield* createTag(a, "outdoor")
          yield* createTag(b, "outdoor")
          const camera = yield* createResource(a, {
            name: "Camera, 4K",
            type: "camera",
            description: 'Says "cheese"\nand a second line',
            tags: ["outdoor"]
          })
          yield* createResource(a, { name: "Drone", type: "aircraft", status: "MAINTENANCE" })
          yield* createUnit(a, camera.id, { barcode: "CAM-1", notes: "scratched, works" })
          yield* createUnit(a, camera.id, { barcode: "CAM-2", condition: "NEW" })
          yield* createPart(a, { sku: "FLT-1", name: "Filter", description: "=cheap", reorderLevel: 2 })

          const exported = yield* exportCsv(a, "resources")
          expectStatus(exported, 200)
          assert.strictEqual(exported.headers.get("content-type"), "text/csv; charset=utf-8")
          // Nothing of org A shows in org B's export.
          assert.deepStrictEqual(rowsOf(yield* exportCsv(b, "resources")), [rowsOf(exported)[0]!])

          const imported = yield* importCsv(b, "resources", exported.text, {
            "idempotency-key": idempotencyKey()
          })
          expectStatus(imported, 200)
          assert.deepStrictEqual(body(imported), { kind: "resources", created: 2 })
          const again = yield* exportCsv(b, "resources")
          assert.deepStrictEqual(
            withoutColumns(rowsOf(again), ["id"]),
            withoutColumns(rowsOf(exported), ["id"])
          )

          // Units name their resource by id: the file is pointed at org B's resources by name.
          const idsByName = (answer: Answer) => new Map(rowsOf(answer).map((row) => [row[0]!, row[1]!]))
          const aIds = idsByName(exported)
          const bIds = new Map([...idsByName(again)].map(([id, name]) => [name, id]))
          const units = yield* exportCsv(a, "units")
          const pointed = rowsOf(units)
            .map((row, index) =>
              index === 0 ? row : [row[0]!, bIds.get(aIds.get(row[1]!)!)!, ...row.slice(2)]
            )
            .map(Csv.encodeRow)
            .join("")
          expectStatus(yield* importCsv(b, "units", pointed), 200)
          assert.deepStrictEqual(
            withoutColumns(rowsOf(yield* exportCsv(b, "units")), ["id", "resourceId"]),
            withoutColumns(rowsOf(units), ["id", "resourceId"])
          )

          const parts = yield* exportCsv(a, "parts")
          expectStatus(yield* importCsv(b, "parts", parts.text), 200)
          assert.deepStrictEqual(
            withoutColumns(rowsOf(yield* exportCsv(b, "parts")), ["id"]),
            withoutColumns(rowsOf(parts), ["id"])
          )
        })
      )

      it.effect(
        "a file with bad rows is refused whole: 422 names each row and column, nothing is created",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const resource = yield* createResource(owner)
            yield* createUnit(owner, resource.id, { barcode: "TAKEN-1" })
            const file = [
              "resourceId,barcode,condition",
              `${resource.id},NEW-1,GOOD`,
              `${resource.id},NEW-2,SHINY`,
              `${resource.id},TAKEN-1,`,
              `018f0000-0000-7000-8000-0000000fffff,NEW-3,`,
              `${resource.id},NEW-1,FAIR`,
              ""
            ].join("\r\n")
            const refused = yield* importCsv(owner, "units", file)
            expectStatus(refused, 422)
            assert.strictEqual(body<Rejected>(refused).code, "import_rejected")
            // Every problem in one answer, by row: a bad value, a barcode the org has, an unknown
            // resource, a barcode twice in the file.
            assert.deepStrictEqual(
              body<Rejected>(refused).errors.map((issue) => [issue.row, issue.column]),
              [
                [3, "condition"],
                [4, "barcode"],
                [5, "resourceId"],
                [6, "barcode"]
              ]
            )
            // Nothing was created: the resource still has its one unit.
            const listed = yield* call("GET", `/v1/resources/${resource.id}/units`, owner)
            assert.deepStrictEqual(
              body<{ items: ReadonlyArray<{ barcode: string }> }>(listed).items.map((unit) => unit.barcode),
              ["TAKEN-1"]
            )
            const header = yield* importCsv(owner, "parts", "sku,colour\r\nA,red\r\n")
            expectStatus(header, 422)
            assert.deepStrictEqual(
              body<Rejected>(header).errors.map((issue) => [issue.row, issue.column, issue.message]),
              [
                [1, "colour", "Unknown column"],
                [1, "name", "Missing column"],
                [1, "unitPriceAmount", "Missing column"],
                [1, "unitPriceCurrency", "Missing column"]
              ]
            )
          })
      )

      it.effect("an export of several pages holds every record once, in order", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const skus = Array.from({ length: 230 }, (_, i) => `PG-${String(i).padStart(3, "0")}`)
          const file = `sku,name,unitPriceAmount,unitPriceCurrency\r\n${skus.map((sku) => `${sku},Part,1,EUR\r\n`).join("")}`
          expectStatus(yield* importCsv(owner, "parts", file), 200)
          const rows = rowsOf(yield* exportCsv(owner, "parts"))
          assert.deepStrictEqual(
            rows.slice(1).map((row) => row[1]),
            skus
          )
        })
      )

      it.effect("cells a spreadsheet would run start with an apostrophe, and import back as they were", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          yield* createPart(owner, { sku: "INJ-1", name: '=HYPERLINK("http://evil.test","x")' })
          yield* createPart(owner, { sku: "INJ-2", name: "@SUM(A1)", description: "+1 spare" })
          const exported = yield* exportCsv(owner, "parts")
          const rows = rowsOf(exported)
          assert.deepStrictEqual(
            rows.slice(1).map((row) => [row[2], row[3]]),
            [
              ['\'=HYPERLINK("http://evil.test","x")', ""],
              ["'@SUM(A1)", "'+1 spare"]
            ]
          )
          const other = yield* registerOwner()
          expectStatus(yield* importCsv(other, "parts", exported.text), 200)
          const names = yield* call("GET", "/v1/parts?sort=sku", other)
          assert.deepStrictEqual(
            body<{ items: ReadonlyArray<{ name: string }> }>(names).items.map((part) => part.name),
            ['=HYPERLINK("http://evil.test","x")', "@SUM(A1)"]
          )
        })
      )

      it.effect("clients and bookings export; each export and import needs its permission", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const client = yield* addMember(owner, "member", "client")
          const technician = yield* addMember(owner, "technician")
          const { unitIds } = yield* resourceWithUnits(owner, 1)
          const booked = yield* book(owner, {
            startAt: at(30),
            endAt: at(31),
            items: [{ unitId: unitIds[0]! }]
          })
          expectStatus(booked, 201)

          const clients = rowsOf(yield* exportCsv(owner, "clients"))
          assert.deepStrictEqual(clients[0], [
            "accountId",
            "email",
            "username",
            "fullName",
            "phone",
            "tags",
            "isActive",
            "createdAt"
          ])
          assert.deepStrictEqual(
            clients.slice(1).map((row) => row[1]),
            [client.email]
          )
          const bookings = rowsOf(yield* exportCsv(owner, "bookings"))
          assert.deepStrictEqual(
            bookings.slice(1).map((row) => [row[0], row[6]]),
            [[body<{ id: string }>(booked).id, unitIds[0]]]
          )

          expectStatus(yield* exportCsv(client, "clients"), 403)
          expectStatus(yield* exportCsv(technician, "bookings"), 403)
          expectStatus(yield* exportCsv(client, "resources"), 200)
          expectStatus(
            yield* importCsv(technician, "parts", "sku,name,unitPriceAmount,unitPriceCurrency\r\n"),
            403
          )
        })
      )

      it.effect(
        "clients are invited, as POST /v1/clients without a password does; taken addresses and phones refused",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const technician = yield* addMember(owner, "technician")
            const existing = yield* call("POST", "/v1/clients", {
              ...owner,
              body: {
                email: "known@example.test",
                username: "known",
                fullName: "Known Client",
                password: "Correct-Horse-Known-1",
                phone: "+33 1 23 45 67 89"
              }
            })
            expectStatus(existing, 201)
            const header = "email,username,fullName,phone,tags"
            const refused = yield* importCsv(
              technician,
              "clients",
              [
                header,
                "ada@example.test,ada,Ada Lovelace,+44 20 7946 0001,vip",
                "KNOWN@example.test,known2,Known Again,,",
                "grace@example.test,grace,Grace Hopper,+33 123456789,",
                "not-an-email,someone,Someone,,",
                "Ada@Example.test,ada2,Ada Twice,,",
                ""
              ].join("\r\n")
            )
            expectStatus(refused, 422)
            assert.deepStrictEqual(
              body<Rejected>(refused).errors.map((issue) => [issue.row, issue.column]),
              [
                [3, "email"],
                [4, "phone"],
                [5, "email"],
                [6, "email"]
              ]
            )
            const invitations = () =>
              Effect.map(call("GET", "/v1/invitations", owner), (answer) =>
                body<{ items: ReadonlyArray<{ email: string; role: string }> }>(answer).items.map((i) => [
                  i.email,
                  i.role
                ])
              )
            assert.deepStrictEqual(yield* invitations(), [])
            const file = `${header}\r\nada@example.test,ada,Ada Lovelace,+44 20 7946 0001,"vip,early"\r\nlin@example.test,lin,Lin,,\r\n`
            const imported = yield* importCsv(technician, "clients", file)
            expectStatus(imported, 200)
            assert.deepStrictEqual(body(imported), { kind: "clients", created: 2 })
            assert.sameDeepMembers(
              [...(yield* invitations())],
              [
                ["ada@example.test", "member"],
                ["lin@example.test", "member"]
              ]
            )
            // The clients export imports as it is: its account columns are ignored.
            const other = yield* registerOwner()
            const moved = yield* importCsv(other, "clients", (yield* exportCsv(owner, "clients")).text)
            expectStatus(moved, 200)
            assert.deepStrictEqual(body(moved), { kind: "clients", created: 1 })
            // A member (no client.write) may not.
            const member = yield* addMember(owner, "member")
            expectStatus(yield* importCsv(member, "clients", file), 403)
          })
      )

      it.effect("bookings exported from one org import into another, once pointed at its units", () =>
        Effect.gen(function* () {
          const a = yield* registerOwner()
          const b = yield* registerOwner()
          const inA = yield* resourceWithUnits(a, 2)
          const inB = yield* resourceWithUnits(b, 2)
          expectStatus(
            yield* book(a, { startAt: at(40), endAt: at(41), items: [{ unitId: inA.unitIds[0]! }] }),
            201
          )
          expectStatus(
            yield* book(a, { startAt: at(42), endAt: at(43), items: [{ unitId: inA.unitIds[1]! }] }),
            201
          )
          const exported = yield* exportCsv(a, "bookings")
          const ids = new Map([
            [inA.resourceId, inB.resourceId],
            [inA.unitIds[0]!, inB.unitIds[0]!],
            [inA.unitIds[1]!, inB.unitIds[1]!]
          ])
          const pointed = rowsOf(exported).map((row) => row.map((cell) => ids.get(cell) ?? cell))
          // The export names org A's owner as the requester: nobody books for someone else.
          const refused = yield* importCsv(b, "bookings", pointed.map(Csv.encodeRow).join(""))
          expectStatus(refused, 422)
          assert.deepStrictEqual(
            body<Rejected>(refused).errors.map((issue) => [issue.row, issue.column]),
            [
              [2, "requesterId"],
              [3, "requesterId"]
            ]
          )
          const requester = pointed[0]!.indexOf("requesterId")
          const mine = pointed.map((row, index) =>
            index === 0 ? row : row.map((cell, column) => (column === requester ? b.accountId : cell))
          )
          const imported = yield* importCsv(b, "bookings", mine.map(Csv.encodeRow).join(""), {
            "idempotency-key": idempotencyKey()
          })
          expectStatus(imported, 200)
          assert.deepStrictEqual(body(imported), { kind: "bookings", created: 2 })
          const keep = ["purpose", "startAt", "endAt", "unitIds", "resourceIds"]
          const drop = pointed[0]!.filter((name) => !keep.includes(name))
          assert.deepStrictEqual(
            withoutColumns(rowsOf(yield* exportCsv(b, "bookings")), drop),
            withoutColumns(pointed, drop)
          )
        })
      )

      it.effect(
        "a booking file overlapping a booking, or itself, is refused whole; a good one is booked",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 3)
            const held = yield* book(owner, {
              startAt: at(10),
              endAt: at(12),
              items: [{ unitId: unitIds[0]! }]
            })
            expectStatus(held, 201)
            const header = "purpose,startAt,endAt,unitIds,resourceIds"
            const refused = yield* importCsv(
              owner,
              "bookings",
              [
                header,
                `Overlaps the held one,${at(11)},${at(13)},${unitIds[0]},`,
                `First of two,${at(20)},${at(22)},${unitIds[1]},`,
                `Second of two,${at(21)},${at(23)},${unitIds[1]},`,
                `Bad end,${at(30)},tomorrow,${unitIds[2]},`,
                `Unknown unit,${at(30)},${at(31)},018f0000-0000-7000-8000-0000000fffff,`,
                `Fine on its own,${at(30)},${at(31)},,${resourceId}`,
                ""
              ].join("\r\n")
            )
            expectStatus(refused, 422)
            const errors = body<Rejected>(refused).errors
            assert.deepStrictEqual(
              errors.map((issue) => [issue.row, issue.column]),
              [
                [2, "unitIds"],
                [4, "unitIds"],
                [5, "endAt"],
                [6, "unitIds"]
              ]
            )
            // Each overlap names the interval in the way and what holds it.
            assert.strictEqual(
              errors[0]!.message,
              `Overlaps unit ${unitIds[0]} booked for ${at(10)}/${at(12)} by an existing booking`
            )
            assert.strictEqual(
              errors[1]!.message,
              `Overlaps unit ${unitIds[1]} booked for ${at(20)}/${at(22)} by row 3`
            )
            const listed = () =>
              Effect.map(call("GET", "/v1/bookings?sort=startAt", owner), (answer) =>
                body<{ items: ReadonlyArray<{ purpose: string; items: ReadonlyArray<{ unitId: string }> }> }>(
                  answer
                ).items.map((booking) => [booking.purpose, booking.items.map((item) => item.unitId)])
              )
            assert.deepStrictEqual(yield* listed(), [["Test shoot", [unitIds[0]]]])

            const good = [
              header,
              `"Shoot, day one",${at(12)},${at(14)},${unitIds[0]},${resourceId}`,
              `Two units,${at(20)},${at(22)},"${unitIds[1]},${unitIds[2]}",`,
              `Any unit,${at(20)},${at(22)},,${resourceId}`,
              ""
            ].join("\r\n")
            const rehearsed = yield* importCsv(owner, "bookings", good, { prefer: "dry-run" })
            expectStatus(rehearsed, 200)
            assert.strictEqual((yield* listed()).length, 1)
            const imported = yield* importCsv(owner, "bookings", good)
            expectStatus(imported, 200)
            assert.deepStrictEqual(body(imported), { kind: "bookings", created: 3 })
            assert.sameDeepMembers(
              [...(yield* listed())],
              [
                ["Test shoot", [unitIds[0]]],
                ["Shoot, day one", [unitIds[0]]],
                ["Two units", [unitIds[1], unitIds[2]].sort()],
                ["Any unit", [unitIds[0]]]
              ]
            )
            // Every member may book, so may import bookings: for themselves only.
            const member = yield* addMember(owner, "member")
            const own = `purpose,startAt,endAt,requesterId,unitIds\r\nMine,${at(50)},${at(51)},${member.accountId},${unitIds[2]}\r\n`
            expectStatus(yield* importCsv(member, "bookings", own), 200)
            const theirs = own.replace(member.accountId, owner.accountId)
            expectStatus(
              yield* importCsv(member, "bookings", theirs.replace(at(50), at(52)).replace(at(51), at(53))),
              422
            )
          })
      )

      it.effect("a file past 5 MiB or 10,000 records is 413; a body not declared as CSV is 415", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const header = "sku,name,unitPriceAmount,unitPriceCurrency\r\n"
          const huge = yield* importCsv(owner, "parts", header + "x".repeat(5 * 1024 * 1024))
          expectStatus(huge, 413)
          assert.strictEqual(body<{ code: string }>(huge).code, "payload_too_large")
          const many = Array.from({ length: 10_001 }, (_, i) => `S${i},Part,1,EUR\r\n`).join("")
          expectStatus(yield* importCsv(owner, "parts", header + many), 413)
          const json = yield* call("POST", "/v1/imports/parts", { ...owner, body: { sku: "A" } })
          expectStatus(json, 415)
          expectStatus(yield* call("GET", "/v1/parts", owner), 200)
          assert.deepStrictEqual(
            body<{ items: ReadonlyArray<unknown> }>(yield* call("GET", "/v1/parts", owner)).items,
            []
          )
        })
      )

      it.effect("an import is idempotent with a key, and rehearsed with Prefer: dry-run", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const file = "sku,name,unitPriceAmount,unitPriceCurrency\r\nIDEM-1,Fuse,99,EUR\r\n"
          const rehearsed = yield* importCsv(owner, "parts", file, { prefer: "dry-run" })
          expectStatus(rehearsed, 200)
          assert.strictEqual(rehearsed.headers.get("preference-applied"), "dry-run")
          const listParts = call("GET", "/v1/parts", owner)
          assert.strictEqual(body<{ items: ReadonlyArray<unknown> }>(yield* listParts).items.length, 0)
          const key = idempotencyKey()
          expectStatus(yield* importCsv(owner, "parts", file, { "idempotency-key": key }), 200)
          const replayed = yield* importCsv(owner, "parts", file, { "idempotency-key": key })
          expectStatus(replayed, 200)
          assert.strictEqual(replayed.headers.get("idempotency-replayed"), "true")
          assert.strictEqual(body<{ items: ReadonlyArray<unknown> }>(yield* listParts).items.length, 1)
        })
      )
    })
  })
}
