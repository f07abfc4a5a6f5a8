/**
 * Writes `src/LiteRoutes.ts`, the method and path of every endpoint, and `src/LiteGroups.ts`,
 * one light-client factory per group, from the API definition: the light clients send requests
 * from this table so they never load the definition itself.
 * `test/LiteRoutes.test.ts` fails when the table and the API differ.
 */
import { writeFileSync } from "node:fs"
import { liteGroupsSource, liteRoutesSource } from "./routesSource.ts"

// Run by `npm run routes` from the package directory.
writeFileSync("src/LiteRoutes.ts", liteRoutesSource())
writeFileSync("src/LiteGroups.ts", liteGroupsSource())
