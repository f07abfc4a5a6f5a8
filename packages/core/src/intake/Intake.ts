/**
 * Self-service intake: each unit has a public link (printed as a QR code on it) to a form that
 * anyone can fill in without an account; a request opens a pending corrective intervention on
 * the unit for triage. The link is a signed token naming the org, the unit and the link's
 * generation, so nothing secret is stored, and revoking moves the generation on.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Duration, Effect, Layer, Option, Schema } from "effect"
import { TokenSigner } from "../identity/TokenSigner.ts"
import { InterventionId, type InterventionId as InterventionIdType } from "../interventions/Intervention.ts"
import { Interventions } from "../interventions/Interventions.ts"
import { UnitRepo } from "../inventory/InventoryRepos.ts"
import { type UnitId, UnitId as UnitIdSchema } from "../inventory/ResourceUnit.ts"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import { type Forbidden, NotFound, type ValidationFailed } from "../kernel/Errors.ts"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { IntakeBusy } from "./IntakeErrors.ts"
import { IntakeRepo } from "./IntakeRepo.ts"
import * as Rules from "./IntakeRules.ts"
import type { IntakeLink, WorkRequest, WorkRequestReceipt } from "./WorkRequest.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Intake extends Context.Service<
  Intake,
  {
    /** The unit's current link (managers of inventory: they print it). */
    readonly link: (unitId: string) => Effect.Effect<IntakeLink, Forbidden | NotFound, CurrentActor>
    /** Ends every earlier link of the unit and answers the new one. */
    readonly revoke: (unitId: string) => Effect.Effect<IntakeLink, Forbidden | NotFound, CurrentActor>
    /** Whether a link opens a form: the unit it is for, or `NotFound`. */
    readonly open: (token: string) => Effect.Effect<{ readonly unitLabel: string }, NotFound>
    /** Takes a request from a link's form. */
    readonly submit: (
      token: string,
      request: WorkRequest
    ) => Effect.Effect<WorkRequestReceipt, NotFound | IntakeBusy | ValidationFailed>
  }
>()("@rota/core/intake/Intake") {}

// Printed on equipment that stays in service for years.
const linkLifetime = Duration.days(5 * 366)
const window = Duration.hours(1)
const decodeOrgId = Schema.decodeUnknownOption(OrgId)
const decodeUnitId = Schema.decodeUnknownOption(UnitIdSchema)
const noSuchLink = new NotFound({ entity: "intake link", id: "" })

interface Deps {
  readonly repo: IntakeRepo["Service"]
  readonly units: UnitRepo["Service"]
  readonly signer: TokenSigner["Service"]
}

const sign = (deps: Deps, orgId: string, unitId: UnitId, generation: number) =>
  Effect.gen(function* () {
    const now = yield* DateTime.now
    const token = yield* deps.signer.signPurpose({
      purpose: Rules.purpose,
      subject: Rules.subjectOf(orgId, unitId),
      id: String(generation),
      expiresAt: DateTime.addDuration(now, linkLifetime)
    })
    return { unitId, token, generation }
  })

// A unit of the caller's org, for whoever manages inventory.
const managedUnit = (deps: Deps, id: string) =>
  Effect.gen(function* () {
    yield* Permissions.require("inventory.write")
    const actor = yield* CurrentActor
    const unitId = Option.getOrUndefined(decodeUnitId(id))
    const unit = unitId === undefined ? Option.none() : yield* deps.units.find(actor.orgId, unitId)
    if (Option.isNone(unit)) return yield* new NotFound({ entity: "unit", id })
    return { orgId: actor.orgId, unit: unit.value }
  })

// The org and unit of a live link, whose generation is the unit's current one.
const resolve = (deps: Deps, token: string) =>
  Effect.gen(function* () {
    const claims = yield* Effect.mapError(deps.signer.verifyPurpose(token, Rules.purpose), () => noSuchLink)
    const subject = Rules.parseSubject(claims.subject)
    const orgId = Option.getOrUndefined(decodeOrgId(subject?.orgId))
    const unitId = Option.getOrUndefined(decodeUnitId(subject?.unitId))
    if (orgId === undefined || unitId === undefined) return yield* noSuchLink
    if (String(yield* deps.repo.generation(orgId, unitId)) !== claims.id) return yield* noSuchLink
    const unit = yield* deps.units.find(orgId, unitId)
    if (Option.isNone(unit)) return yield* noSuchLink
    return { orgId, unit: unit.value }
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Intake,
  never,
  IntakeRepo | UnitRepo | Interventions | TokenSigner | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  Intake,
  Effect.gen(function* () {
    const deps: Deps = { repo: yield* IntakeRepo, units: yield* UnitRepo, signer: yield* TokenSigner }
    const interventions = yield* Interventions
    const transactor = yield* Transactor
    const services = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    return Intake.of({
      link: Effect.fn("Intake.link")(function* (id) {
        const { orgId, unit } = yield* managedUnit(deps, id)
        return yield* sign(deps, orgId, unit.id, yield* deps.repo.generation(orgId, unit.id))
      }),
      revoke: Effect.fn("Intake.revoke")(function* (id) {
        const { orgId, unit } = yield* managedUnit(deps, id)
        const generation = yield* transactor.withTransaction(
          Effect.gen(function* () {
            const next = yield* deps.repo.revoke(orgId, unit.id)
            yield* Audit.record({
              entityType: "unit",
              entityId: unit.id,
              action: "UPDATE",
              after: { intakeLinkGeneration: next }
            })
            yield* Outbox.send({
              orgId,
              topic: "unit.intake_link_revoked",
              payload: { id: unit.id, generation: next }
            })
            return next
          }).pipe(Effect.provide(services))
        )
        return yield* sign(deps, orgId, unit.id, generation)
      }),
      open: Effect.fn("Intake.open")(function* (token) {
        const { unit } = yield* resolve(deps, token)
        return { unitLabel: unit.barcode }
      }),
      submit: Effect.fn("Intake.submit")(function* (token, request) {
        const { orgId, unit } = yield* resolve(deps, token)
        // A bot is told what a person is told, so it learns nothing to adapt to.
        if (Rules.isBot(request)) return { reference: "received" }
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const now = yield* DateTime.now
            const recent = yield* deps.repo.countSince(orgId, unit.id, DateTime.subtractDuration(now, window))
            if (recent >= Rules.hourlyLimit)
              return yield* new IntakeBusy({ retryAfterSeconds: Duration.toSeconds(window) })
            const id: InterventionIdType = yield* nextId(InterventionId)
            const opened = yield* interventions
              .openAsSystem(orgId, id, Rules.toIntervention(unit.id, request))
              .pipe(
                Effect.catchTag("Conflict", () => Effect.die("an unscheduled intervention claims no time"))
              )
            yield* deps.repo.record({ orgId, unitId: unit.id, interventionId: opened.id, at: now })
            return { reference: opened.number }
          }).pipe(Effect.provide(services))
        )
      })
    })
  })
)
