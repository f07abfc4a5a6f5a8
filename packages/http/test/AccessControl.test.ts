/**
 * Generated from the API definition: every endpoint declares what it requires, every role is
 * refused exactly where the permission table says, and every id-taking route refuses another
 * organisation's ids. A new route without a declared requirement, or with an id parameter this
 * file has no fixture for, fails here.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Permissions, Role } from "@rota/core"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Arbitrary, Context, Effect, Option, Schema } from "effect"
import type { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { Api, InputGuard, Requires } from "../src/api.ts"
import { TestServer } from "../src/testing.ts"
import { at, book, bookingOf, resourceWithUnits } from "./fixtures/Bookings.ts"
import { createAvailability, createMission, createProject, at as crewAt, invite } from "./fixtures/Crews.ts"
import { type Answer, addMember, body, call, freshPerson, registerOwner } from "./fixtures/Http.ts"
import { createIntervention, uploadDocument } from "./fixtures/Interventions.ts"
import { createPart, createResource, createSite, createTag, createUnit } from "./fixtures/Inventory.ts"

interface Route {
  readonly group: HttpApiGroup.Top
  readonly endpoint: HttpApiEndpoint.Top
  readonly name: string
}

// The definition's precise types do not matter here: every group and endpoint is walked alike.
const groups = Object.values(Api.groups as unknown as Record<string, HttpApiGroup.Top>)
const routes: ReadonlyArray<Route> = groups.flatMap((group) =>
  Object.values(group.endpoints as unknown as Record<string, HttpApiEndpoint.Top>).map((endpoint) => ({
    group,
    endpoint,
    name: `${endpoint.method} ${endpoint.path}`
  }))
)

const requirementOf = (route: Route): string | undefined =>
  Option.getOrUndefined(
    Option.orElse(Context.getOption(route.endpoint.annotations, Requires), () =>
      Context.getOption(route.group.annotations, Requires)
    )
  )

const isPlatform = (route: Route) => !route.endpoint.path.startsWith("/v1/")

// A valid body for the route, generated from its own payload schema.
const sampleBody = (endpoint: HttpApiEndpoint.Top) =>
  Effect.gen(function* () {
    const entry = [...endpoint.payload.values()][0]
    if (entry === undefined || endpoint.method === "GET" || endpoint.method === "DELETE") return undefined
    const schema = entry.schemas[0] as Schema.Codec<unknown, unknown>
    const encode = Schema.encodeUnknownOption(Schema.toCodecJson(schema))
    const samples = yield* Effect.orDie(Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: 50 }))
    // Some generated instants have no RFC 3339 form (years past 9999), so not every sample encodes.
    // NUL and lone surrogates are valid schema strings but refused as input (PostgreSQL cannot
    // store them); JSON.stringify escapes exactly those, so their escapes mark the samples to skip.
    const encodable = samples.flatMap((sample) => Option.toArray(encode(sample)))
    const encoded = encodable.find((value) => !/\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value)))
    const chosen = (encoded ?? encodable[0]) as unknown
    // Granting a high role has rules of its own (only an owner grants owner); the matrix checks
    // the route's permission, so bodies ask for the lowest role.
    return chosen !== null && typeof chosen === "object" && "role" in chosen
      ? { ...chosen, role: "member" }
      : chosen
  })

const pathWith = (path: string, id: (param: string) => string) =>
  path.replace(/:(\w+)/g, (_, param: string) => id(param))

const unknownId = () => "018f0000-0000-7000-8000-0000000fffff"

// Routes whose use case checks more than the route's guard: the matrix calls them on a real
// record (the lowest role the route reaches), so a check inside the use case that contradicts the
// table fails the matrix; with an unknown id the guard alone would answer.
type Target = (owner: {
  readonly token: string
  readonly orgId: string
}) => Effect.Effect<string, never, TestServer.TestServer>
const realTargets: Record<string, Target> = {
  "DELETE /v1/members/:accountId": (owner) =>
    Effect.map(addMember(owner, "member", "gone"), (m) => m.accountId),
  "DELETE /v1/clients/:id": (owner) => Effect.map(addMember(owner, "member", "gone"), (m) => m.accountId),
  "POST /v1/members/:accountId/deactivate": (owner) =>
    Effect.map(addMember(owner, "member", "suspended"), (m) => m.accountId),
  "DELETE /v1/technicians/:id": (owner) =>
    Effect.map(addMember(owner, "technician", "gone"), (m) => m.accountId)
}

// A check of the definition alone: no server needed.
describe("every route declares what it requires and guards its input", () => {
  for (const route of routes.filter((r) => !isPlatform(r))) {
    const requirement = requirementOf(route)
    it(`${route.name} declares a known requirement (${requirement}) and the input guard`, () => {
      const valid =
        requirement === "public" ||
        requirement === "authenticated" ||
        Schema.is(Permissions.Permission)(requirement?.replace("|own", ""))
      assert.isTrue(valid, `${route.name}: ${requirement}`)
      assert.isTrue(route.endpoint.middlewares.has(InputGuard), `${route.name} lacks InputGuard`)
    })
  }
})

describe("route x role matrix", () => {
  layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 120_000, excludeTestServices: true })(
    "",
    (it) => {
      it.effect("each role is refused exactly the routes its permissions do not cover", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const people = {
            owner,
            admin: yield* addMember(owner, "admin"),
            manager: yield* addMember(owner, "manager"),
            technician: yield* addMember(owner, "technician"),
            member: yield* addMember(owner, "member")
          }
          const mismatches: Array<string> = []
          let checked = 0
          for (const route of routes) {
            const requirement = requirementOf(route)
            if (requirement === undefined || requirement === "public" || requirement === "authenticated")
              continue
            const [permission, own] = requirement.split("|") as [Permissions.Permission, string | undefined]
            const target = realTargets[route.name]
            for (const role of Role.Role.literals) {
              const person = people[role]
              const id = target === undefined ? unknownId() : yield* target(owner)
              const answer: Answer = yield* call(
                route.endpoint.method,
                pathWith(route.endpoint.path, () => id),
                {
                  token: person.token,
                  orgId: owner.orgId,
                  // A key, so routes that require one get as far as the permission check.
                  headers: { "idempotency-key": `matrix-${checked}` },
                  body: yield* sampleBody(route.endpoint)
                }
              )
              checked++
              const allowed = Permissions.allows(role, permission)
              const ownOnly =
                own === "own" &&
                answer.status === 200 &&
                body<{ items: Array<{ accountId: string }> }>(answer).items.every(
                  (item) => item.accountId === person.accountId
                )
              // An "own" route cannot tell whether an unknown id is the caller's: 404, as for
              // someone else's record.
              const ok = allowed
                ? answer.status !== 403 && answer.status < (target === undefined ? 500 : 300)
                : answer.status === 403 || ownOnly || (own === "own" && answer.status === 404)
              if (!ok)
                mismatches.push(`${route.name} as ${role}: ${answer.status} ${answer.text.slice(0, 120)}`)
            }
          }
          assert.isAbove(checked, 50)
          assert.deepStrictEqual(mismatches, [])
        })
      )

      it.effect("authenticated routes refuse anonymous callers with 401", () =>
        Effect.gen(function* () {
          const wrong: Array<string> = []
          for (const route of routes) {
            const requirement = requirementOf(route)
            if (requirement === undefined || requirement === "public") continue
            const answer = yield* call(route.endpoint.method, pathWith(route.endpoint.path, unknownId), {
              body: yield* sampleBody(route.endpoint)
            })
            if (answer.status !== 401) wrong.push(`${route.name}: ${answer.status}`)
          }
          assert.deepStrictEqual(wrong, [])
        })
      )
    }
  )
})

// How to find an id of each kind in an org, for every id parameter a route takes.
type Org = { readonly token: string; readonly orgId: string }
const fixtures: Record<string, (org: Org) => Effect.Effect<string, never, TestServer.TestServer>> = {
  "/v1/members/:accountId": (org) => Effect.map(addMember(org, "manager", "victim"), (m) => m.accountId),
  "/v1/members/:accountId/deactivate": (org) =>
    Effect.map(addMember(org, "manager", "victim"), (m) => m.accountId),
  "/v1/members/:accountId/reactivate": (org) =>
    Effect.map(addMember(org, "manager", "victim"), (m) => m.accountId),
  "/v1/clients/:id": (org) => Effect.map(addMember(org, "member", "client"), (m) => m.accountId),
  "/v1/technicians/:id": (org) => Effect.map(addMember(org, "technician", "tech"), (m) => m.accountId),
  "/v1/invitations/:id/revoke": (org) =>
    Effect.map(
      call("POST", "/v1/invitations", {
        token: org.token,
        orgId: org.orgId,
        body: { email: freshPerson("invitee").email, role: "member" }
      }),
      (answer) => body<{ invitation: { id: string } }>(answer).invitation.id
    ),
  ...inventoryFixtures(),
  ...interventionFixtures(),
  ...bookingFixtures(),
  ...crewFixtures(),
  ...waitlistFixtures()
}

// Projects, missions, assignments, availability windows and rate profiles in the victim org.
function crewFixtures() {
  const project = (org: Org) => Effect.map(createProject(org), (created) => created.id)
  const mission = (org: Org) => Effect.map(createMission(org), (created) => created.id)
  const assignment = (org: Org) =>
    Effect.gen(function* () {
      const person = yield* addMember(org, "technician", "crew")
      return (yield* invite(org, yield* mission(org), person.accountId)).id
    })
  const availability = (org: Org) =>
    Effect.map(
      createAvailability(org, { kind: "UNAVAILABLE", startAt: crewAt(0), endAt: crewAt(8) }),
      (created) => created.id
    )
  const rated = (org: Org) =>
    Effect.gen(function* () {
      const person = yield* addMember(org, "technician", "rated")
      yield* call("PUT", `/v1/members/${person.accountId}/rate-profile`, {
        token: org.token,
        orgId: org.orgId,
        body: { currency: "EUR", hourly: 1000 }
      })
      return person.accountId
    })
  return {
    "/v1/projects/:id": project,
    "/v1/projects/:id/restore": project,
    "/v1/projects/:id/missions/bulk": project,
    "/v1/missions/:id": mission,
    "/v1/missions/:id/restore": mission,
    "/v1/missions/:id/duplicate": mission,
    "/v1/assignments/:id": assignment,
    "/v1/assignments/:id/status": assignment,
    "/v1/availability/:id": availability,
    "/v1/availability/:id/approve": availability,
    "/v1/availability/:id/reject": availability,
    "/v1/members/:accountId/rate-profile": rated
  }
}

// A waiting entry in the victim org, for every waitlist route.
function waitlistFixtures() {
  const entry = (org: Org) =>
    Effect.gen(function* () {
      const resource = yield* createResource(org)
      const unit = yield* createUnit(org, resource.id)
      yield* book(org, { startAt: at(0), endAt: at(1), items: [{ unitId: unit.id }] })
      const joined = yield* call("POST", "/v1/waitlist", {
        token: org.token,
        orgId: org.orgId,
        body: { resourceId: resource.id, startAt: at(0), endAt: at(1), purpose: "Fixture" }
      })
      return body<{ id: string }>(joined).id
    })
  return Object.fromEntries(
    ["", "/offer", "/accept", "/decline", "/cancel", "/refuse", "/expire"].map((suffix) => [
      `/v1/waitlist/:id${suffix}`,
      entry
    ])
  )
}

// A booking (and a fine) in the victim org, for every booking and fine route.
function bookingFixtures() {
  const booking = (org: Org) =>
    Effect.gen(function* () {
      const resource = yield* createResource(org)
      const unit = yield* createUnit(org, resource.id)
      return bookingOf(yield* book(org, { startAt: at(0), endAt: at(1), items: [{ unitId: unit.id }] })).id
    })
  const fine = (org: Org) =>
    Effect.gen(function* () {
      const member = yield* addMember(org, "member", "fined")
      const answer = yield* call("POST", "/v1/fines", {
        token: org.token,
        orgId: org.orgId,
        body: { accountId: member.accountId, amount: 100, reason: "Fixture" }
      })
      return body<{ id: string }>(answer).id
    })
  const entries: Array<[string, (org: Org) => Effect.Effect<string, never, TestServer.TestServer>]> = [
    ["/v1/bookings/:id", booking],
    ["/v1/resources/:id/availability", (org) => Effect.map(createResource(org), (resource) => resource.id)],
    ["/v1/fines/:id", fine],
    ["/v1/fines/:id/waive", fine],
    ["/v1/fines/:id/payments", fine]
  ]
  for (const action of ["cancel", "approve", "reject", "check-out", "return"]) {
    entries.push([`/v1/bookings/:id/${action}`, booking])
  }
  return Object.fromEntries(entries)
}

// An intervention (and a document of it) in the victim org, for every interventions route.
function interventionFixtures() {
  const intervention = (org: Org) => Effect.map(createIntervention(org), (created) => created.id)
  const entries: Array<[string, (org: Org) => Effect.Effect<string, never, TestServer.TestServer>]> = [
    ["/v1/documents/:id", (org) => Effect.flatMap(intervention(org), (id) => uploadDocument(org, id))]
  ]
  for (const suffix of ["", "/restore", "/events", "/assignees", "/parts", "/documents"]) {
    entries.push([`/v1/interventions/:id${suffix}`, intervention])
  }
  return Object.fromEntries(entries)
}

// Each inventory record route, and its state-changing sub-routes, on a fresh record.
function inventoryFixtures() {
  const byId =
    (make: (org: Org) => Effect.Effect<{ readonly id: string }, never, TestServer.TestServer>) =>
    (org: Org) =>
      Effect.map(make(org), (record) => record.id)
  const unit = (org: Org) => Effect.flatMap(createResource(org), (resource) => createUnit(org, resource.id))
  const entries: Array<[string, (org: Org) => Effect.Effect<string, never, TestServer.TestServer>]> = []
  for (const [path, make] of [
    ["/v1/sites", createSite],
    ["/v1/tags", createTag],
    ["/v1/resources", createResource],
    ["/v1/units", unit],
    ["/v1/parts", createPart]
  ] as const) {
    const fixture = byId((org) => make(org))
    entries.push([`${path}/:id`, fixture], [`${path}/:id/restore`, fixture])
  }
  entries.push(["/v1/resources/:id/units", byId((org) => createResource(org))])
  entries.push(["/v1/parts/:id/adjust", byId((org) => createPart(org))])
  return Object.fromEntries(entries)
}

const readBack = (path: string, org: Org) => {
  const readable = path.replace(
    /\/(revoke|restore|deactivate|reactivate|adjust|units|availability|cancel|approve|reject|check-out|return|waive|payments|assignees|duplicate|status|missions\/bulk|offer|accept|decline|refuse|expire)$/,
    ""
  )
  return readable === "/v1/invitations/:id"
    ? undefined
    : (id: string) =>
        call(
          "GET",
          pathWith(readable, () => id),
          { token: org.token, orgId: org.orgId }
        )
}

describe("tenant isolation", () => {
  layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 120_000, excludeTestServices: true })(
    "",
    (it) => {
      it.effect("every id-taking route answers 404 to another org's id and changes nothing", () =>
        Effect.gen(function* () {
          const victim = yield* registerOwner("victim")
          const attacker = yield* registerOwner("attacker")
          const leaks: Array<string> = []
          for (const route of routes) {
            if (!route.endpoint.path.includes(":")) continue
            const fixture = fixtures[route.endpoint.path]
            if (fixture === undefined) {
              leaks.push(`${route.name}: no fixture (add one to this test)`)
              continue
            }
            const id = yield* fixture(victim)
            const read = readBack(route.endpoint.path, victim)
            const before = read === undefined ? undefined : yield* read(id)
            const answer = yield* call(
              route.endpoint.method,
              pathWith(route.endpoint.path, () => id),
              {
                token: attacker.token,
                orgId: attacker.orgId,
                // A key too, so routes that require one get as far as the id.
                headers: {
                  "if-match": '"1"',
                  "idempotency-key": `isolation-${route.name.replace(/[^A-Za-z0-9]/g, "-")}`
                },
                body: yield* sampleBody(route.endpoint)
              }
            )
            if (answer.status !== 404)
              leaks.push(`${route.name}: ${answer.status} ${answer.text.slice(0, 120)}`)
            if (read !== undefined && before !== undefined) {
              const after = yield* read(id)
              if (after.text !== before.text) leaks.push(`${route.name}: changed the victim's record`)
            }
          }
          const invitations = yield* call("GET", "/v1/invitations", {
            token: victim.token,
            orgId: victim.orgId
          })
          const open = body<{ items: Array<{ revokedAt: string | null }> }>(invitations).items
          if (open.some((invitation) => invitation.revokedAt !== null))
            leaks.push("an invitation was revoked from another org")
          assert.deepStrictEqual(leaks, [])
        })
      )
    }
  )
})

for (const store of TestDatabase.stores()) {
  describe(`someone else's record (${store.name})`, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })("", (it) => {
      it.effect(
        "a member reading another member's client record gets 404, exactly as for an unknown id",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const reader = yield* addMember(owner, "member", "reader")
            const other = yield* addMember(owner, "member", "other")
            const read = (id: string) =>
              call("GET", `/v1/clients/${id}`, { token: reader.token, orgId: owner.orgId })
            const others = yield* read(other.accountId)
            const unknown = yield* read(unknownId())
            assert.strictEqual(others.status, 404, others.text)
            const { requestId: _, ...othersProblem } = body<{ requestId: string }>(others)
            const { requestId: __, ...unknownProblem } = body<{ requestId: string }>(unknown)
            assert.deepStrictEqual(othersProblem, unknownProblem)
            assert.notInclude(others.text, other.accountId)
            // Their own record they do see; a technician sees every client.
            assert.strictEqual((yield* read(reader.accountId)).status, 200)
            const technician = yield* addMember(owner, "technician")
            const seen = yield* call("GET", `/v1/clients/${other.accountId}`, {
              token: technician.token,
              orgId: owner.orgId
            })
            assert.strictEqual(seen.status, 200, seen.text)
          })
      )

      it.effect("a member reading another member's booking gets 404", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const reader = yield* addMember(owner, "member", "reader")
          const other = yield* addMember(owner, "member", "other")
          const { unitIds } = yield* resourceWithUnits(owner, 1)
          const booked = yield* book(other, { startAt: at(1), endAt: at(2), items: [{ unitId: unitIds[0] }] })
          assert.strictEqual(booked.status, 201, booked.text)
          const answer = yield* call("GET", `/v1/bookings/${bookingOf(booked).id}`, {
            token: reader.token,
            orgId: owner.orgId
          })
          assert.strictEqual(answer.status, 404, answer.text)
        })
      )
    })
  })
}
