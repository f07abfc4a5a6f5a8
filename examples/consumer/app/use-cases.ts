// docs/embedding.md, "Call the use cases directly": type-checked and run against the packed packages.
import { Account, IdentityRepos, Ids, Orgs, RequestContext } from "@rota/core"
import { Database, Migrations, Storage } from "@rota/storage-pg"
import { DateTime, Effect, Layer } from "effect"

// The store: embedded PostgreSQL in memory (pass `url` for PostgreSQL, `dataDir` to keep files).
const store = Migrations.layer.pipe(Layer.provideMerge(Database.layer({})))

// The ports: every storage adapter, and the id generator.
const ports = Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provide(store))

// The use case, on its ports.
const OrgsLive = Orgs.layer.pipe(Layer.provideMerge(ports))

const program = Effect.gen(function* () {
  const accounts = yield* IdentityRepos.AccountRepo
  const orgs = yield* Orgs.Orgs

  const account = new Account.Account({
    id: yield* Ids.nextId(Ids.AccountId),
    email: "ops@example.com",
    username: "ops",
    fullName: "Ops Script",
    phone: null,
    isActive: true,
    createdAt: yield* DateTime.now
  })
  yield* accounts.insert(account, null) // no password: this account cannot log in

  const org = yield* orgs.create(account.id, { name: "Night Shift", timezone: "Europe/Paris" })

  const actor = new RequestContext.Actor({ accountId: account.id, orgId: org.id, role: "owner" })
  return yield* orgs
    .update(org.version, { name: "Night Shift Crew" })
    .pipe(Effect.provideService(RequestContext.CurrentActor, actor))
})

const updated = await Effect.runPromise(program.pipe(Effect.provide(OrgsLive)))
console.log(updated.name, updated.version) // Night Shift Crew 2
