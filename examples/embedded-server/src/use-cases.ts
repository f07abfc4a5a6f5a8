/**
 * Uses the domain without HTTP: every use case comes from the core's composition root
 * (`Rota.layer`), on the storage ports and the server's adapters. Registers an organisation,
 * adds a resource with one unit, and books the unit for tomorrow.
 */
import { Auth, Bookings, Ids, RequestContext, Resources, Rota, Units } from "@rota/core"
import { ServerConfig, UseCases } from "@rota/http"
import { Database, Migrations, Storage } from "@rota/storage-pg"
import { DateTime, Effect, Layer, Redacted } from "effect"

// The store: embedded PostgreSQL in memory (pass `url` for PostgreSQL, `dataDir` to keep files).
const store = Migrations.layer.pipe(Layer.provideMerge(Database.layer({})))

// The ports: every storage adapter, the id generator, and the server's password hasher and
// token signer (or your own implementations of `PasswordHasher` and `TokenSigner`).
const ports = Layer.mergeAll(
  Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provide(store)),
  UseCases.adapters.pipe(
    Layer.provide(ServerConfig.ServerConfig.layer({ ...ServerConfig.defaults, dataDir: undefined })),
    Layer.provide(store)
  )
)

// Every use case, wired to each other (booking's freed time goes to the waitlist, ...).
const RotaLive = Rota.layer.pipe(Layer.provide(ports))

const program = Effect.gen(function* () {
  const { account, org } = yield* (yield* Auth.Auth).register({
    email: "ops@example.com",
    username: "ops",
    password: Redacted.make("a long enough passphrase"),
    fullName: "Ops Script",
    orgName: "Night Shift"
  })
  const actor = new RequestContext.Actor({ accountId: account.id, orgId: org.id, role: "owner" })

  return yield* Effect.gen(function* () {
    const resource = yield* (yield* Resources.Resources).create({ name: "Projector", type: "equipment" })
    const unit = yield* (yield* Units.Units).create(resource.id, { barcode: "PRJ-1" })
    const startAt = DateTime.add(yield* DateTime.now, { days: 1 })
    return yield* (yield* Bookings.Bookings).create({
      startAt,
      endAt: DateTime.add(startAt, { hours: 2 }),
      purpose: "Night briefing",
      items: [{ unitId: unit.id }]
    })
  }).pipe(Effect.provideService(RequestContext.CurrentActor, actor))
})

const booking = await Effect.runPromise(program.pipe(Effect.provide(RotaLive)))
console.log(`Booked ${booking.items.length} unit for "${booking.purpose}": ${booking.status}`)
