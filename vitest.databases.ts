import { Effect, Exit, Scope } from "effect"
import { TestDatabase } from "./packages/storage-pg/src/testing.ts"

/**
 * Global setup of the packages whose tests use databases: migrates this run's originals once
 * (`TestDatabase.prepare`), which every test database then copies, and removes them afterwards.
 */
export default async function setup() {
  const scope = Effect.runSync(Scope.make())
  await Effect.runPromise(Scope.provide(TestDatabase.prepare, scope))
  return () => Effect.runPromise(Scope.close(scope, Exit.void))
}
