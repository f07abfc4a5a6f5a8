/**
 * The SDK on reports, against a live server: a booking read back as utilisation, as JSON and as
 * CSV (a text answer, not JSON), through the full client and the light one; a bad window and a
 * caller without the permission refused as typed problems.
 */
import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { createClient } from "../src/index.ts"
import { connect, reports } from "../src/lite.ts"
import { bookedVan, memberOf, owner, refusal, scenario, unique } from "./fixtures/Live.ts"

const hour = 3_600_000
const tomorrow = Math.ceil(Date.now() / hour) * hour + 24 * hour

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "reports through the SDK",
  (it) => {
    it.effect("utilisation as JSON and CSV, through the full and the light client", () =>
      scenario(async (url) => {
        const rota = await owner(url, "rep")
        const resource = await bookedVan(rota, tomorrow, 3)
        const window = { from: new Date(tomorrow), to: new Date(tomorrow + 12 * hour) }
        const json = await rota.reports.utilisation({ query: window })
        assert.isFalse(typeof json === "string")
        if (typeof json === "string") return
        assert.strictEqual(json.by, "resource")
        assert.deepStrictEqual(
          json.items.map((row) => [row.resourceId, row.bookedHours, row.availableHours, row.ratio]),
          [[resource.id, 3, 12, 0.25]]
        )

        const csv = await rota.reports.utilisation({ query: { ...window, format: "csv" } })
        assert.strictEqual(
          csv,
          "resourceId,resourceName,unitId,unitBarcode,units,bookings,bookedHours,blackoutHours,availableHours,ratio\r\n" +
            `${resource.id},Van,,,1,1,3,0,12,0.25\r\n`
        )

        // The light client answers the same text, with the session's token and org.
        const light = connect({
          baseUrl: url,
          accessToken: rota.session.accessToken,
          orgId: rota.session.orgId
        })
        // Its JSON answers keep the wire's types (instants as strings), so the text is compared as text.
        const text: unknown = await reports(light).utilisation({ query: { ...window, format: "csv" } })
        assert.strictEqual(text, csv)
      })
    )

    it.effect("a window over a year is 400, a member is 403, both as typed problems", () =>
      scenario(async (url) => {
        const rota = await owner(url, "rpx")
        const problem = await refusal(
          rota.reports.workload({
            query: { from: new Date(tomorrow), to: new Date(tomorrow + 400 * 24 * hour) }
          })
        )
        assert.strictEqual(problem.status, 400)
        const name = `m${unique()}`
        memberOf(
          await rota.members.create({
            headers: {},
            payload: {
              email: `${name}@example.test`,
              username: name,
              fullName: "A Member",
              role: "member",
              password: "Member-Pass-123"
            }
          })
        )
        const member = createClient({ baseUrl: url, orgId: rota.session.orgId })
        await member.auth.login({ payload: { login: name, password: "Member-Pass-123" } })
        assert.strictEqual((await refusal(member.reports.leadTimes({ query: {} }))).status, 403)
      })
    )
  }
)
