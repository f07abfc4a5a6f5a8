/**
 * What a use case knows about the request it serves: the request id that ties its logs, audit
 * events and problem responses together, and the acting account. Adapters (HTTP, a job, an
 * embedding app) provide both; the core only reads them.
 *
 * @since 0.1.0
 */
import { Context, Schema } from "effect"
import { AccountId, ApiKeyId, OrgId, RequestId } from "./Ids.ts"
import { Role } from "./Role.ts"

/**
 * The current request id. It has a default, so work that no request started (jobs, start-up,
 * an embedding app's script) still runs and is labelled `system`.
 *
 * @since 0.1.0
 * @category services
 */
export const CurrentRequestId: Context.Reference<RequestId> = Context.Reference<RequestId>(
  "@rota/core/CurrentRequestId",
  { defaultValue: () => RequestId.make("system") }
)

/**
 * The authenticated account acting inside one organisation, with its role there. A machine
 * client acts through an API key: then `apiKeyId` names the key, `accountId` and `role` are its
 * creator's, and `scopes` narrow what the role allows to what the key was given.
 *
 * @since 0.1.0
 * @category models
 */
export class Actor extends Schema.Class<Actor>("@rota/core/Actor")({
  accountId: AccountId,
  orgId: OrgId,
  role: Role,
  apiKeyId: Schema.optionalKey(ApiKeyId),
  scopes: Schema.optionalKey(Schema.Array(Schema.String))
}) {}

/**
 * The acting account in a tenant operation. Use cases that need one require this service, so
 * the type checker proves they cannot run unauthenticated.
 *
 * @since 0.1.0
 * @category services
 */
export class CurrentActor extends Context.Service<CurrentActor, Actor>()("@rota/core/CurrentActor") {}
