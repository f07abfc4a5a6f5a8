/**
 * Schema-driven fuzzing of every route of the API definition: requests built from each
 * endpoint's own schemas (valid values, values at their edges, and hostile ones: wrong types,
 * huge and ill-formed strings, deep nesting, forged cursors, bogus and other tenants' ids) go to
 * a real server, and every answer must be a declared one: never a 5xx, a body that decodes
 * with the endpoint's success or error schema for its status, problem+json on errors.
 *
 * `ROTA_FUZZ_RUNS` sets the number of requests (10,000 by default), `ROTA_FUZZ_SEED` replays a
 * run; the seed of a failing run is in its failure message.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Pagination } from "@rota/core"
import { Arbitrary, Effect, Exit, Schema, SchemaAST } from "effect"
import fc from "fast-check"
import { TestServer } from "../src/testing.ts"
import { type Endpoint, endpoints, fill, literalsOf } from "./fixtures/Endpoints.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createIntervention } from "./fixtures/Interventions.ts"
import { createPart, createResource, createSite, createTag, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

const runs = Number(process.env.ROTA_FUZZ_RUNS ?? 10_000)
const seed = Number(process.env.ROTA_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const concurrency = 16

// Text that has broken servers: quotes, escapes, LIKE and tsquery syntax, NUL, lone surrogates,
// bidi overrides, numbers past every range, dates that do not exist.
const hostileText: ReadonlyArray<string> = [
  "'",
  "' OR '1'='1' --",
  "1; DROP TABLE accounts; --",
  '"',
  "\\",
  "%",
  "_",
  "%_\\%",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff x",
  "&|!():*",
  "!(a & b) | c:*",
  "<script>alert(1)</script>",
  "#{7*7}{{7*7}}",
  "$1",
  "::uuid",
  "null",
  "true",
  "[]",
  "{}",
  "-1",
  "0",
  "1.5",
  "1e309",
  "-9223372036854775809",
  "99999999999999999999999",
  "NaN",
  "2026-02-30T00:00:00Z",
  "10000-01-01T00:00:00Z",
  "2026-01-01T00:00:00",
  ",",
  ",,,",
  " ",
  "",
  "😀",
  "İı",
  "\u202e",
  "x".repeat(300),
  "y".repeat(5_000)
]

// Instants of years 1 to 9999, the range the API's dates cover; the ones past it are among the
// hostile strings.
const instant = fc
  .date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true })
  .map((date) => date.toISOString())

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileText) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) }
)

// Header values must be visible ASCII to be sent at all.
const headerText = fc.oneof(
  fc.constantFrom("", " ", "'", '"1"', '"0"', 'W/"1"', "*", "-1", "x".repeat(300), "%00"),
  fc.stringMatching(/^[\x21-\x7e]{1,64}$/)
)

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, [], {}, -1, 0, 2 ** 31, 2 ** 53 + 1, 1e308),
  fc.jsonValue({ maxDepth: 3 })
)

// Bodies that are not the endpoint's JSON: nested past any limit, truncated, not JSON at all.
const hostileBody = fc.oneof(
  fc.integer({ min: 50, max: 5_000 }).map((depth) => `${"[".repeat(depth)}1${"]".repeat(depth)}`),
  fc
    .integer({ min: 50, max: 5_000 })
    .map((depth) => `{"name":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`),
  fc.constantFrom("", "{", "not json", "null", "[]", '{"__proto__":{"admin":true}}', '"\\u0000"'),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value))
)

interface Fixture {
  readonly owner: { readonly token: string; readonly orgId: string; readonly accountId: string }
  // A manager's session, for the auth routes (a fuzzed logout may end it).
  readonly session: { readonly token: string; readonly orgId: string }
  readonly ownIds: ReadonlyArray<string>
  readonly otherIds: ReadonlyArray<string>
  readonly cursors: ReadonlyArray<string>
}

interface FuzzRequest {
  readonly endpoint: Endpoint
  readonly path: string
  readonly query: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

const seedData = Effect.gen(function* () {
  const owner = yield* registerOwner("fuzz")
  const manager = yield* addMember(owner, "manager", "fuzzmanager")
  const resource = yield* createResource(owner)
  const unit = yield* createUnit(owner, resource.id)
  const site = yield* createSite(owner)
  const tag = yield* createTag(owner)
  const part = yield* createPart(owner)
  const intervention = yield* createIntervention(owner)
  const stranger = yield* registerOwner("fuzzstranger")
  const theirs = yield* createResource(stranger)
  const theirIntervention = yield* createIntervention(stranger)
  // Cursors the server really issued, for tampering.
  const cursors: Array<string> = []
  for (const path of ["/v1/members", "/v1/resources", "/v1/audit", "/v1/interventions?sort=priority"]) {
    const answer = yield* call("GET", `${path}${path.includes("?") ? "&" : "?"}limit=1`, {
      token: owner.token,
      orgId: owner.orgId
    })
    const next = body<{ nextCursor: string | null }>(answer).nextCursor
    if (next !== null) cursors.push(next)
  }
  return {
    owner,
    session: manager,
    ownIds: [
      owner.accountId,
      manager.accountId,
      resource.id,
      unit.id,
      site.id,
      tag.id,
      part.id,
      intervention.id
    ],
    otherIds: [stranger.accountId, stranger.orgId, theirs.id, theirIntervention.id],
    cursors
  } satisfies Fixture
})

// Up to `count` valid values of a schema, encoded as they travel; none if the schema cannot be
// sampled (a value must then come from the hostile side).
const validSamples = (schema: Schema.Top, count: number, sampleSeed: number, json: boolean) =>
  Effect.gen(function* () {
    const arbitrary = yield* Effect.try(() => Arbitrary.schema(schema as Schema.Codec<unknown, unknown>))
    const values = yield* Arbitrary.sampleEffect(arbitrary, { count, seed: sampleSeed, size: 8 })
    const codec = schema as Schema.Codec<unknown, unknown>
    const encode = Schema.encodeUnknownExit(json ? Schema.toCodecJson(codec) : codec)
    return values.flatMap((value) => {
      const encoded = encode(value)
      return Exit.isSuccess(encoded) ? [encoded.value] : []
    })
  }).pipe(Effect.orElseSucceed((): ReadonlyArray<unknown> => []))

const jsonPayloadOf = (endpoint: Endpoint): Schema.Top | undefined => {
  const entry = endpoint.endpoint.payload.get("application/json")
  return entry === undefined ? undefined : (entry.schemas[0] as Schema.Top)
}

const cursorArbitrary = (fixture: Fixture) =>
  fc.oneof(
    fc.constantFrom(...(fixture.cursors.length > 0 ? fixture.cursors : ["AA"])),
    fc
      .constantFrom(...(fixture.cursors.length > 0 ? fixture.cursors : ["AA"]))
      .chain((cursor) =>
        fc.nat({ max: cursor.length - 1 }).map((at) => `${cursor.slice(0, at)}A${cursor.slice(at + 1)}`)
      ),
    fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value)).toString("base64url")),
    fc
      .tuple(
        fc.oneof(hostileJson, fc.constantFrom(1e300, -1, 2 ** 31, 1.5, 2.6e17)),
        fc.oneof(fc.uuid(), hostileString)
      )
      .map((position) => Buffer.from(JSON.stringify(position)).toString("base64url")),
    fc.tuple(fc.string(), fc.uuid()).map((position) => Pagination.encodeCursor(position)),
    hostileString
  )

const requestArbitrary = (
  fixture: Fixture,
  pools: ReadonlyMap<
    Endpoint,
    { readonly query: ReadonlyArray<unknown>; readonly body: ReadonlyArray<unknown> }
  >
): fc.Arbitrary<FuzzRequest> => {
  const ids = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fixture.ownIds) },
    { weight: 2, arbitrary: fc.constantFrom(...fixture.otherIds) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: hostileString }
  )
  const cursor = cursorArbitrary(fixture)
  // An empty segment would name another route (`/v1/projects/` is the list), and so would a dot
  // segment: URL parsing removes `.` and `..` (even as `%2E`), so `/v1/fines/.` reaches the server
  // as `/v1/fines/`. No client can send either as an id.
  const segments = ids.filter((id) => id.length > 0 && id !== "." && id !== "..")
  return fc.constantFrom(...endpoints).chain((endpoint) => {
    const pool = pools.get(endpoint)!
    const queryValue = (name: string): fc.Arbitrary<string> => {
      const literals = literalsOf(endpoint.endpoint.query, name)
      const sampled = pool.query.flatMap((query) => {
        const value = (query as Record<string, unknown>)[name]
        return typeof value === "string" ? [value] : []
      })
      const valid = [
        ...(literals.length > 0
          ? [
              fc.constantFrom(...literals),
              fc.subarray([...literals], { minLength: 1 }).map((list) => list.join(","))
            ]
          : []),
        ...(sampled.length > 0 ? [fc.constantFrom(...sampled)] : []),
        ...(name.endsWith("Id") ? [fc.constantFrom(...fixture.ownIds)] : [])
      ]
      const odd = [
        ...(name === "cursor" ? [cursor] : []),
        ...(name.endsWith("Id") ? [ids] : []),
        fc.integer({ min: -5, max: 200 }).map(String),
        instant,
        hostileString
      ]
      return valid.length === 0
        ? fc.oneof(...odd)
        : fc.oneof({ weight: 3, arbitrary: fc.oneof(...valid) }, { weight: 1, arbitrary: fc.oneof(...odd) })
    }
    const query = fc
      .tuple(
        fc
          .subarray([...endpoint.query])
          .chain((names) =>
            fc.tuple(...names.map((name) => queryValue(name).map((value): [string, string] => [name, value])))
          ),
        // Now and then a parameter no endpoint declares.
        fc.oneof(
          { weight: 9, arbitrary: fc.constant(null) },
          {
            weight: 1,
            arbitrary: fc.tuple(fc.constantFrom("admin", "orgId", "__proto__", "sort[]"), hostileString)
          }
        )
      )
      .map(([pairs, extra]) =>
        new URLSearchParams([...pairs, ...(extra === null ? [] : [[...extra]])]).toString()
      )
    const payload = jsonPayloadOf(endpoint)
    const validBodies = pool.body
    const jsonBody: fc.Arbitrary<string | undefined> =
      payload === undefined
        ? fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileBody })
        : fc.oneof(
            ...(validBodies.length > 0
              ? [
                  {
                    weight: 4,
                    arbitrary: fc.constantFrom(...validBodies).map((value) => JSON.stringify(value))
                  },
                  // One field of a valid body replaced by something hostile.
                  {
                    weight: 4,
                    arbitrary: fc
                      .tuple(fc.constantFrom(...validBodies), hostileJson, fc.nat())
                      .map(([value, replacement, pick]) => {
                        if (value === null || typeof value !== "object" || Array.isArray(value))
                          return JSON.stringify(replacement)
                        const keys = Object.keys(value)
                        const key = keys.length === 0 ? "extra" : keys[pick % keys.length]!
                        return JSON.stringify({ ...value, [key]: replacement })
                      })
                  }
                ]
              : []),
            { weight: 2, arbitrary: hostileBody }
          )
    const auth = fc.oneof(
      { weight: 16, arbitrary: fc.constant("member") },
      { weight: 2, arbitrary: fc.constant("none") },
      { weight: 1, arbitrary: fc.constant("forged") },
      { weight: 1, arbitrary: fc.constant("otherOrg") }
    )
    const headers = fc.record({
      idempotencyKey: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: headerText }
      ),
      ifMatch: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 4, arbitrary: fc.constantFrom('"1"', '"2"') },
        { weight: 1, arbitrary: headerText }
      )
    })
    return fc
      .record({
        params: fc.tuple(...endpoint.pathParams.map(() => segments)),
        query,
        body: jsonBody,
        auth,
        headers
      })
      .map(({ params, query, body, auth, headers }): FuzzRequest => {
        const byParam = new Map(endpoint.pathParams.map((param, index) => [param, params[index]!]))
        const as = endpoint.group === "auth" ? fixture.session : fixture.owner
        const sent: Record<string, string> = {}
        if (auth === "member" || auth === "otherOrg") {
          sent.authorization = `Bearer ${as.token}`
          sent["x-org-id"] = auth === "member" ? as.orgId : fixture.otherIds[1]!
        } else if (auth === "forged") {
          sent.authorization = `Bearer ${as.token.slice(0, -4)}AAAA`
          sent["x-org-id"] = as.orgId
        }
        if (headers.idempotencyKey !== undefined) sent["idempotency-key"] = headers.idempotencyKey
        if (headers.ifMatch !== undefined) sent["if-match"] = headers.ifMatch
        if (body !== undefined) sent["content-type"] = "application/json"
        return {
          endpoint,
          path: fill(endpoint.path, (param) => byParam.get(param)!),
          query,
          headers: sent,
          body: endpoint.method === "GET" ? undefined : body
        }
      })
  })
}

// A response declared with headers (an `ETag`) is checked by its body's schema.
const withHeaders = SchemaAST.resolveAt<{ readonly body: Schema.Top }>("~httpApiWithHeaders")
const bodySchemaOf = (schema: Schema.Top): Schema.Top => withHeaders(schema.ast)?.body ?? schema

// Bodies travel as JSON, so they are read with each schema's JSON codec, as the server wrote them.
const decoders = new Map<Schema.Top, (input: unknown) => Exit.Exit<unknown, unknown>>()
const decoderOf = (schema: Schema.Top) => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = Schema.decodeUnknownExit(
      Schema.toCodecJson(bodySchemaOf(schema) as Schema.Codec<unknown, unknown>)
    )
    decoders.set(schema, decoder)
  }
  return decoder
}

const decodes = (schemas: ReadonlyArray<Schema.Top>, value: unknown) =>
  schemas.some((schema) => Exit.isSuccess(decoderOf(schema)(value)))

// What is wrong with an answer, or undefined if it is one the endpoint declares.
const verdict = (
  request: FuzzRequest,
  status: number,
  contentType: string,
  text: string
): string | undefined => {
  if (status >= 500) return `server error ${status}`
  if (status === 304) return undefined
  const declared = (status >= 400 ? request.endpoint.errors : request.endpoint.successes).get(status)
  if (declared === undefined) return `undeclared status ${status}`
  if (status >= 400 && contentType !== "application/problem+json")
    return `error ${status} as ${contentType || "no content type"}`
  if (!contentType.includes("json")) return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return "body is not JSON"
  }
  return decodes(declared, json) ? undefined : `body does not match the declared ${status} schema`
}

const describeRequest = (request: FuzzRequest) => {
  const { authorization: _, ...headers } = request.headers
  return `${request.endpoint.method} ${request.path}${request.query === "" ? "" : `?${request.query}`} ${JSON.stringify(headers)} ${(request.body ?? "").slice(0, 200)}`
}

for (const store of Stores.everyStore()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })("fuzzing", (it) => {
      it.effect(
        "every route answers generated requests with a declared answer, never a server error",
        () =>
          Effect.gen(function* () {
            const { url } = yield* TestServer.TestServer
            const fixture = yield* seedData
            const pools = new Map<Endpoint, { query: ReadonlyArray<unknown>; body: ReadonlyArray<unknown> }>()
            for (const endpoint of endpoints) {
              const payload = jsonPayloadOf(endpoint)
              pools.set(endpoint, {
                query:
                  endpoint.endpoint.query === undefined
                    ? []
                    : yield* validSamples(endpoint.endpoint.query, 10, seed, false),
                body: payload === undefined ? [] : yield* validSamples(payload, 10, seed, true)
              })
            }
            const requests = fc.sample(requestArbitrary(fixture, pools), { seed, numRuns: runs })
            const failures: Array<string> = []
            const statuses = new Map<number, number>()
            yield* Effect.forEach(
              requests,
              (request) =>
                Effect.promise(async () => {
                  const response = await fetch(
                    `${url}${request.path}${request.query === "" ? "" : `?${request.query}`}`,
                    {
                      method: request.endpoint.method,
                      headers: request.headers,
                      ...(request.body === undefined ? {} : { body: request.body })
                    }
                  )
                  const text = await response.text()
                  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
                  const wrong = verdict(
                    request,
                    response.status,
                    response.headers.get("content-type") ?? "",
                    text
                  )
                  if (wrong !== undefined)
                    failures.push(`${wrong}: ${describeRequest(request)} -> ${text.slice(0, 300)}`)
                }),
              { concurrency, discard: true }
            )
            console.log(
              `fuzz: ${runs} requests, seed ${seed}, statuses ${JSON.stringify([...statuses].sort())}`
            )
            assert.strictEqual(requests.length, runs)
            assert.deepStrictEqual(
              failures.slice(0, 20),
              [],
              `ROTA_FUZZ_SEED=${seed}: ${failures.length} of ${runs} answers were not declared ones`
            )
            // Most requests must get past validation into the use cases, or the run proves little;
            // and some must succeed. Every route guarded by a permission the caller's role lacks
            // lowers the share of successes, so that share is a floor, not a target.
            const count = (keep: (status: number) => boolean) =>
              [...statuses].filter(([status]) => keep(status)).reduce((sum, [, n]) => sum + n, 0)
            const report = `ROTA_FUZZ_SEED=${seed}: statuses ${JSON.stringify([...statuses])}`
            assert.isAbove(
              count((status) => status !== 400 && status !== 415),
              runs / 2,
              report
            )
            assert.isAbove(
              count((status) => status < 300),
              runs / 40,
              report
            )
          }),
        { timeout: 600_000 }
      )
    })
  })
}
