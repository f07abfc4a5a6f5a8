import { describe, layer } from "@effect/vitest"
import { Layer } from "effect"
import { InterventionId } from "../../src/interventions/Intervention.ts"
import { Ids, nextId } from "../../src/kernel/Ids.ts"
import { ApiKeyRepoContract } from "../../src/testing/ApiKeyRepoContract.ts"
import { BlackoutRepoContract } from "../../src/testing/BlackoutRepoContract.ts"
import { CalendarFeedRepoContract } from "../../src/testing/CalendarFeedRepoContract.ts"
import { ChangeLogContract } from "../../src/testing/ChangeLogContract.ts"
import { IntakeRepoContract } from "../../src/testing/IntakeRepoContract.ts"
import { MaintenancePlanRepoContract } from "../../src/testing/MaintenancePlanRepoContract.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { NotificationDirectoryContract } from "../../src/testing/NotificationDirectoryContract.ts"
import { NotificationReposContract } from "../../src/testing/NotificationReposContract.ts"
import { ReminderRepoContract } from "../../src/testing/ReminderRepoContract.ts"
import { ReportRepoContract } from "../../src/testing/ReportRepoContract.ts"
import { SeriesRepoContract } from "../../src/testing/SeriesRepoContract.ts"
import { WebhookRepoContract } from "../../src/testing/WebhookRepoContract.ts"

// The very suites storage-pg runs against PostgreSQL and PGlite, on every memory adapter.
const suites = [
  ApiKeyRepoContract,
  BlackoutRepoContract,
  SeriesRepoContract,
  CalendarFeedRepoContract,
  // The memory stores do not require the interventions that requests and due dates name to exist.
  IntakeRepoContract({ intervention: () => nextId(InterventionId) }),
  WebhookRepoContract,
  MaintenancePlanRepoContract({ intervention: () => nextId(InterventionId) }),
  NotificationReposContract,
  NotificationDirectoryContract,
  ReminderRepoContract,
  ChangeLogContract,
  ReportRepoContract
]

layer(Layer.mergeAll(MemoryStorage.layer, Ids.layer), { excludeTestServices: true })(
  "memory feature ports",
  (it) => {
    for (const suite of suites) {
      describe(suite.name, () => {
        for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
      })
    }
  }
)
