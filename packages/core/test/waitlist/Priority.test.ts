import { assert, describe, it } from "@effect/vitest"
import { Organization, Priority } from "../../src/index.ts"

const weights = Organization.defaultSettings.priorityWeights
const now = Date.UTC(2030, 0, 10)
const hour = 3_600_000

const standing = (overrides: Partial<Priority.Standing>): Priority.Standing => ({
  id: "00000000-0000-7000-8000-000000000001",
  role: "member",
  createdAtMillis: now,
  lateReturns: 0,
  openFines: 0,
  activeBookings: 0,
  ...overrides
})

describe("the priority score", () => {
  it("adds the role weight and one point per full hour waited, up to the cap", () => {
    assert.strictEqual(Priority.score(standing({ role: "manager" }), weights, now), 200)
    assert.strictEqual(
      Priority.score(standing({ createdAtMillis: now - 5 * hour - 59 * 60_000 }), weights, now),
      105
    )
    assert.strictEqual(
      Priority.score(standing({ createdAtMillis: now - 1_000 * hour }), weights, now),
      100 + 168
    )
  })

  it("takes 50 per late return, 25 per open fine and 20 per active booking", () => {
    const parts = Priority.parts(standing({ lateReturns: 2, openFines: 1, activeBookings: 3 }), weights, now)
    assert.deepStrictEqual(parts, {
      role: 100,
      waiting: 0,
      lateReturns: -100,
      openFines: -25,
      activeBookings: -60
    })
    assert.strictEqual(Priority.total(parts), -85)
  })

  it("ranks higher scores first, then older entries, then smaller ids", () => {
    const ranked = Priority.rank(
      [
        standing({ id: "00000000-0000-7000-8000-00000000000b", createdAtMillis: now - hour }),
        standing({ id: "00000000-0000-7000-8000-00000000000a", createdAtMillis: now - hour }),
        standing({ id: "00000000-0000-7000-8000-00000000000c", createdAtMillis: now - 2 * hour + 1 }),
        standing({ id: "00000000-0000-7000-8000-00000000000d", role: "admin" })
      ],
      weights,
      now
    )
    assert.deepStrictEqual(
      ranked.map((entry) => entry.standing.id.slice(-1)),
      ["d", "c", "a", "b"]
    )
  })

  it("gives no role points to someone no longer a member", () => {
    assert.strictEqual(Priority.score(standing({ role: null }), weights, now), 0)
  })
})
