/**
 * Generated from the API definition: every endpoint declares what it requires, every role is
 * refused exactly where the permission table says, and every id-taking route refuses another
 * organisation's ids. A new route without a declared requirement, or with an id parameter this
 * file has no fixture for, fails here.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Permissions, Role } from "@rota/core"
import { Arbitrary, Context, Effect, Option, Schema } from "effect"
import type { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { vi } from "vitest"
import { Api, InputGuard, Requires } from "../src/api.ts"
import { TestServer } from "../src/testing.ts"
import { at, book, bookingOf, resourceWithUnits } from "./fixtures/Bookings.ts"
import { createAvailability, createMission, createProject, at as crewAt, invite } from "./fixtures/Crews.ts"
import { type Answer, addMember, body, call, freshPerson, registerOwner } from "./fixtures/Http.ts"
import { createIntervention, uploadDocument } from "./fixtures/Interventions.ts"
import { createPart, createResource, createSite, createTag, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

interface Route {
  readonly group: HttpApiGroup.Top
  readonly endpoint: HttpApiEndpoint.Top
  readonly name: string
}

// The definition's precise types do not matter here: every group and endpoint is walked alike.
// The sweeps below call every route (as every role): they grow with the API and crawl on a
// loaded machine, so they get more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 })

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

// A valid body for the route, generated from its own payload schema with a seed of the route's
// own, so every run sends the same bodies. Only samples the server's decoder accepts are kept:
// some generated instants have no RFC 3339 form (years past 9999) and some strings hold NUL or lone
// surrogates (valid schema strings, refused as input since PostgreSQL cannot store them). A body
// the server would refuse with 400 before the permission check would hide the check under test.
const sampleBody = (endpoint: HttpApiEndpoint.Top) =>
  Effect.gen(function* () {
    const entry = [...endpoint.payload.values()][0]
    if (entry === undefined || endpoint.method === "GET" || endpoint.method === "DELETE") return undefined
    const schema = entry.schemas[0] as Schema.Codec<unknown, unknown>
    const json = Schema.toCodecJson(schema)
    const encode = Schema.encodeUnknownOption(json)
    const decodes = (value: unknown) => Option.isSome(Schema.decodeUnknownOption(json)(value))
    const storable = (value: unknown) => !/\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value))
    let chosen: unknown
    for (let round = 0; chosen === undefined && round < 20; round++) {
      const samples = yield* Effect.orDie(
        Arbitrary.sampleEffect(Arbitrary.schema(schema), { count: 50, seed: `${endpoint.path}#${round}` })
      )
      chosen = samples
        .flatMap((sample) => Option.toArray(encode(sample)))
        .find((value) => decodes(value) && storable(value))
    }
    if (chosen === undefined) return yield* Effect.die(`no sendable sample body for ${endpoint.path}`)
    // Granting a high role has rules of its own (only an owner grants owner); the matrix checks
    // the route's permission, so bodies ask for the lowest role. Likewise a window entered for
    // someone else is for managers only (SeedRules.test.ts): bodies enter the caller's own.
    if (chosen === null || typeof chosen !== "object") return chosen
    if ("role" in chosen) return { ...chosen, role: "member" }
    // Likewise a key's scopes must be the caller's own (ApiKeys.test.ts): bodies ask for one all roles hold.
    if (endpoint.path === "/v1/api-keys" && "scopes" in chosen) return { ...chosen, scopes: ["org.read"] }
    if (endpoint.path === "/v1/availability" && "accountId" in chosen) {
      const { accountId: _, ...own } = chosen as Record<string, unknown>
      return own
    }
    return chosen
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
    Effect.map(addMember(owner, "technician", "gone"), (m) => m.accountId),
  "GET /v1/maintenance-plans/:id": (owner) => maintenancePlan(owner),
  "GET /v1/maintenance-plans/:id/occurrences": (owner) => maintenancePlan(owner),
  "POST /v1/maintenance-plans/:id/pause": (owner) => maintenancePlan(owner),
  "POST /v1/maintenance-plans/:id/resume": (owner) => maintenancePlan(owner),
  "GET /v1/units/:id/intake": (owner) => Effect.map(resourceWithUnits(owner, 1), (made) => made.unitIds[0]!),
  "POST /v1/units/:id/intake/revoke": (owner) =>
    Effect.map(resourceWithUnits(owner, 1), (made) => made.unitIds[0]!),
  "GET /v1/blackouts/:id": (owner) => blackout(owner),
  "DELETE /v1/blackouts/:id": (owner) => blackout(owner),
  "GET /v1/api-keys/:id": (owner) => apiKey(owner),
  "DELETE /v1/api-keys/:id": (owner) => apiKey(owner)
}

// A live API key of the org, made by its owner.
function apiKey(org: { readonly token: string; readonly orgId: string }) {
  return Effect.map(
    call("POST", "/v1/api-keys", {
      token: org.token,
      orgId: org.orgId,
      body: { name: "Matrix key", scopes: ["org.read"] }
    }),
    (answer) => body<{ apiKey: { id: string } }>(answer).apiKey.id
  )
}

// A live plan on a new resource of the org, created by its owner.
function maintenancePlan(org: { readonly token: string; readonly orgId: string }) {
  return Effect.gen(function* () {
    const resource = yield* createResource(org)
    const answer = yield* call("POST", "/v1/maintenance-plans", {
      token: org.token,
      orgId: org.orgId,
      body: {
        title: "Matrix plan",
        resourceId: resource.id,
        startsOn: "2031-01-01",
        recurrence: { type: "interval", every: 1, unit: "month" }
      }
    })
    return body<{ id: string }>(answer).id
  })
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
  layer(TestServer.layer(Stores.stores()[0]!.layer), { timeout: 120_000, excludeTestServices: true })(
    "",
    (it) => {
      it.effect(
        "each role is refused exactly the routes its permissions do not cover",
        () =>
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
          }),
        // Hundreds of calls, some creating a record for each role: slow on a loaded machine.
        180_000
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
  ...webhookFixtures(),
  // A part taken to its reorder level notifies the owner.
  "/v1/notifications/:id/read": (org) =>
    Effect.gen(function* () {
      const part = yield* call("POST", "/v1/parts", {
        token: org.token,
        orgId: org.orgId,
        body: {
          sku: `N-${Math.random().toString(36).slice(2, 8)}`,
          name: "Fuse",
          quantityOnHand: 1,
          unitPrice: { amount: 10, currency: "EUR" }
        }
      })
      yield* call("POST", `/v1/parts/${body<{ id: string }>(part).id}/adjust`, {
        token: org.token,
        orgId: org.orgId,
        body: { delta: -1, reason: "used" }
      })
      // The outbox holds every earlier test's messages too: deliver until it is empty.
      const { deliverOutbox } = yield* TestServer.TestServer
      for (let batch = 0; batch < 100 && (yield* deliverOutbox) > 0; batch++);
      const listed = yield* call("GET", "/v1/notifications", { token: org.token, orgId: org.orgId })
      return body<{ items: ReadonlyArray<{ id: string }> }>(listed).items[0]!.id
    }),
  ...inventoryFixtures(),
  ...interventionFixtures(),
  ...bookingFixtures(),
  ...crewFixtures(),
  ...waitlistFixtures(),
  ...maintenanceFixtures(),
  "/v1/booking-series/:id": bookingSeries,
  "/v1/booking-series/:id/cancel": bookingSeries,
  "/v1/blackouts/:id": blackout,
  ...calendarFixtures(),
  "/v1/api-keys/:id": apiKey
}

// A blackout on a new unit of the org, set by its owner.
function blackout(org: Org) {
  return Effect.gen(function* () {
    const unit = yield* createUnit(org, (yield* createResource(org)).id)
    const answer = yield* call("POST", "/v1/blackouts", {
      token: org.token,
      orgId: org.orgId,
      body: { scope: "unit", scopeId: unit.id, startAt: at(0), endAt: at(1), reason: "Fixture" }
    })
    return body<{ id: string }>(answer).id
  })
}

// A two-day booking series on a new unit of the org, starting on a whole minute.
function bookingSeries(org: Org) {
  return Effect.gen(function* () {
    const unit = yield* createUnit(org, (yield* createResource(org)).id)
    const start = Math.ceil((Date.now() + 86_400_000) / 60_000) * 60_000
    const answer = yield* call("POST", "/v1/booking-series", {
      token: org.token,
      orgId: org.orgId,
      headers: { "idempotency-key": `series-${start}-${Math.random()}` },
      body: {
        purpose: "Fixture",
        startAt: new Date(start).toISOString(),
        endAt: new Date(start + 3_600_000).toISOString(),
        items: [{ unitId: unit.id }],
        rule: "FREQ=DAILY;COUNT=2"
      }
    })
    return body<{ id: string }>(answer).id
  })
}

// A feed of the victim's own time; the public route gets the feed's id as if it were a token.
function calendarFixtures() {
  const feed = (org: Org) =>
    Effect.gen(function* () {
      const me = body<{ account: { id: string } }>(yield* call("GET", "/v1/auth/me", { token: org.token }))
      const answer = yield* call("POST", "/v1/calendar-feeds", {
        token: org.token,
        orgId: org.orgId,
        body: { kind: "person", subjectId: me.account.id }
      })
      return body<{ id: string }>(answer).id
    })
  return {
    "/v1/calendar-feeds/:id": feed,
    "/v1/calendar/:file": (org: Org) => Effect.map(feed(org), (id) => `${id}.ics`)
  }
}

// A maintenance plan in the victim org, for every plan route.
function maintenanceFixtures() {
  return Object.fromEntries(
    ["", "/restore", "/pause", "/resume", "/occurrences"].map((suffix) => [
      `/v1/maintenance-plans/:id${suffix}`,
      maintenancePlan
    ])
  )
}

// A webhook endpoint in the victim org (and a delivery of it, for redelivery).
function webhookFixtures() {
  const webhook = (org: Org) =>
    Effect.map(
      call("POST", "/v1/webhooks", {
        token: org.token,
        orgId: org.orgId,
        body: { url: "https://93.184.215.14/hook", topics: ["*"] }
      }),
      (answer) => body<{ webhook: { id: string } }>(answer).webhook.id
    )
  return Object.fromEntries(
    ["", "/rotate-secret", "/deliveries", "/deliveries/:deliveryId/redeliver"].map((suffix) => [
      `/v1/webhooks/:id${suffix}`,
      webhook
    ])
  )
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
  for (const suffix of ["", "/restore", "/events", "/timeline", "/assignees", "/parts", "/documents"]) {
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
  entries.push(["/v1/units/:id/intake", byId(unit)], ["/v1/units/:id/intake/revoke", byId(unit)])
  return Object.fromEntries(entries)
}

const readBack = (path: string, org: Org) => {
  // A notification has no route of its own: the victim's inbox shows whether it was read.
  if (path === "/v1/notifications/:id/read")
    return () => call("GET", "/v1/notifications", { token: org.token, orgId: org.orgId })
  // A revoked intake link moves the unit's link generation on. Its signed token is made afresh
  // on each read (it names the second it was signed in), so the generation is what is compared.
  if (path === "/v1/units/:id/intake/revoke" || path === "/v1/units/:id/intake")
    return (id: string) =>
      Effect.map(call("GET", `/v1/units/${id}/intake`, { token: org.token, orgId: org.orgId }), (answer) => ({
        ...answer,
        text: String(body<{ generation: number }>(answer).generation)
      }))
  // A posted event would show in the intervention's timeline.
  if (path === "/v1/interventions/:id/timeline")
    return (id: string) =>
      call("GET", `/v1/interventions/${id}/events`, { token: org.token, orgId: org.orgId })
  const readable = path.replace(
    /\/(revoke|restore|deactivate|reactivate|adjust|units|availability|cancel|approve|reject|check-out|return|waive|payments|assignees|duplicate|status|missions\/bulk|offer|accept|decline|refuse|expire|rotate-secret|deliveries|deliveries\/:deliveryId\/redeliver|pause|resume)$/,
    ""
  )
  return readable === "/v1/invitations/:id" || readable === "/v1/calendar/:file"
    ? undefined
    : (id: string) =>
        call(
          "GET",
          pathWith(readable, () => id),
          { token: org.token, orgId: org.orgId }
        )
}

describe("tenant isolation", () => {
  layer(TestServer.layer(Stores.stores()[0]!.layer), { timeout: 120_000, excludeTestServices: true })(
    "",
    (it) => {
      it.effect("every id-taking route answers 404 to another org's id and changes nothing", () =>
        Effect.gen(function* () {
          const victim = yield* registerOwner("victim")
          const attacker = yield* registerOwner("attacker")
          const leaks: Array<string> = []
          for (const route of routes) {
            if (!route.endpoint.path.includes(":")) continue
            // A public route's parameter is a capability, not an org's record: the intake link's
            // token has tests of its own (Intake.test.ts).
            if (requirementOf(route) === "public") continue
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

for (const store of Stores.stores()) {
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
