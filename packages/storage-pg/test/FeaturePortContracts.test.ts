import { describe, layer } from "@effect/vitest"
import {
  Ids,
  Intervention,
  InterventionRepos,
  InterventionRules,
  type ResourceUnit,
  Transactor
} from "@rota/core"
import {
  ApiKeyRepoContract,
  BlackoutRepoContract,
  CalendarFeedRepoContract,
  ChangeLogContract,
  type Contract,
  IntakeRepoContract,
  MaintenancePlanRepoContract,
  NotificationDirectoryContract,
  NotificationReposContract,
  ReminderRepoContract,
  ReportRepoContract,
  SeriesRepoContract,
  WebhookRepoContract
} from "@rota/core/testing"
import { DateTime, Effect, Layer } from "effect"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

type Services = Layer.Success<typeof Storage.layer> | Ids.Ids

// An intervention of the org (about the unit, if any): intake requests and claimed maintenance due
// dates reference one.
const intervention = (orgId: Ids.OrgId, unitId: ResourceUnit.UnitId | null) =>
  Effect.gen(function* () {
    const repo = yield* InterventionRepos.InterventionRepo
    return yield* (yield* Transactor.Transactor).withTransaction(
      Effect.gen(function* () {
        const stored = yield* repo.insert(
          new Intervention.Intervention({
            id: yield* Ids.nextId(Intervention.InterventionId),
            orgId,
            number: InterventionRules.formatNumber(yield* repo.nextNumber(orgId)),
            title: "Broken, says the form",
            description: null,
            kind: "CORRECTIVE",
            priority: "NORMAL",
            status: "PENDING",
            clientId: null,
            resourceId: null,
            unitId,
            subject: null,
            siteId: null,
            assigneeIds: [],
            scheduledStart: null,
            scheduledEnd: null,
            dueAt: null,
            completedAt: null,
            completedBy: null,
            partsCost: null,
            version: 1,
            createdAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1)),
            deletedAt: null
          })
        )
        return stored.id
      })
    )
  })

// The suites the memory adapters of the feature ports pass in core, here on PostgreSQL and PGlite.
const suites: ReadonlyArray<Contract.ContractSuite<Services>> = [
  ApiKeyRepoContract.ApiKeyRepoContract,
  BlackoutRepoContract.BlackoutRepoContract,
  SeriesRepoContract.SeriesRepoContract,
  CalendarFeedRepoContract.CalendarFeedRepoContract,
  IntakeRepoContract.IntakeRepoContract({
    intervention: (orgId, unitId) => Effect.orDie(intervention(orgId, unitId))
  }),
  WebhookRepoContract.WebhookRepoContract,
  MaintenancePlanRepoContract.MaintenancePlanRepoContract({
    intervention: (orgId) => Effect.orDie(intervention(orgId, null))
  }),
  NotificationReposContract.NotificationReposContract,
  NotificationDirectoryContract.NotificationDirectoryContract,
  ReminderRepoContract.ReminderRepoContract,
  ChangeLogContract.ChangeLogContract,
  ReportRepoContract.ReportRepoContract
]

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("feature ports", (it) => {
      for (const suite of suites) {
        describe(suite.name, () => {
          for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
        })
      }
    })
  })
}
