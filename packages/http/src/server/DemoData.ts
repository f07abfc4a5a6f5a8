/**
 * Demo organisations and accounts, so a first `npm start` has someone to log in as. Loaded on an
 * empty store when `ROTA_DEMO_DATA=true`, or by default on an empty embedded store; never twice.
 *
 * @since 0.1.0
 */
import { Auth, IdentityConfig, Ids, Members, RequestContext, type Role } from "@rota/core"
import { Context, Effect, Layer, Redacted } from "effect"
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

const seed = Effect.gen(function* () {
  const auth = yield* Auth.Auth
  const members = yield* Members.Members
  for (const org of organisations) {
    const [owner, ...others] = org.people
    const registered = yield* auth
      .register({
        email: `${owner!.username}@demo.rota.test`,
        username: owner!.username,
        password: Redacted.make(password),
        fullName: owner!.fullName,
        orgName: org.name
      })
      .pipe(
        Effect.provideService(IdentityConfig.IdentityConfig, {
          ...IdentityConfig.IdentityConfig.defaultValue(),
          signupOpen: true
        })
      )
    const actor = new RequestContext.Actor({
      accountId: registered.account.id,
      orgId: Ids.OrgId.make(registered.org.id),
      role: "owner"
    })
    for (const person of others) {
      yield* members
        .create("member", {
          email: `${person.username}@demo.rota.test`,
          username: person.username,
          fullName: person.fullName,
          role: person.role,
          password: Redacted.make(password)
        })
        .pipe(Effect.provideService(RequestContext.CurrentActor, actor))
    }
  }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  DemoData,
  never,
  ServerConfig | SqlClient.SqlClient | Auth.Auth | Members.Members
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
      yield* Effect.logInfo("demo data loaded")
    }
    const [{ present }] = (yield* Effect.orDie(
      sql<{
        present: boolean
      }>`SELECT EXISTS (SELECT 1 FROM accounts WHERE lower(username) = 'owner1') AS present`
    )) as [{ present: boolean }]
    return { present }
  })
)
