import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted } from "effect"
import * as Bookings from "../src/bookings/Bookings.ts"
import { Account } from "../src/identity/Account.ts"
import { AccountRepo } from "../src/identity/IdentityRepos.ts"
import * as Members from "../src/identity/Members.ts"
import * as Orgs from "../src/identity/Orgs.ts"
import { Resources } from "../src/inventory/Resources.ts"
import { Sites } from "../src/inventory/Sites.ts"
import { Units } from "../src/inventory/Units.ts"
import { AccountId, Ids, nextId } from "../src/kernel/Ids.ts"
import { Actor } from "../src/kernel/RequestContext.ts"
import * as Rota from "../src/Rota.ts"
import * as Reports from "../src/reports/Reports.ts"
import * as MemoryStorage from "../src/testing/MemoryStorage.ts"
import * as IdentityPorts from "./support/IdentityPorts.ts"
import { as } from "./support/UseCases.ts"
import * as WebhookPorts from "./support/WebhookPorts.ts"

// The whole domain, every use case wired as the server wires them, on memory storage: what an
// embedding program (or its tests) runs without a database. The ports stay visible, for the
// owner's account, which a script writes straight to its repository.
const memory = Rota.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, IdentityPorts.layer, WebhookPorts.layer)),
  Layer.provideMerge(Ids.layer)
)

// An account with no password, the owner of a new org (as a script would start one).
const owner = Effect.gen(function* () {
  const account = new Account({
    id: yield* nextId(AccountId),
    email: "ops@example.test",
    username: "ops",
    fullName: "Ops Script",
    phone: null,
    isActive: true,
    createdAt: yield* DateTime.now
  })
  yield* Effect.orDie((yield* AccountRepo).insert(account, null))
  const org = yield* (yield* Orgs.Orgs).create(account.id, { name: "Depot", timezone: "Europe/Paris" })
  return new Actor({ accountId: account.id, orgId: org.id, role: "owner" })
})

layer(memory, { excludeTestServices: true })("Rota.layer on memory storage", (it) => {
  it.effect("inventory, a member's booking approved by the owner, and the hours it books in the report", () =>
    Effect.gen(function* () {
      const boss = yield* owner
      const site = yield* as(boss, (yield* Sites).create({ name: "North yard" }))
      const resource = yield* as(
        boss,
        (yield* Resources).create({ name: "Projector", type: "equipment", siteId: site.id })
      )
      const unit = yield* as(boss, (yield* Units).create(resource.id, { barcode: "PRJ-1" }))
      const member = yield* as(
        boss,
        (yield* Members.Members).create("member", {
          email: "rene@example.test",
          username: "rene",
          fullName: "René Member",
          role: "member",
          password: Redacted.make("a long enough passphrase")
        })
      )
      const rene = new Actor({ accountId: member.accountId, orgId: boss.orgId, role: "member" })

      // Tomorrow, two hours: a member's booking waits for approval.
      const startAt = DateTime.add(yield* DateTime.now, { days: 1 })
      const bookings = yield* Bookings.Bookings
      const asked = yield* as(
        rene,
        bookings.create({
          startAt,
          endAt: DateTime.add(startAt, { hours: 2 }),
          purpose: "Night briefing",
          items: [{ unitId: unit.id }]
        })
      )
      assert.strictEqual(asked.status, "PENDING")
      const approved = yield* as(boss, bookings.approve(asked.id, asked.version))
      assert.deepStrictEqual([approved.status, approved.approvedBy], ["APPROVED", boss.accountId])

      // The day around it: 2 booked hours of the unit's 24.
      const reports = yield* Reports.Reports
      const from = DateTime.subtract(startAt, { hours: 10 })
      const day = { from, to: DateTime.add(from, { hours: 24 }), by: "unit" as const }
      const report = yield* as(boss, reports.utilisation(day))
      assert.deepStrictEqual(report.items, [
        {
          resourceId: resource.id,
          resourceName: "Projector",
          unitId: unit.id,
          unitBarcode: "PRJ-1",
          units: 1,
          bookings: 1,
          bookedHours: 2,
          blackoutHours: 0,
          availableHours: 24,
          ratio: 0.0833
        }
      ])
      // The member may book, not read the org's reports.
      const refused = yield* Effect.flip(as(rene, reports.utilisation(day)))
      assert.strictEqual(refused._tag, "Forbidden")
    })
  )
})
