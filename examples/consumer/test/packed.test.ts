import { execFile } from "node:child_process"
import { access, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"

const run = promisify(execFile)
const repo = fileURLToPath(new URL("../../../", import.meta.url))
const packages = ["core", "storage-pg", "http", "sdk-client"]
// The oldest Node each package runs on: the core's `URL.parse` came in 20.18 and 22.1 (not 21),
// and storage-pg and the SDK carry the core; the server's Node platform needs 22.19.
const minimumNode: Record<string, string> = {
  core: "^20.18.0 || >=22.1.0",
  "storage-pg": "^20.18.0 || >=22.1.0",
  http: ">=22.19.0",
  "sdk-client": "^20.18.0 || >=22.1.0"
}
// Generous: on a fresh machine, with every package's tests running beside it on two cores, the
// install has taken over 4 minutes (35 s on a quiet one).
const npm = (args: ReadonlyArray<string>, cwd: string) =>
  run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, timeout: 720_000 })

describe("the published packages", () => {
  it("install from their tarballs in a clean app, type-check under NodeNext strict and serve the SDK's calls", async () => {
    const root = await mkdtemp(join(tmpdir(), "rota-consumer-"))
    try {
      // The tarballs npm would publish (turbo built every package's dist before this test).
      const tarballs = join(root, "tarballs")
      await mkdir(tarballs)
      for (const name of packages) {
        await npm(["pack", "--pack-destination", tarballs], join(repo, "packages", name))
      }
      const files = await readdir(tarballs)
      const tarball = (name: string) => {
        const file = files.find((f) => f.startsWith(`rota-${name}-`))
        assert.isDefined(file, `no tarball for @rota/${name}`)
        return `file:${join(tarballs, file ?? "")}`
      }

      const app = join(root, "app")
      await mkdir(app)
      await writeFile(
        join(app, "package.json"),
        JSON.stringify({
          name: "rota-consumer",
          private: true,
          type: "module",
          dependencies: {
            "@rota/core": tarball("core"),
            "@rota/storage-pg": tarball("storage-pg"),
            "@rota/http": tarball("http"),
            "@rota/sdk-client": tarball("sdk-client"),
            effect: "4.1.0",
            "@types/node": "^24.0.0"
          }
        })
      )
      await writeFile(
        join(app, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            types: ["node"],
            skipLibCheck: true,
            outDir: "dist"
          },
          include: ["*.ts"]
        })
      )
      for (const file of ["main.ts", "use-cases.ts", "routes.ts"]) {
        await copyFile(fileURLToPath(new URL(`../app/${file}`, import.meta.url)), join(app, file))
      }

      // The npm cache usually holds every dependency; the registry is asked only when it does not.
      // A registry request that stalls is retried after 30 s instead of npm's default 5 minutes.
      await npm(["install", "--prefer-offline", "--fetch-timeout=30000", "--fetch-retries=4"], app).catch(
        (error: { stderr?: string; signal?: string }) =>
          assert.fail(
            `npm refused the tarballs (${error.signal ?? "exit"}):\n${error.stderr ?? String(error)}`
          )
      )

      // What a registry and a bundler read: licence, engines, and an export map every tool resolves.
      for (const name of packages) {
        const installed = join(app, "node_modules", "@rota", name)
        const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8"))
        assert.strictEqual(manifest.license, "MIT", `@rota/${name} license`)
        assert.strictEqual(manifest.engines?.node, minimumNode[name], `@rota/${name} engines`)
        await access(join(installed, "LICENSE"))
        await access(join(installed, "README.md"))
        for (const [path, conditions] of Object.entries<Record<string, string> | null>(manifest.exports)) {
          if (conditions === null) continue
          for (const condition of ["types", "import", "default"]) {
            const target = conditions[condition]
            assert.isString(target, `@rota/${name} exports ${path} has no ${condition} condition`)
            await access(join(installed, target ?? ""))
          }
        }
      }

      const tsc = join(repo, "node_modules", "typescript", "bin", "tsc")
      await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app, timeout: 120_000 }).catch(
        (error: { stdout?: string }) =>
          assert.fail(`tsc refused the consumer:\n${error.stdout ?? String(error)}`)
      )

      const { stdout } = await run(process.execPath, ["dist/main.js"], { cwd: app, timeout: 120_000 })
      const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}")
      assert.deepStrictEqual(result, {
        idRefused: true,
        bookingId: "0190a4e2-7c1a-7cc4-9a5b-3f2f6a0c4d12",
        pageIsTyped: false,
        pageItems: 1,
        storage: "function",
        health: "ok",
        org: "Kim's Workshop",
        liteMembers: ["kim"],
        members: ["kim"]
      })

      // docs/embedding.md's use cases without HTTP, as printed there.
      const direct = await run(process.execPath, ["dist/use-cases.js"], { cwd: app, timeout: 120_000 })
      assert.strictEqual(direct.stdout.trim().split("\n").at(-1), "Night Shift Crew 2")
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  }, 1_200_000)
})
