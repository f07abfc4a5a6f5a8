/**
 * The waitlist ranking job's work, run from the bench. Rota runs with its background jobs off
 * here (they would compete for the two cores), so before each waitlist round the bench does
 * what the job does every 5 seconds on a server with jobs on: refresh the stored standings of
 * the orgs that need it, with Rota's own code.
 */
import { Rankings } from "@rota/core"
import { Database, Storage } from "@rota/storage-pg"
import { Effect, Layer, Redacted } from "effect"

export const refreshRankings = (databaseUrl: string) =>
  Effect.runPromise(
    Rankings.refreshDue().pipe(
      Effect.provide(
        Storage.layer.pipe(
          Layer.provideMerge(Database.layer({ url: Redacted.make(databaseUrl), maxConnections: 1 })),
          Layer.orDie
        )
      )
    )
  )
