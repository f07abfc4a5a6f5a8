import { Effect, Exit, Scope } from "effect"
import { TestDatabase } from "./packages/storage-pg/src/testing.ts"

/**
 * Global setup of the packages whose tests use databases: migrates this run's originals once
 * (`TestDatabase.prepare`), which every test database then copies, and removes them afterwards.
 */
export default async function setup() {
  const scope = Effect.runSync(Scope.make())
  const close = () => Effect.runPromise(Scope.close(scope, Exit.void))
  // A setup that fails half-way still removes what it made.
  await Effect.runPromise(Scope.provide(TestDatabase.prepare, scope)).catch(async (error: unknown) => {
    await close()
    throw error
  })
  return close
}
