#!/usr/bin/env node
/**
 * `rota`: the administration commands, on the database the server's environment names
 * (`DATABASE_URL`, else the embedded store in `ROTA_DATA_DIR`).
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Auth } from "@rota/core"
import { Cause, Console, Effect, Exit, Option, Redacted } from "effect"
import { Command, Flag } from "effect/cli"
import { version } from "./api/Api.ts"
import { rotateSigningKey, verifyAudit } from "./cli/AdminCommands.ts"
import * as ArchiveCommands from "./cli/ArchiveCommands.ts"
import { migrate } from "./cli/MigrateCommands.ts"
import { withStore } from "./cli/Store.ts"
import { DemoData, ServerConfig } from "./index.ts"

// The override goes to the store's own settings: on PostgreSQL demo data is off by default.
const seedDemo = Command.make("seed-demo", {}, () =>
  withStore(
    Effect.gen(function* () {
      const demo = yield* DemoData.DemoData
      yield* Console.log(
        demo.present
          ? `demo organisations present; sign in as owner1 / ${DemoData.password}`
          : "the database already has accounts: demo data is only loaded on an empty database"
      )
    }).pipe(Effect.provide(DemoData.layer)),
    { demoData: true }
  )
).pipe(Command.withDescription("Load the demo organisations and logins into an empty database"))

// The password never comes from argv (it would show in `ps` and shell history): from stdin when
// piped, else typed at a prompt.
const readPassword = Effect.promise(async () => {
  if (process.stdin.isTTY) {
    const { createInterface } = await import("node:readline/promises")
    const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    const answer = await prompt.question("Password: ")
    prompt.close()
    return answer
  }
  let text = ""
  for await (const chunk of process.stdin) text += chunk
  return text.replace(/\r?\n$/, "")
})

const createOwner = Command.make(
  "create-owner",
  {
    email: Flag.String("email").pipe(Flag.withDescription("The owner's email address")),
    username: Flag.String("username").pipe(Flag.withDescription("The owner's login name")),
    fullName: Flag.String("name").pipe(Flag.withDescription("The owner's full name")),
    orgName: Flag.String("org").pipe(Flag.withDescription("The organisation to create"))
  },
  ({ email, username, fullName, orgName }) =>
    withStore(
      Effect.gen(function* () {
        const password = yield* readPassword
        const auth = yield* Auth.Auth
        const session = yield* auth.register({
          email,
          username,
          password: Redacted.make(password),
          fullName,
          orgName
        })
        yield* Console.log(`owner ${username} created with organisation "${orgName}"`)
        return session
      }),
      // Sign-up may be closed for everyone else; the operator at the console is allowed.
      { signupOpen: true }
    )
).pipe(
  Command.withDescription(
    "Create an account owning a new organisation, even with sign-up closed (password on stdin)"
  )
)

const rota = Command.make("rota").pipe(
  Command.withDescription("Administer a Rota installation"),
  Command.withSubcommands([
    migrate,
    createOwner,
    seedDemo,
    rotateSigningKey,
    verifyAudit,
    ...ArchiveCommands.commands
  ])
)

const program = Command.run(rota, { version })

NodeRuntime.runMain(Effect.provide(program, NodeServices.layer), {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    if (Exit.isSuccess(exit)) return onExit(0)
    const error = Option.getOrUndefined(Cause.findErrorOption(exit.cause))
    const message =
      error instanceof ServerConfig.InvalidConfig
        ? error.problems.join("\nrota: ")
        : error instanceof Error && error.message.length > 0
          ? error.message
          : typeof error === "object" && error !== null && "_tag" in error
            ? `${String(error._tag)}${"detail" in error ? `: ${String(error.detail)}` : ""}`
            : Cause.pretty(exit.cause).split("\n")[0]
    process.stderr.write(`rota: ${message}\n`)
    onExit(1)
  }
})
