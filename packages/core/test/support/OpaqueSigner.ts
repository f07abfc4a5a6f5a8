import { Effect, Layer } from "effect"
import { TokenSigner } from "../../src/identity/TokenSigner.ts"
import { Ids } from "../../src/kernel/Ids.ts"

// A signer of opaque secrets only: what API keys and calendar feeds use of it. The hash is the
// token reversed, enough to tell a right secret from a wrong one here.
export const signer: Layer.Layer<TokenSigner, never, Ids> = Layer.effect(
  TokenSigner,
  Effect.map(Effect.service(Ids), (ids) => {
    const hashOpaque = (token: string) => `hash:${[...token].reverse().join("")}`
    const unused = () => Effect.die(new Error("opaque secrets only"))
    return TokenSigner.of({
      opaque: Effect.map(ids.next, (id) => {
        const token = `secret_${id.replaceAll("-", "")}`
        return { token, hash: hashOpaque(token) }
      }),
      hashOpaque,
      issueAccess: unused,
      verifyAccess: unused,
      signPurpose: unused,
      verifyPurpose: unused,
      successorOf: () => {
        throw new Error("opaque secrets only")
      }
    })
  })
)
