/**
 * What the `rota` commands run against: the database the server's environment names
 * (`DATABASE_URL`, else the embedded store in `ROTA_DATA_DIR`).
 *
 * @since 0.1.0
 */
import { Ids } from "@rota/core"
import { Database, Storage } from "@rota/storage-pg"
import { Effect, Layer } from "effect"
import * as Server from "../server/Server.ts"
import * as ServerConfig from "../server/ServerConfig.ts"
import * as UseCases from "../server/UseCases.ts"

/**
 * The settings from the environment; a bad variable ends the command with its message.
 *
 * @since 0.1.0
 * @category settings
 */
export const settings = Effect.orDie(ServerConfig.fromEnvironment)

/**
 * Runs `effect` on the store, migrated, with the use cases on it.
 *
 * @since 0.1.0
 * @category layers
 */
export const withStore = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  overrides: Partial<ServerConfig.Settings> = {}
) =>
  Effect.flatMap(
    Effect.map(settings, (config) => ({ ...config, ...overrides })),
    (config) =>
      effect.pipe(
        Effect.provide(
          UseCases.layer.pipe(
            Layer.provideMerge(Ids.Ids.layer),
            Layer.provideMerge(Storage.layer),
            Layer.provideMerge(Server.storage(config)),
            Layer.provideMerge(ServerConfig.ServerConfig.layer(config))
          )
        )
      )
  )

/**
 * Runs `effect` on the store as it is, migrations not applied: for commands that read or change
 * the schema's version or must not change the database behind the operator's back.
 *
 * @since 0.1.0
 * @category layers
 */
export const withDatabase = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(settings, (config) =>
    effect.pipe(
      Effect.provide(
        Storage.layer.pipe(
          Layer.provideMerge(
            Database.layer({
              url: config.databaseUrl,
              dataDir: config.dataDir,
              maxConnections: 2,
              timeouts: config.databaseTimeouts
            })
          ),
          Layer.provideMerge(ServerConfig.ServerConfig.layer(config))
        )
      )
    )
  )
