/**
 * Calendar feeds end to end: a person subscribes to their own time and a manager to a resource's;
 * the secret URL answers iCalendar without a login (bookings, interventions, approved leave, with
 * stable UIDs) until the feed is revoked; the token rests only as a hash and never reaches the
 * log; another org's subject is 404.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { at, book, resourceWithUnits } from "./fixtures/Bookings.ts"
import { createAvailability } from "./fixtures/Crews.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { as, createIntervention } from "./fixtures/Interventions.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }

interface VEvent {
  readonly uid: string
  readonly start: string
  readonly end: string
  readonly summary: string
}

// Enough of RFC 5545 to read what a calendar app reads: unfolded lines, one VEVENT per block.
const parseIcs = (
  text: string
): { readonly lines: ReadonlyArray<string>; readonly events: Array<VEvent> } => {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n")
  const events: Array<VEvent> = []
  let current: Record<string, string> | undefined
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {}
    else if (line === "END:VEVENT" && current !== undefined) {
      events.push({
        uid: current.UID!,
        start: current.DTSTART!,
        end: current.DTEND!,
        summary: current.SUMMARY!
      })
      current = undefined
    } else if (current !== undefined) {
      const colon = line.indexOf(":")
      current[line.slice(0, colon).split(";")[0]!] = line.slice(colon + 1)
    }
  }
  return { lines, events }
}

// An instant as iCalendar writes it in UTC: 20261207T101500Z.
const icsTime = (iso: string) => `${iso.slice(0, 19).replace(/[-:]/g, "")}Z`

const createFeed = (org: Org, kind: string, subjectId: string) =>
  call("POST", "/v1/calendar-feeds", { ...as(org), body: { kind, subjectId } })

// The feed's path, from the URL answered once.
const feedPath = (answer: { readonly json: unknown }) =>
  new URL(body<{ url: string }>(answer as never).url).pathname

const logLines: Array<string> = []

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer, { accessLog: true }, { logLines }), {
      timeout: 180_000,
      excludeTestServices: true
    })("calendar feeds", (it) => {
      it.effect(
        "a technician's own feed: interventions, bookings and approved leave, stable UIDs, revocable",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const tech = yield* addMember(owner, "technician")
            yield* createIntervention(manager, {
              scheduledStart: at(2),
              scheduledEnd: at(4),
              assigneeIds: [tech.accountId]
            })
            const leave = yield* createAvailability(tech, {
              kind: "UNAVAILABLE",
              startAt: at(30),
              endAt: at(54)
            })
            const approved = yield* call("POST", `/v1/availability/${leave.id}/approve`, as(manager))
            assert.strictEqual(approved.status, 200, approved.text)

            const { unitIds } = yield* resourceWithUnits(owner, 1)
            const booked = yield* book(tech, {
              startAt: at(6),
              endAt: at(8),
              items: [{ unitId: unitIds[0] }]
            })
            assert.strictEqual(booked.status, 201, booked.text)

            const created = yield* createFeed(tech, "person", tech.accountId)
            assert.strictEqual(created.status, 201, created.text)
            const path = feedPath(created)
            const token = path.replace("/v1/calendar/", "").replace(".ics", "")
            assert.isAtLeast(token.length, 40)

            const first = yield* call("GET", path)
            assert.strictEqual(first.status, 200, first.text)
            assert.match(first.headers.get("content-type") ?? "", /^text\/calendar/)
            const ics = parseIcs(first.text)
            assert.strictEqual(ics.lines[0], "BEGIN:VCALENDAR")
            assert.deepStrictEqual(
              ics.events.map((event) => [event.summary, event.start, event.end]),
              [
                ["Intervention", icsTime(at(2)), icsTime(at(4))],
                ["Booking: Test shoot", icsTime(at(6)), icsTime(at(8))],
                ["Leave", icsTime(at(30)), icsTime(at(54))]
              ]
            )
            const again = parseIcs((yield* call("GET", path)).text)
            assert.deepStrictEqual(
              again.events.map((event) => event.uid),
              ics.events.map((event) => event.uid)
            )
            assert.strictEqual(new Set(ics.events.map((event) => event.uid)).size, 3)

            // Listed without its URL; at rest only as a hash.
            const listed = yield* call("GET", "/v1/calendar-feeds", as(tech))
            assert.strictEqual(listed.status, 200, listed.text)
            assert.deepStrictEqual(
              body<{ items: Array<{ id: string; kind: string }> }>(listed).items.map((feed) => [
                feed.id,
                feed.kind
              ]),
              [[body<{ id: string }>(created).id, "person"]]
            )
            assert.notInclude(listed.text, token)
            const sql = yield* SqlClient.SqlClient
            const stored = yield* sql<{ token_hash: string }>`SELECT token_hash FROM calendar_feeds`.pipe(
              Effect.orDie
            )
            assert.isTrue(stored.every((row) => row.token_hash !== token && !row.token_hash.includes(token)))

            const revoked = yield* call(
              "DELETE",
              `/v1/calendar-feeds/${body<{ id: string }>(created).id}`,
              as(tech)
            )
            assert.strictEqual(revoked.status, 204, revoked.text)
            assert.strictEqual((yield* call("GET", path)).status, 404)
            assert.strictEqual((yield* call("GET", "/v1/calendar/not-a-token.ics")).status, 404)
            assert.strictEqual((yield* call("GET", `/v1/calendar/${token}`)).status, 404)

            // Every request above was logged, the feed's path without its token.
            const log = logLines.join("\n")
            assert.include(log, "/v1/calendar/[redacted]")
            assert.notInclude(log, token)
          })
      )

      it.effect(
        "a resource's feed: a manager's to make, every unit's bookings, other orgs' subjects 404",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const member = yield* addMember(owner, "member")
            const { resourceId, unitIds } = yield* resourceWithUnits(owner, 2)
            for (const [index, unitId] of unitIds.entries()) {
              const booked = yield* book(owner, {
                startAt: at(index),
                endAt: at(index + 5),
                items: [{ unitId }]
              })
              assert.strictEqual(booked.status, 201, booked.text)
            }

            // Someone else's time, or a resource's, is a manager's to share.
            assert.strictEqual((yield* createFeed(member, "resource", resourceId)).status, 403)
            assert.strictEqual((yield* createFeed(member, "person", manager.accountId)).status, 403)
            const other = yield* registerOwner("other")
            const theirs = yield* resourceWithUnits(other, 1)
            assert.strictEqual((yield* createFeed(manager, "resource", theirs.resourceId)).status, 404)
            assert.strictEqual((yield* createFeed(manager, "person", other.accountId)).status, 404)

            const created = yield* createFeed(manager, "resource", resourceId)
            assert.strictEqual(created.status, 201, created.text)
            const ics = parseIcs((yield* call("GET", feedPath(created))).text)
            assert.strictEqual(ics.events.length, 2)
            assert.deepStrictEqual(
              ics.events.map((event) => event.start),
              [icsTime(at(0)), icsTime(at(1))]
            )
            assert.isTrue(ics.events.every((event) => event.summary.startsWith("Booking: ")))

            // A member sees only their own feeds and cannot revoke a manager's; another org sees nothing.
            const mine = yield* createFeed(member, "person", member.accountId)
            assert.strictEqual(mine.status, 201, mine.text)
            const memberList = body<{ items: Array<{ id: string }> }>(
              yield* call("GET", "/v1/calendar-feeds", as(member))
            )
            assert.deepStrictEqual(
              memberList.items.map((feed) => feed.id),
              [body<{ id: string }>(mine).id]
            )
            const managerList = body<{ items: Array<{ id: string }> }>(
              yield* call("GET", "/v1/calendar-feeds", as(manager))
            )
            assert.strictEqual(managerList.items.length, 2)
            const feedId = body<{ id: string }>(created).id
            assert.strictEqual(
              (yield* call("DELETE", `/v1/calendar-feeds/${feedId}`, as(member))).status,
              404
            )
            assert.strictEqual((yield* call("GET", `/v1/calendar-feeds/${feedId}`, as(other))).status, 404)
            assert.strictEqual((yield* call("DELETE", `/v1/calendar-feeds/${feedId}`, as(other))).status, 404)
            assert.strictEqual((yield* call("GET", feedPath(created))).status, 200)
          })
      )
    })
  })
}

// The public route is throttled per client address, on the public links' quota.
layer(TestServer.layer(Stores.stores()[0]!.layer, { rateLimitPublic: 3 }), {
  timeout: 180_000,
  excludeTestServices: true
})("calendar feeds, rate limited", (it) => {
  it.effect("past the per-address limit, guesses and real fetches alike answer 429", () =>
    Effect.gen(function* () {
      const answers = yield* Effect.forEach(Array.from({ length: 5 }), (_, index) =>
        call("GET", `/v1/calendar/guess${index}.ics`)
      )
      assert.deepStrictEqual(
        answers.map((answer) => answer.status),
        [404, 404, 404, 429, 429]
      )
      assert.isString(answers[3]!.headers.get("retry-after"))
    })
  )
})
