/**
 * The `PasswordHasher` port on argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane),
 * set explicitly so a library default change cannot weaken them.
 *
 * @since 0.1.0
 */
import { hash, type Options, verify } from "@node-rs/argon2"
import { PasswordHasher } from "@rota/core"
import { Effect, Layer, Redacted } from "effect"

// `Algorithm` is a const enum, which isolated modules cannot read at runtime: 2 is Argon2id.
const options: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<PasswordHasher.PasswordHasher> = Layer.effect(
  PasswordHasher.PasswordHasher,
  Effect.gen(function* () {
    // A real hash to verify against when the login matched nobody, so both paths cost the same.
    const dummy = yield* Effect.promise(() => hash("rota-dummy-password-for-timing", options))
    return PasswordHasher.PasswordHasher.of({
      hash: Effect.fn("PasswordHasher.hash")((password) =>
        Effect.promise(() => hash(Redacted.value(password), options))
      ),
      verify: Effect.fn("PasswordHasher.verify")((stored, password) =>
        Effect.promise(() => verify(stored, Redacted.value(password)).catch(() => false))
      ),
      verifyDummy: Effect.fn("PasswordHasher.verifyDummy")((password) =>
        Effect.promise(() => verify(dummy, Redacted.value(password)).catch(() => false)).pipe(Effect.asVoid)
      )
    })
  })
)
