/**
 * Demo organisations, accounts and inventory (a site, tags, resources with units, a part and a
 * booking), so a first `npm start` has someone to log in as and something to look at. Loaded on an
 * empty store when `ROTA_DEMO_DATA=true`, or by default on an empty embedded store; never twice.
 *
 * @since 0.1.0
 */
import {
  Auth,
  Bookings,
  IdentityConfig,
  Ids,
  Members,
  Parts,
  RequestContext,
  Resources,
  type Role,
  Sites,
  Tags,
  Units
} from "@rota/core"
import { Clock, Context, DateTime, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { ServerConfig } from "./ServerConfig.ts"

/**
 * The password of every demo account (it passes the password policy).
 *
 * @since 0.1.0
 * @category demo
 */
export const password = "rota-demo-2026"

const organisations: ReadonlyArray<{
  readonly name: string
  readonly people: ReadonlyArray<{
    readonly username: string
    readonly role: Role.Role
    readonly fullName: string
  }>
}> = [
  {
    name: "Garage Deplano",
    people: [
      { username: "owner1", role: "owner", fullName: "Olivia Owner" },
      { username: "admin1", role: "admin", fullName: "Adam Admin" },
      { username: "manager1", role: "manager", fullName: "Mona Manager" },
      { username: "tech1", role: "technician", fullName: "Theo Technician" },
      { username: "cat", role: "member", fullName: "Cat Client" }
    ]
  },
  {
    name: "Atelier Alex",
    people: [
      { username: "owner2", role: "owner", fullName: "Oscar Owner" },
      { username: "admin2", role: "admin", fullName: "Ada Admin" },
      { username: "manager2", role: "manager", fullName: "Max Manager" },
      { username: "tech2", role: "technician", fullName: "Tess Technician" },
      { username: "alex", role: "member", fullName: "Alex Client" }
    ]
  }
]

/**
 * The demo logins, for the start-up banner.
 *
 * @since 0.1.0
 * @category demo
 */
export const logins = organisations.flatMap((org) =>
  org.people.map((person) => ({ org: org.name, username: person.username, role: person.role }))
)

/**
 * Whether the demo accounts exist on this store.
 *
 * @since 0.1.0
 * @category services
 */
export class DemoData extends Context.Service<DemoData, { readonly present: boolean }>()(
  "@rota/http/DemoData"
) {}

// The demo owners sign up even where sign-up is closed to everyone else. `Auth` reads its settings
// when it is built, so the loader builds its own, over the same stores, to register them (fresh:
// the server's layers are memoized, and `Auth.layer` would be the server's `Auth`).
const demoAuth = Layer.fresh(Auth.layer).pipe(
  Layer.provide(
    Layer.succeed(IdentityConfig.IdentityConfig, {
      ...IdentityConfig.IdentityConfig.defaultValue(),
      signupOpen: true
    })
  )
)

const seed = Effect.gen(function* () {
  const auth = yield* Auth.Auth
  const members = yield* Members.Members
  for (const org of organisations) {
    const [owner, ...others] = org.people
    const registered = yield* auth.register({
      email: `${owner!.username}@demo.rota.test`,
      username: owner!.username,
      password: Redacted.make(password),
      fullName: owner!.fullName,
      orgName: org.name
    })
    const actor = new RequestContext.Actor({
      accountId: registered.account.id,
      orgId: Ids.OrgId.make(registered.org.id),
      role: "owner"
    })
    const client = yield* Effect.forEach(others, (person) =>
      members
        .create("member", {
          email: `${person.username}@demo.rota.test`,
          username: person.username,
          fullName: person.fullName,
          role: person.role,
          password: Redacted.make(password)
        })
        .pipe(Effect.provideService(RequestContext.CurrentActor, actor))
    ).pipe(Effect.map((created) => created.find((member) => member.role === "member")))
    yield* inventory(org.name).pipe(Effect.provideService(RequestContext.CurrentActor, actor))
    if (client !== undefined) {
      yield* firstBooking.pipe(
        Effect.provideService(
          RequestContext.CurrentActor,
          new RequestContext.Actor({ accountId: client.accountId, orgId: actor.orgId, role: "member" })
        )
      )
    }
  }
}).pipe(Effect.provide(demoAuth))

// Something to look at and book: a site, tags, two resources with two units each, a part.
const inventory = (orgName: string) =>
  Effect.gen(function* () {
    const sites = yield* Sites.Sites
    const tags = yield* Tags.Tags
    const resources = yield* Resources.Resources
    const units = yield* Units.Units
    const parts = yield* Parts.Parts
    const site = yield* sites.create({ name: `${orgName} workshop`, address: "1 Demo Street" })
    yield* tags.create({ name: "Portable" })
    yield* tags.create({ name: "Diagnostics" })
    const kits = [
      { name: "Diagnostic scanner", type: "tool", tags: ["Diagnostics", "Portable"], code: "SCAN" },
      { name: "Courtesy car", type: "vehicle", tags: [], code: "CAR" }
    ]
    for (const kit of kits) {
      const resource = yield* resources.create({
        name: kit.name,
        type: kit.type,
        siteId: site.id,
        tags: kit.tags
      })
      for (const n of [1, 2]) yield* units.create(resource.id, { barcode: `${kit.code}-${n}` })
    }
    yield* parts.create({
      sku: "OIL-5W30",
      name: "Engine oil 5W-30, 1 l",
      quantityOnHand: 24,
      reorderLevel: 6,
      unitPrice: { amount: 1290, currency: "EUR" }
    })
  })

// The client's booking of the courtesy car, tomorrow from 9:00 to 12:00 UTC.
const firstBooking = Effect.gen(function* () {
  const resources = yield* Resources.Resources
  const bookings = yield* Bookings.Bookings
  const [car] = (yield* resources.list({ limit: 1, filters: { types: ["vehicle"] } })).items
  if (car === undefined) return
  const tomorrow = DateTime.startOf(
    DateTime.add(DateTime.makeUnsafe(yield* Clock.currentTimeMillis), { days: 1 }),
    "day"
  )
  yield* bookings.create({
    startAt: DateTime.add(tomorrow, { hours: 9 }),
    endAt: DateTime.add(tomorrow, { hours: 12 }),
    purpose: "Courtesy car while my van is serviced",
    items: [{ resourceId: car.id }]
  })
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  DemoData,
  never,
  | ServerConfig
  | SqlClient.SqlClient
  | Layer.Services<typeof Auth.layer>
  | Members.Members
  | Sites.Sites
  | Tags.Tags
  | Resources.Resources
  | Units.Units
  | Parts.Parts
  | Bookings.Bookings
> = Layer.effect(
  DemoData,
  Effect.gen(function* () {
    const config = yield* ServerConfig
    const sql = yield* SqlClient.SqlClient
    const [{ accounts }] = (yield* Effect.orDie(
      sql<{ accounts: number }>`SELECT count(*)::int AS accounts FROM accounts`
    )) as [{ accounts: number }]
    const wanted = config.demoData ?? config.databaseUrl === undefined
    if (wanted && accounts === 0) {
      yield* Effect.orDie(seed)
      // The banner lists the demo logins; this line is for debugging only.
      yield* Effect.logDebug("demo data loaded")
    }
    const [{ present }] = (yield* Effect.orDie(
      sql<{
        present: boolean
      }>`SELECT EXISTS (SELECT 1 FROM accounts WHERE lower(username) = 'owner1') AS present`
    )) as [{ present: boolean }]
    return { present }
  })
)
