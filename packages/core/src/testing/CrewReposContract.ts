/**
 * The contract of every adapter of the crew ports: projects, missions, assignments and
 * availability windows are versioned records of one org (found, listed in keyset pages by their
 * filters, changed compare-and-set, soft-deleted and restored); an assignment is open (invited or
 * accepted) at most once per person and mission; rate profiles are one per member, replaced by a
 * new one.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { MissionRepo, ProjectRepo, RateProfileRepo } from "../crews/CrewRepos.ts"
import { RateProfile } from "../crews/RateProfile.ts"
import { nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { at, crew, everyPage, mission, type Ports, project } from "./CrewFixtures.ts"
import { CrewWorkCases } from "./CrewWorkContract.ts"

const names = (items: ReadonlyArray<{ readonly name: string }>) => items.map((item) => item.name)

/**
 * @since 0.1.0
 * @category suites
 */
export const CrewReposContract: ContractSuite<Ports> = {
  name: "CrewRepos",
  cases: [
    {
      name: "a project is changed at its version, soft-deleted, restored, and never seen from another org",
      run: Effect.gen(function* () {
        const projects = yield* ProjectRepo
        const { orgId } = yield* crew(0)
        const stored = yield* project(orgId, "Festival")
        const otherOrg = yield* nextId(OrgId)
        yield* expectEqual(yield* projects.find(orgId, stored.id), Option.some(stored), "found")
        yield* expectEqual(Option.isNone(yield* projects.find(otherOrg, stored.id)), true, "from another org")
        yield* expectEqual(Option.isNone(yield* projects.find(orgId, "not-a-uuid")), true, "a malformed id")
        const renamed = yield* projects.update(orgId, stored.id, 1, { name: "Fair", status: "ARCHIVED" })
        yield* expectEqual(
          [renamed.name, renamed.status, renamed.version],
          ["Fair", "ARCHIVED", 2],
          "updated"
        )
        const stale = yield* Effect.flip(projects.update(orgId, stored.id, 1, { name: "Late" }))
        yield* expectEqual(stale._tag, "PreconditionFailed", "a stale update")
        const foreign = yield* Effect.flip(projects.update(otherOrg, stored.id, undefined, { name: "X" }))
        yield* expectEqual(foreign._tag, "NotFound", "another org's update")
        const deleted = yield* projects.softDelete(
          orgId,
          stored.id,
          2,
          DateTime.makeUnsafe(Date.UTC(2031, 5, 1))
        )
        yield* expectEqual([deleted.deletedAt !== null, deleted.version], [true, 3], "deleted")
        yield* expectEqual(Option.isNone(yield* projects.find(orgId, stored.id)), true, "a deleted project")
        yield* expectEqual(
          Option.isSome(yield* projects.find(orgId, stored.id, { includeDeleted: true })),
          true,
          "includeDeleted"
        )
        const listed = yield* projects.list(orgId, { limit: 10, filters: {} })
        yield* expectEqual(listed.items.length, 0, "listed without the deleted")
        const withDeleted = yield* projects.list(orgId, { limit: 10, filters: {}, includeDeleted: true })
        yield* expectEqual(withDeleted.items.length, 1, "listed with the deleted")
        const gone = yield* Effect.flip(projects.update(orgId, stored.id, undefined, { name: "X" }))
        yield* expectEqual(gone._tag, "NotFound", "updating a deleted project")
        const restored = yield* projects.restore(orgId, stored.id, 3)
        yield* expectEqual([restored.deletedAt, restored.version], [null, 4], "restored")
        const live = yield* Effect.flip(projects.restore(orgId, stored.id, undefined))
        yield* expectEqual(live._tag, "NotFound", "restoring a live project")
      })
    },
    {
      name: "projects list in keyset pages by name or creation, filtered by status, text and dates",
      run: Effect.gen(function* () {
        const projects = yield* ProjectRepo
        const { orgId } = yield* crew(0)
        const order = [
          "project 4",
          "project 1",
          "project 6",
          "project 0",
          "project 3",
          "project 5",
          "project 2"
        ]
        for (const [n, name] of order.entries())
          yield* project(orgId, name, { created: n, status: n % 2 === 0 ? "ACTIVE" : "DRAFT" })
        yield* project(yield* nextId(OrgId), "project 9")
        const all = (field: "name" | "createdAt", direction: "asc" | "desc") =>
          Effect.map(
            everyPage((cursor) =>
              projects.list(orgId, { limit: 3, cursor, sort: { field, direction }, filters: {} })
            ),
            names
          )
        yield* expectEqual(yield* all("name", "asc"), [...order].sort(), "by name")
        yield* expectEqual(yield* all("name", "desc"), [...order].sort().reverse(), "by name, descending")
        yield* expectEqual(yield* all("createdAt", "asc"), order, "by creation")
        const byDefault = yield* everyPage((cursor) =>
          projects.list(orgId, { limit: 2, cursor, filters: {} })
        )
        yield* expectEqual(names(byDefault), order, "by creation by default")
        const drafts = yield* projects.list(orgId, { limit: 10, filters: { statuses: ["DRAFT"] } })
        yield* expectEqual(names(drafts.items), ["project 1", "project 0", "project 5"], "drafts")
        const found = yield* projects.list(orgId, { limit: 10, filters: { q: " PROJECT 6 " } })
        yield* expectEqual(names(found.items), ["project 6"], "by text")
        const forged = yield* Effect.flip(projects.list(orgId, { limit: 3, cursor: "forged", filters: {} }))
        yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
      })
    },
    {
      name: "projects overlap a window by their dates, a missing date being open-ended",
      run: Effect.gen(function* () {
        const projects = yield* ProjectRepo
        const { orgId } = yield* crew(0)
        yield* project(orgId, "undated")
        yield* project(orgId, "early", { startsAt: at(0), endsAt: at(10) })
        yield* project(orgId, "late", { startsAt: at(20), endsAt: at(30), created: 1 })
        yield* project(orgId, "open end", { startsAt: at(25), created: 2 })
        const overlapping = (from: number | undefined, to: number | undefined) =>
          Effect.map(
            projects.list(orgId, {
              limit: 10,
              sort: { field: "name", direction: "asc" },
              filters: {
                from: from === undefined ? undefined : at(from),
                to: to === undefined ? undefined : at(to)
              }
            }),
            (page) => names(page.items)
          )
        yield* expectEqual(yield* overlapping(10, 20), ["undated"], "between them (ends and starts excluded)")
        yield* expectEqual(yield* overlapping(5, 21), ["early", "late", "undated"], "across two")
        yield* expectEqual(yield* overlapping(40, undefined), ["open end", "undated"], "after all ends")
        yield* expectEqual(yield* overlapping(undefined, 1), ["early", "undated"], "before hour 1")
      })
    },
    {
      name: "text filters match literally, whatever the case: % and _ are no patterns",
      run: Effect.gen(function* () {
        const projects = yield* ProjectRepo
        const missions = yield* MissionRepo
        const { orgId } = yield* crew(0)
        for (const name of ["Sale 50% off", "Sale 500 off", "snake_case", "snakeXcase"])
          yield* project(orgId, name)
        const named = (q: string) =>
          Effect.map(
            projects.list(orgId, { limit: 10, sort: { field: "name", direction: "asc" }, filters: { q } }),
            (page) => names(page.items)
          )
        yield* expectEqual(yield* named("50%"), ["Sale 50% off"], "a percent sign")
        yield* expectEqual(yield* named("E_C"), ["snake_case"], "an underscore")
        yield* expectEqual(
          [...(yield* named("   "))].sort(),
          ["Sale 50% off", "Sale 500 off", "snakeXcase", "snake_case"],
          "blank (every one)"
        )
        const festival = yield* project(orgId, "Festival")
        yield* mission(orgId, festival.id, { title: "Stage_1", start: 0, end: 1, location: "Hall 100%" })
        yield* mission(orgId, festival.id, { title: "Stage21", start: 1, end: 2, location: "Hall 1000" })
        const titled = (q: string) =>
          Effect.map(missions.list(orgId, { limit: 10, filters: { q } }), (page) =>
            page.items.map((m) => m.title)
          )
        yield* expectEqual(yield* titled("e_1"), ["Stage_1"], "an underscore in a title")
        yield* expectEqual(yield* titled("100%"), ["Stage_1"], "a percent sign in a location")
      })
    },
    {
      name: "missions list by start, title or creation, filtered by project, role, text and time",
      run: Effect.gen(function* () {
        const missions = yield* MissionRepo
        const { orgId } = yield* crew(0)
        const [a, b] = [yield* project(orgId, "A"), yield* project(orgId, "B")]
        yield* mission(orgId, a.id, { title: "mission c", start: 20, end: 24, role: "Rigger", created: 0 })
        yield* mission(orgId, a.id, { title: "mission a", start: 0, end: 4, role: "light", created: 1 })
        yield* mission(orgId, a.id, {
          title: "mission d",
          start: 10,
          end: 14,
          location: "Main stage",
          created: 2
        })
        yield* mission(orgId, b.id, { title: "mission b", start: 5, end: 9, created: 3 })
        const titles = (page: { readonly items: ReadonlyArray<{ readonly title: string }> }) =>
          page.items.map((m) => m.title)
        const all = (field: "startAt" | "title" | "createdAt", direction: "asc" | "desc") =>
          Effect.map(
            everyPage((cursor) =>
              missions.list(orgId, { limit: 3, cursor, sort: { field, direction }, filters: {} })
            ),
            (items) => titles({ items })
          )
        const byStart = ["mission a", "mission b", "mission d", "mission c"]
        yield* expectEqual(yield* all("startAt", "asc"), byStart, "by start")
        yield* expectEqual(yield* all("startAt", "desc"), [...byStart].reverse(), "by start, descending")
        yield* expectEqual(yield* all("title", "asc"), [...byStart].sort(), "by title")
        yield* expectEqual(
          yield* all("createdAt", "asc"),
          ["mission c", "mission a", "mission d", "mission b"],
          "by creation"
        )
        const ofA = yield* missions.list(orgId, { limit: 2, filters: { projectId: a.id } })
        yield* expectEqual(titles(ofA), ["mission a", "mission d"], "of project A, by start by default")
        const riggers = yield* missions.list(orgId, { limit: 10, filters: { role: " RIGGER " } })
        yield* expectEqual(
          titles(riggers),
          ["mission b", "mission d", "mission c"],
          "by role, whatever its case"
        )
        const staged = yield* missions.list(orgId, { limit: 10, filters: { q: "main STAGE" } })
        yield* expectEqual(titles(staged), ["mission d"], "by text in the location")
        const during = yield* missions.list(orgId, { limit: 10, filters: { from: at(4), to: at(10) } })
        yield* expectEqual(titles(during), ["mission b"], "overlapping hours 4 to 10")
        const other = yield* missions.list(yield* nextId(OrgId), { limit: 10, filters: {} })
        yield* expectEqual(other.items.length, 0, "from another org")
      })
    },
    {
      name: "a rate profile is one per member, replaced by a new one, read for the members asked",
      run: Effect.gen(function* () {
        const rates = yield* RateProfileRepo
        const { orgId, people } = yield* crew(3)
        const [first, second, third] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]]
        const profile = (accountId: typeof first, hourly: number | null, daily: number | null) =>
          new RateProfile({ orgId, accountId, currency: "EUR", hourly, daily })
        yield* expectEqual(yield* rates.put(profile(first, 4000, null)), profile(first, 4000, null), "stored")
        yield* rates.put(profile(second, null, 30000))
        const replaced = yield* rates.put(
          new RateProfile({ ...profile(first, null, 25000), currency: "USD" })
        )
        yield* expectEqual(
          [replaced.currency, replaced.hourly, replaced.daily],
          ["USD", null, 25000],
          "replaced"
        )
        yield* expectEqual(yield* rates.find(orgId, first), Option.some(replaced), "found")
        yield* expectEqual(Option.isNone(yield* rates.find(orgId, third)), true, "a member without one")
        yield* expectEqual(
          Option.isNone(yield* rates.find(yield* nextId(OrgId), first)),
          true,
          "another org's"
        )
        const some = yield* rates.forAccounts(orgId, [first, second, third])
        yield* expectEqual(
          [...some].sort((x, y) => (x.accountId < y.accountId ? -1 : 1)).map((p) => p.accountId),
          [first, second].sort(),
          "for the members asked"
        )
        yield* expectEqual(yield* rates.forAccounts(orgId, []), [], "for nobody")
        yield* expectEqual(yield* rates.forAccounts(yield* nextId(OrgId), [first]), [], "from another org")
      })
    },
    ...CrewWorkCases
  ]
}
