/**
 * Actions whose payload is optional (every field optional) or absent are called without a body
 * by most clients: with no body and no Content-Type, or with an empty body marked as JSON. The
 * list is generated from the API definition, so a new action route is covered as it lands.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import type { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { Api } from "../src/api.ts"
import { TestServer } from "../src/testing.ts"
import { createMission } from "./fixtures/Crews.ts"
import { addMember, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

const endpoints = Object.values(Api.groups as unknown as Record<string, HttpApiGroup.Top>).flatMap((group) =>
  Object.values(group.endpoints as unknown as Record<string, HttpApiEndpoint.Top>)
)

// A POST that needs nothing sent: no payload, or one that takes `{}`.
const needsNoBody = (endpoint: HttpApiEndpoint.Top) => {
  if (endpoint.method !== "POST") return false
  const entry = [...endpoint.payload.values()][0]
  if (entry === undefined) return true
  const schema = Schema.Union(entry.schemas as ReadonlyArray<Schema.Codec<unknown, unknown>>)
  return Option.isSome(Schema.decodeUnknownOption(schema)({}))
}

const actions = endpoints.filter(needsNoBody)

// The two ways a client sends "nothing".
const emptyBodies = {
  "no body, no Content-Type": {},
  "empty body as JSON": { contentType: "application/json", body: "" }
} as const

const post = (
  path: string,
  options: {
    token: string
    orgId?: string
    headers?: Record<string, string>
    contentType?: string
    body?: string
  }
) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token}`,
      "idempotency-key": crypto.randomUUID(),
      ...options.headers
    }
    if (options.orgId !== undefined) headers["x-org-id"] = options.orgId
    if (options.contentType !== undefined) headers["content-type"] = options.contentType
    const response = yield* Effect.promise(() =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers,
        ...(options.body === undefined ? {} : { body: options.body })
      })
    )
    return { status: response.status, text: yield* Effect.promise(() => response.text()) }
  })

const unknownId = "018f0000-0000-7000-8000-0000000fffff"

for (const store of Stores.stores()) {
  describe(`action routes with nothing to send (${store.name})`, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })("", (it) => {
      it.effect("every action route whose payload is optional accepts no body and an empty JSON body", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const refused: Array<string> = []
          for (const endpoint of actions) {
            for (const [how, empty] of Object.entries(emptyBodies)) {
              const path = endpoint.path.replace(/:(\w+)/g, unknownId)
              const answer = yield* post(path, { token: owner.token, orgId: owner.orgId, ...empty })
              // An unknown id may be 404, a missing token 401: anything but refusing the body.
              if (answer.status === 400 || answer.status === 415 || answer.status >= 500)
                refused.push(
                  `${endpoint.method} ${endpoint.path} (${how}): ${answer.status} ${answer.text.slice(0, 120)}`
                )
            }
          }
          assert.isAtLeast(actions.length, 5)
          assert.deepStrictEqual(refused, [])
        })
      )

      it.effect("logout, refresh and duplicate do their work when sent no body", () =>
        Effect.gen(function* () {
          for (const [how, empty] of Object.entries(emptyBodies)) {
            const owner = yield* registerOwner()
            const mission = yield* createMission(owner)
            const duplicated = yield* post(`/v1/missions/${mission.id}/duplicate`, {
              token: owner.token,
              orgId: owner.orgId,
              ...empty
            })
            assert.strictEqual(duplicated.status, 201, `${how}: ${duplicated.text}`)
            const member = yield* addMember(owner, "member")
            const refreshed = yield* post("/v1/auth/refresh", {
              token: member.token,
              headers: { cookie: `rota_refresh=${member.refreshToken}`, "x-requested-with": "rota" },
              ...empty
            })
            assert.strictEqual(refreshed.status, 200, `${how}: ${refreshed.text}`)
            const loggedOut = yield* post("/v1/auth/logout", { token: member.token, ...empty })
            assert.strictEqual(loggedOut.status, 204, `${how}: ${loggedOut.text}`)
          }
        })
      )
    })
  })
}
