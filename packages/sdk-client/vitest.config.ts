import { databaseConfig } from "../../vitest.shared.ts"

export default databaseConfig
