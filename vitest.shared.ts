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

/** For the packages whose tests use databases: each run migrates once, and its databases copy that. */
export const databaseConfig = mergeConfig(
  sharedConfig,
  defineConfig({ test: { globalSetup: ["../../vitest.databases.ts"] } })
)
