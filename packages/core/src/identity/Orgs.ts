/**
 * Organisations as their members see them: the caller's orgs, creating one, reading and
 * changing the current one's name, time zone and policies.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Option } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import {
  type Forbidden,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired
} from "../kernel/Errors.ts"
import { type AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Role } from "../kernel/Role.ts"
import { Transactor } from "../kernel/Transactor.ts"
import * as Versioning from "../kernel/Versioning.ts"
import { MembershipRepo, OrgRepo } from "./IdentityRepos.ts"
import { defaultSettings, Organization, type Settings, slugify } from "./Organization.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface OrgChanges {
  readonly name?: string | undefined
  readonly timezone?: string | undefined
  readonly settings?: Settings | undefined
}

/**
 * @since 0.1.0
 * @category services
 */
export class Orgs extends Context.Service<
  Orgs,
  {
    readonly listMine: (
      accountId: AccountId
    ) => Effect.Effect<ReadonlyArray<{ readonly org: Organization; readonly role: Role }>>
    readonly create: (
      accountId: AccountId,
      input: { readonly name: string; readonly timezone?: string | undefined }
    ) => Effect.Effect<Organization>
    readonly current: Effect.Effect<Organization, Forbidden | NotFound, CurrentActor>
    readonly update: (
      expectedVersion: Versioning.Expected,
      changes: OrgChanges
    ) => Effect.Effect<
      Organization,
      Forbidden | NotFound | PreconditionFailed | PreconditionRequired,
      CurrentActor
    >
  }
>()("@rota/core/identity/Orgs") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Orgs, never, OrgRepo | MembershipRepo | Transactor | AuditLog | Ids> =
  Layer.effect(
    Orgs,
    Effect.gen(function* () {
      const orgs = yield* OrgRepo
      const memberships = yield* MembershipRepo
      const transactor = yield* Transactor
      const context = yield* Effect.context<AuditLog | Ids>()

      const create = (
        accountId: AccountId,
        input: { readonly name: string; readonly timezone?: string | undefined }
      ) =>
        transactor
          .withTransaction(
            Effect.gen(function* () {
              const id = yield* nextId(OrgId)
              const createdAt = yield* Clock.currentTimeMillis
              const base = slugify(input.name)
              let org: Organization | undefined
              for (let attempt = 0; org === undefined; attempt++) {
                const candidate = new Organization({
                  id,
                  name: input.name,
                  slug: attempt === 0 ? base : `${base}-${id.slice(-4 - attempt)}`,
                  timezone: input.timezone ?? "UTC",
                  settings: defaultSettings,
                  version: 1,
                  createdAt: DateTime.makeUnsafe(createdAt)
                })
                // Each attempt in its own savepoint: a taken slug must not abort the transaction.
                const inserted = yield* Effect.result(transactor.savepoint(orgs.insert(candidate)))
                if (inserted._tag === "Success") org = candidate
                else if (attempt >= 3) return yield* Effect.die(new Error(`no free slug for ${input.name}`))
              }
              // A brand-new org has no members yet, so this cannot collide.
              yield* Effect.orDie(
                memberships.insert({
                  orgId: id,
                  accountId,
                  role: "owner",
                  skills: [],
                  tags: [],
                  at: new Date(createdAt)
                })
              )
              const scope = { orgId: id, actorId: accountId }
              yield* Audit.recordAs(scope, {
                entityType: "organization",
                entityId: id,
                action: "CREATE",
                after: org
              })
              yield* Audit.recordAs(scope, {
                entityType: "member",
                entityId: accountId,
                action: "CREATE",
                after: { accountId, role: "owner" }
              })
              return org
            })
          )
          .pipe(Effect.provide(context))

      const current = Effect.gen(function* () {
        yield* Permissions.require("org.read")
        const actor = yield* CurrentActor
        const org = yield* orgs.findById(actor.orgId)
        if (Option.isNone(org)) return yield* new NotFound({ entity: "organization", id: actor.orgId })
        return org.value
      })

      const update = (expectedVersion: Versioning.Expected, changes: OrgChanges) =>
        Effect.gen(function* () {
          yield* Permissions.require("org.update")
          const actor = yield* CurrentActor
          return yield* transactor.withTransaction(
            Effect.gen(function* () {
              const before = yield* current
              const version = yield* Versioning.demand("organization", expectedVersion)
              const after = yield* orgs.update(actor.orgId, version, changes)
              yield* Audit.record({
                entityType: "organization",
                entityId: after.id,
                action: "UPDATE",
                before,
                after
              })
              return after
            })
          )
        }).pipe(Effect.provide(context))

      return Orgs.of({ listMine: orgs.listForAccount, create, current, update })
    })
  )
