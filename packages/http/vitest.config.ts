import { defineConfig, mergeConfig } from "vitest/config"
import { databaseConfig } from "../../vitest.shared.ts"

// Besides the databases: the server and the CLI bundled once for the process tests.
export default mergeConfig(
  databaseConfig,
  defineConfig({ test: { globalSetup: ["test/fixtures/Processes.ts"] } })
)
