/**
 * Creating an org (its owner is the caller) and reading or changing the caller's current one.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { NotFound } from "../kernel/Errors.ts"
import { type AccountId, nextId, OrgId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import * as Versioning from "../kernel/Versioning.ts"
import { defaultSettings, Organization, type Settings, slugify } from "./Organization.ts"
import type { Deps } from "./OrgDeps.ts"

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
 * @category models
 */
export interface NewOrg {
  readonly name: string
  readonly timezone?: string | undefined
}

// The org under the first free slug of its name, in the caller's transaction.
const insertOrg = Effect.fnUntraced(function* (deps: Deps, id: OrgId, input: NewOrg, createdAt: number) {
  const base = slugify(input.name)
  for (let attempt = 0; ; attempt++) {
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
    const inserted = yield* Effect.result(deps.transactor.savepoint(deps.orgs.insert(candidate)))
    if (inserted._tag === "Success") return candidate
    if (attempt >= 3) return yield* Effect.die(new Error(`no free slug for ${input.name}`))
  }
})

/**
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) => (accountId: AccountId, input: NewOrg) =>
  deps.transactor
    .withTransaction(
      Effect.gen(function* () {
        const id = yield* nextId(OrgId)
        const createdAt = yield* Clock.currentTimeMillis
        const org = yield* insertOrg(deps, id, input, createdAt)
        // A brand-new org has no members yet, so this cannot collide.
        yield* Effect.orDie(
          deps.memberships.insert({
            orgId: id,
            accountId,
            role: "owner",
            skills: [],
            tags: [],
            at: DateTime.makeUnsafe(createdAt)
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
    .pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const current = (deps: Deps) =>
  Effect.gen(function* () {
    yield* Permissions.require("org.read")
    const actor = yield* CurrentActor
    const org = yield* deps.orgs.findById(actor.orgId)
    if (Option.isNone(org)) return yield* new NotFound({ entity: "organization", id: actor.orgId })
    return org.value
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const update = (deps: Deps) => (expectedVersion: Versioning.Expected, changes: OrgChanges) =>
  Effect.gen(function* () {
    yield* Permissions.require("org.update")
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const before = yield* current(deps)
        const version = yield* Versioning.demand("organization", expectedVersion)
        const after = yield* deps.orgs.update(actor.orgId, version, changes)
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
  }).pipe(Effect.provide(deps.context))
