#!/usr/bin/env node
/**
 * The entry of the server bundle `npm start` runs (`dist/server/rota-server.js`). Outside
 * production, stack traces are mapped to Rota's TypeScript sources. In production
 * (`NODE_ENV=production`) they are not: mapping keeps every mapped module's source map (with its
 * sources) in memory for the life of the process and formats each stack through it. Libraries'
 * maps are never loaded (Effect ships one per module, with its sources: some 20 MB of strings);
 * their frames read as their JavaScript. A production trace points into the bundle, whose names
 * are kept (it is not minified), with its `.map` file next to it; `NODE_OPTIONS=--enable-source-maps`
 * maps everything again when wanted.
 *
 * The switch must come before the modules it applies to are loaded, so the server is imported
 * after it.
 *
 * @since 0.1.0
 */
import { setSourceMapsSupport } from "node:module"

if (process.env.NODE_ENV !== "production") setSourceMapsSupport(true, { nodeModules: false })

await import("./main.ts")
