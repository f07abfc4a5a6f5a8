import { defineConfig } from "tsup"

// The package's modules. `dist/server/` is the production bundle `npm start` builds and runs
// (tsup.server.config.ts); cleaning leaves it alone, so a build of the package while a server
// runs from it (the test suite does both at once) cannot delete the chunks the server loads.
export default defineConfig({
  entry: ["src/index.ts", "src/api.ts", "src/testing.ts", "src/main.ts", "src/cli.ts"],
  format: ["esm"],
  clean: ["!server/**"]
})
