import { defineConfig, mergeConfig } from "vitest/config"

/** Shared by every package: resolve workspace packages to their sources, so tests need no build. */
export const sharedConfig = defineConfig({
  resolve: { conditions: ["@rota/source"] },
  ssr: { resolve: { conditions: ["@rota/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})

/**
 * For the packages whose tests use databases: each run migrates once, and its databases copy that.
 *
 * Their files build their own layers on databases of their own and keep no state in modules, so
 * one worker loads the modules (effect, the server, the store) once for all its files instead of
 * once per file: on the 2-core machine `npm test` with nothing cached took 11 min 47 s instead of
 * 13 min 53 s, the HTTP package's tests 511-530 s instead of 683 s and the storage package's
 * 409-448 s instead of 484 s.
 */
export const databaseConfig = mergeConfig(
  sharedConfig,
  defineConfig({ test: { globalSetup: ["../../vitest.databases.ts"], isolate: false } })
)
