/**
 * The production server as one bundle: `npm start` builds it (`prestart`) and runs it with
 * `exec node`. Rota's own packages are bundled from their sources; third-party packages stay
 * imports from node_modules. The embedded store is a chunk of its own, loaded only when no
 * `DATABASE_URL` is set. The entry (`src/start.ts`) only turns stack trace mapping on outside
 * production, then loads the server (`src/main.ts`, a chunk of its own).
 */
import { defineConfig } from "tsup"

export default defineConfig({
  entry: { "rota-server": "src/start.ts" },
  outDir: "dist/server",
  format: "esm",
  platform: "node",
  target: "node22",
  splitting: true,
  treeshake: false,
  sourcemap: true,
  clean: true,
  dts: false,
  noExternal: [/^@rota\//],
  external: [/^[^./]/],
  esbuildOptions: (options) => {
    options.conditions = ["@rota/source"]
  }
})
