import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { createClient } from "../src/index.ts"
import { owner, refusal, scenario, unique } from "./fixtures/Live.ts"

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the Promise SDK against a live server: self-service intake",
  (it) => {
    it.effect(
      "a manager reads a unit's link; anyone sends a work request with its token; revoking ends it",
      () =>
        scenario(async (url) => {
          const rota = await owner(url, "intake")
          const resource = await rota.resources.create({
            headers: {},
            payload: { name: "Lift", type: "lift" }
          })
          const unit = await rota.resources.createUnit({
            params: { id: resource.id },
            headers: {},
            payload: { barcode: `IN-${unique()}` }
          })
          const link = await rota.unitIntake.link({ params: { id: unit.id } })
          assert.match(link.qrSvg, /^<svg/)
          const token = decodeURIComponent(link.url.split("/intake/")[1]!)

          // A visitor has no account: a client without credentials.
          const visitor = createClient({ baseUrl: url })
          const receipt = await visitor.intake.submit({
            params: { token },
            payload: { description: "The lift stops between floors", name: "Ana" }
          })
          assert.match(receipt.reference, /^INT-\d+$/)
          const opened = await rota.interventions.list({ query: { resourceId: resource.id } })
          assert.deepStrictEqual(
            opened.items.map((item) => [item.number, item.status, item.unitId]),
            [[receipt.reference, "PENDING", unit.id]]
          )

          await rota.unitIntake.revoke({ params: { id: unit.id } })
          const refused = await refusal(
            visitor.intake.submit({ params: { token }, payload: { description: "Again", name: "Ana" } })
          )
          assert.strictEqual(refused.code, "not_found")
        })
    )
  }
)
