import { assert, describe, it } from "@effect/vitest"
import * as CachePolicy from "../src/server/edge/CachePolicy.ts"

describe("CachePolicy", () => {
  it("shares inventory, projects, missions, plans and the org by role", () => {
    for (const path of [
      "/v1/org",
      "/v1/tags",
      "/v1/sites/site_1",
      "/v1/resources",
      "/v1/resources/res_1/units",
      "/v1/units/unit_1",
      "/v1/projects/prj_1",
      "/v1/missions",
      "/v1/maintenance-plans/plan_1/occurrences"
    ]) {
      assert.strictEqual(CachePolicy.sharingOf(path), "role", path)
    }
  })

  it("keeps every other org route per account, a route added later included", () => {
    for (const path of [
      "/v1/bookings",
      "/v1/fines/fine_1",
      "/v1/waitlist/mine",
      "/v1/assignments",
      "/v1/availability",
      "/v1/members",
      "/v1/clients/acc_1",
      "/v1/resources/res_1/availability",
      "/v1/interventions",
      "/v1/some-future-route"
    ]) {
      assert.strictEqual(CachePolicy.sharingOf(path), "account", path)
    }
  })

  it("never keeps notifications, the caller's own settings, the audit trail, downloads, reports or routes outside /v1", () => {
    for (const path of [
      "/v1/notifications",
      "/v1/notifications/unread-count",
      "/v1/me/notification-preferences",
      "/v1/audit",
      "/v1/audit/verify",
      "/v1/documents/doc_1",
      "/v1/reports/utilisation",
      "/health",
      "/metrics"
    ]) {
      assert.strictEqual(CachePolicy.sharingOf(path), "none", path)
    }
  })

  it("names one answer whatever the order of the query's parameters, keeping repeated values in order", () => {
    assert.deepStrictEqual(CachePolicy.normalizedTarget("/v1/tags?sort=name&limit=5"), {
      path: "/v1/tags",
      target: "/v1/tags?limit=5&sort=name"
    })
    assert.strictEqual(
      CachePolicy.normalizedTarget("/v1/resources?tag=b&status=ok&tag=a").target,
      "/v1/resources?status=ok&tag=b&tag=a"
    )
    assert.deepStrictEqual(CachePolicy.normalizedTarget("/v1/tags"), { path: "/v1/tags", target: "/v1/tags" })
    assert.strictEqual(CachePolicy.normalizedTarget("/v1/tags?").target, "/v1/tags")
  })
})
