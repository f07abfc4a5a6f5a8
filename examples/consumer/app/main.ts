// A program outside the repository using the published packages as docs/embedding.md and
// docs/sdk.md show them. It is type-checked (strict, NodeNext) and run against the tarballs.
import { Booking, Ids, type Pagination } from "@rota/core"
import { Server, ServerConfig } from "@rota/http"
import { createClient } from "@rota/sdk-client"
import { auth, connect, members as memberList } from "@rota/sdk-client/lite"
import { Database } from "@rota/storage-pg"
import { Effect, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"

// Branded ids are built from strings, and refused when the string is not a UUID.
const accountId: Ids.AccountId = Ids.AccountId.make("0190a4e2-7c1a-7cc4-9a5b-3f2f6a0c4d11")
const bookingId: Booking.BookingId = Booking.BookingId.make("0190a4e2-7c1a-7cc4-9a5b-3f2f6a0c4d12")
let refused = false
try {
  Ids.AccountId.make("not-a-uuid")
} catch {
  refused = true
}

// A page is a real generic type in the declarations, not `any`.
type IsAny<T> = 0 extends 1 & T ? true : false
const pageIsTyped: IsAny<Pagination.Page<number>> = false
const page: Pagination.Page<Ids.AccountId> = { items: [accountId], nextCursor: null }

const settings: ServerConfig.Settings = {
  ...ServerConfig.defaults,
  port: 0,
  accessLog: false,
  jobs: false,
  dataDir: undefined
}
const runtime = ManagedRuntime.make(Server.layer(settings))
const url = await runtime.runPromise(
  Effect.map(Effect.service(HttpServer.HttpServer), (server) => HttpServer.formatAddress(server.address))
)

const rota = createClient({ baseUrl: url })
const health = await rota.health()
const registered = await rota.auth.register({
  payload: {
    email: "kim@example.com",
    username: "kim",
    password: "a long passphrase",
    fullName: "Kim Lee",
    orgName: "Kim's Workshop"
  }
})
await rota.auth.login({ payload: { login: "kim", password: "a long passphrase" } })
rota.session.orgId = registered.org.id
const members = await rota.members.list({ query: {} })

// The light clients, as docs/sdk.md shows them: no Effect code, every page with for await.
const api = connect({ baseUrl: url, orgId: registered.org.id })
await auth(api).login({ payload: { login: "kim", password: "a long passphrase" } })
const liteMembers: Array<string> = []
for await (const member of memberList(api).list({ query: {} })) liteMembers.push(member.username)

await rota.dispose()
await runtime.dispose()

console.log(
  JSON.stringify({
    idRefused: refused,
    bookingId,
    pageIsTyped,
    pageItems: page.items.length,
    storage: typeof Database.layer,
    health: health.status,
    org: registered.org.name,
    liteMembers,
    members: members.items.map((member) => member.username)
  })
)
