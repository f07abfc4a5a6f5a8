import { defineConfig } from "tsup"

// The API definition and the core schemas it uses are bundled in, so the published SDK
// depends on `effect` alone and a browser app never installs server packages.
export default defineConfig({
  entry: ["src/index.ts", "src/lite.ts"],
  format: ["esm"],
  // The build tsconfig maps the workspace packages to their sources, so the declaration
  // bundler inlines them instead of leaving imports of server packages behind.
  tsconfig: "tsconfig.build.json",
  dts: { resolve: [/^@rota\//] },
  clean: true,
  platform: "neutral",
  esbuildOptions: (options) => {
    options.conditions = ["@rota/source"]
  },
  noExternal: [/^@rota\//],
  external: [/^effect(\/|$)/]
})
