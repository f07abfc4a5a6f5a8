import { assert, describe, layer } from "@effect/vitest"
import {
  Account,
  Assignment,
  Availability,
  CrewRepos,
  IdentityRepos,
  Ids,
  Mission,
  Organization,
  Project,
  RateProfile
} from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { PgCrewRepos, PgIdentityRepos } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const base = Date.UTC(2031, 4, 1)
const at = (hours: number) => DateTime.makeUnsafe(base + hours * 3_600_000)
const now = () => DateTime.fromDateUnsafe(new Date())

// An org with one member, and a project with one mission from hour 0 to hour 4.
const setting = Effect.gen(function* () {
  const orgId = yield* Ids.nextId(Ids.OrgId)
  const accountId = yield* Ids.nextId(Ids.AccountId)
  const tag = accountId.replace(/-/g, "").slice(-12)
  yield* Effect.orDie(
    (yield* IdentityRepos.OrgRepo).insert(
      new Organization.Organization({
        id: orgId,
        name: "Crew org",
        slug: `crew-${tag}`,
        timezone: "Europe/Paris",
        settings: Organization.defaultSettings,
        version: 1,
        createdAt: now()
      })
    )
  )
  yield* Effect.orDie(
    (yield* IdentityRepos.AccountRepo).insert(
      new Account.Account({
        id: accountId,
        email: `crew-${tag}@example.com`,
        username: `crew-${tag}`,
        fullName: "Crew Member",
        phone: null,
        isActive: true,
        createdAt: now()
      }),
      "hash"
    )
  )
  yield* Effect.orDie(
    (yield* IdentityRepos.MembershipRepo).insert({
      orgId,
      accountId,
      role: "technician",
      skills: [],
      tags: [],
      at: DateTime.nowUnsafe()
    })
  )
  const project = yield* Effect.orDie(
    (yield* CrewRepos.ProjectRepo).insert(
      new Project.Project({
        id: yield* Ids.nextId(Project.ProjectId),
        orgId,
        name: "Festival",
        status: "ACTIVE",
        startsAt: null,
        endsAt: null,
        version: 1,
        createdAt: now(),
        deletedAt: null
      })
    )
  )
  const mission = yield* Effect.orDie(
    (yield* CrewRepos.MissionRepo).insert(
      new Mission.Mission({
        id: yield* Ids.nextId(Mission.MissionId),
        orgId,
        projectId: project.id,
        title: "Stage build",
        role: "rigger",
        startAt: at(0),
        endAt: at(4),
        headcount: 2,
        location: null,
        version: 1,
        createdAt: now(),
        deletedAt: null
      })
    )
  )
  return { orgId, accountId, project, mission }
})

const assignmentOf = (
  s: { readonly orgId: Ids.OrgId; readonly accountId: Ids.AccountId; readonly mission: Mission.Mission },
  status: Assignment.AssignmentStatus = "INVITED"
) =>
  Effect.map(
    Ids.nextId(Assignment.AssignmentId),
    (id) =>
      new Assignment.Assignment({
        id,
        orgId: s.orgId,
        missionId: s.mission.id,
        accountId: s.accountId,
        status,
        respondBy: at(0),
        respondedAt: null,
        version: 1,
        createdAt: now(),
        deletedAt: null
      })
  )

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(
      Layer.mergeAll(PgIdentityRepos.layer, PgCrewRepos.layer, Ids.Ids.layer).pipe(
        Layer.provideMerge(store.layer)
      ),
      { timeout: 60_000 }
    )("PgCrewRepos", (it) => {
      it.effect("the partial unique index allows one open assignment per mission and person", () =>
        Effect.gen(function* () {
          const s = yield* setting
          const repo = yield* CrewRepos.AssignmentRepo
          const first = yield* repo.insert(yield* assignmentOf(s))
          const second = yield* Effect.flip(repo.insert(yield* assignmentOf(s, "ACCEPTED")))
          assert.deepStrictEqual([second._tag, second.field], ["AlreadyExists", "accountId"])
          // Closed assignments do not count: a declined one sits beside a new open one.
          yield* repo.insert(yield* assignmentOf(s, "DECLINED"))
          yield* Effect.orDie(repo.update(s.orgId, first.id, 1, { status: "CANCELLED" }))
          const third = yield* repo.insert(yield* assignmentOf(s))
          const reopened = yield* Effect.flip(repo.update(s.orgId, first.id, 2, { status: "INVITED" }))
          assert.strictEqual(reopened._tag, "AlreadyExists")
          const open = yield* repo.listOpen(s.orgId, s.mission.id)
          assert.deepStrictEqual(
            open.map((a) => a.id),
            [third.id]
          )
          assert.isTrue(Option.isSome(yield* repo.findAnywhere(third.id)))
          assert.isTrue(Option.isNone(yield* repo.findAnywhere("not-a-uuid")))
        })
      )

      it.effect("counts accepted assignments and reads accepted work with its mission's time", () =>
        Effect.gen(function* () {
          const s = yield* setting
          const repo = yield* CrewRepos.AssignmentRepo
          assert.strictEqual(yield* repo.countAccepted(s.orgId, s.mission.id), 0)
          yield* Effect.orDie(repo.insert(yield* assignmentOf(s, "ACCEPTED")))
          assert.strictEqual(yield* repo.countAccepted(s.orgId, s.mission.id), 1)
          const work = yield* repo.acceptedWork(s.orgId, s.project.id)
          assert.deepStrictEqual(work, [
            { accountId: s.accountId, interval: { startAt: at(0), endAt: at(4) } }
          ])
        })
      )

      it.effect("finds the approved UNAVAILABLE windows overlapping an interval, and only those", () =>
        Effect.gen(function* () {
          const s = yield* setting
          const repo = yield* CrewRepos.AvailabilityRepo
          const add = (start: number, end: number, fields: Partial<Availability.Availability> = {}) =>
            Effect.flatMap(Ids.nextId(Availability.AvailabilityId), (id) =>
              Effect.orDie(
                repo.insert(
                  new Availability.Availability({
                    id,
                    orgId: s.orgId,
                    accountId: s.accountId,
                    kind: "UNAVAILABLE",
                    startAt: at(start),
                    endAt: at(end),
                    status: "APPROVED",
                    note: null,
                    version: 1,
                    createdAt: now(),
                    deletedAt: null,
                    ...fields
                  })
                )
              )
            )
          const blocking = yield* add(2, 6)
          yield* add(4, 5) // touches the end only
          yield* add(0, 4, { status: "PENDING" })
          yield* add(0, 4, { kind: "AVAILABLE" })
          const hidden = yield* add(1, 2)
          yield* Effect.orDie(repo.softDelete(s.orgId, hidden.id, 1, DateTime.nowUnsafe()))
          const found = yield* repo.blocking(s.orgId, s.accountId, { startAt: at(0), endAt: at(4) })
          assert.deepStrictEqual(
            found.map((w) => w.id),
            [blocking.id]
          )
        })
      )

      it.effect("a rate profile is created, then replaced", () =>
        Effect.gen(function* () {
          const s = yield* setting
          const repo = yield* CrewRepos.RateProfileRepo
          const put = (hourly: number | null, daily: number | null) =>
            repo.put(
              new RateProfile.RateProfile({
                accountId: s.accountId,
                orgId: s.orgId,
                currency: "EUR",
                hourly,
                daily
              })
            )
          yield* put(3000, null)
          const replaced = yield* put(null, 900_000)
          assert.deepStrictEqual([replaced.hourly, replaced.daily], [null, 900_000])
          assert.deepStrictEqual(
            (yield* repo.forAccounts(s.orgId, [s.accountId])).map((p) => p.daily),
            [900_000]
          )
          assert.isTrue(Option.isNone(yield* repo.find(s.orgId, yield* Ids.nextId(Ids.AccountId))))
        })
      )
    })
  })
}
