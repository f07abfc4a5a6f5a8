/**
 * Parts used on an intervention: taken out of stock and added to its cost, all or nothing, and
 * the list of what was used.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { adjust, type Part, reachedReorderLevel, reorderPayload } from "../inventory/Part.ts"
import { nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import type { PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { access } from "./Access.ts"
import type { Intervention } from "./Intervention.ts"
import type { Deps } from "./InterventionDeps.ts"
import * as Rules from "./InterventionRules.ts"
import { append, find, invalid, lockForWrite, write } from "./InterventionSteps.ts"
import { PartUse, type PartUseFields, PartUseId } from "./PartUse.ts"

// The part, locked, priced in the intervention's currency.
const partFor = Effect.fnUntraced(function* (deps: Deps, before: Intervention, fields: PartUseFields) {
  const actor = yield* CurrentActor
  const part = yield* deps.parts.find(actor.orgId, fields.partId, { forUpdate: true })
  if (Option.isNone(part)) return yield* invalid([{ path: ["body", "partId"], message: "No such part" }])
  const { unitPrice } = part.value
  if (before.partsCost !== null && before.partsCost.currency !== unitPrice.currency)
    return yield* invalid([
      {
        path: ["body", "partId"],
        message: `The part is priced in ${unitPrice.currency}; this intervention's parts are in ${before.partsCost.currency}`
      }
    ])
  return part.value
})

// The pieces out of stock; refused when there are not enough.
const takeFromStock = Effect.fnUntraced(function* (deps: Deps, part: Part, quantity: number) {
  const quantityOnHand = yield* adjust(part, -quantity)
  return yield* deps.parts
    .update(part.orgId, part.id, undefined, { quantityOnHand })
    .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
})

// The stock change's audit and change events, and the reorder message when stock runs low.
const recordStockChange = Effect.fnUntraced(function* (
  deps: Deps,
  part: Part,
  partAfter: Part,
  quantity: number,
  number: string
) {
  yield* deps.partCatalog.recordChange("UPDATE", part, partAfter, {
    adjustment: { delta: -quantity, reason: `used on intervention ${number}` }
  })
  if (reachedReorderLevel(part, partAfter))
    yield* Effect.provide(
      Outbox.send({
        orgId: partAfter.orgId,
        topic: "part.below_reorder_level",
        payload: reorderPayload(partAfter)
      }),
      deps.messages
    )
})

/**
 * Takes the pieces out of stock and adds their cost, all or nothing.
 *
 * @since 0.1.0
 * @category steps
 */
export const useParts = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected, fields: PartUseFields) {
    yield* Permissions.require(access.write)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        // The intervention first, then the part: every part use locks in this order, so
        // parallel uses queue instead of deadlocking, and none reads stale stock.
        const { before, version } = yield* lockForWrite(deps, id, expectedVersion)
        yield* Rules.checkTakesParts(before)
        const part = yield* partFor(deps, before, fields)
        const partAfter = yield* takeFromStock(deps, part, fields.quantity)
        const { unitPrice } = part
        const total = { amount: unitPrice.amount * fields.quantity, currency: unitPrice.currency }
        const use = new PartUse({
          id: yield* nextId(PartUseId),
          orgId: actor.orgId,
          interventionId: before.id,
          partId: part.id,
          quantity: fields.quantity,
          unitPrice,
          total,
          usedBy: actor.accountId,
          usedAt: yield* DateTime.now
        })
        yield* deps.partUses.insert(use)
        const after = yield* write(deps, id, version, {
          partsCost: { amount: (before.partsCost?.amount ?? 0) + total.amount, currency: total.currency }
        })
        yield* append(deps, after, "part_used", {
          partUseId: use.id,
          partId: use.partId,
          quantity: use.quantity,
          total
        })
        yield* recordStockChange(deps, part, partAfter, fields.quantity, before.number)
        yield* deps.catalog.recordChange("UPDATE", before, after)
        return use
      }).pipe(Effect.provide(deps.services))
    )
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const partsUsed = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, page: PageRequest) {
    yield* Permissions.require(access.readAll)
    const intervention = yield* find(deps, id)
    return yield* deps.partUses.list(intervention.orgId, intervention.id, page)
  })
