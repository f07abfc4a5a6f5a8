/**
 * The part of the intervention contract about what hangs off an intervention: the leaderboard
 * of completed work, the append-only timeline, the parts used, and the documents (metadata and
 * bytes). `InterventionReposContract` runs these cases.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { Document, DocumentId } from "../interventions/Document.ts"
import {
  DocumentRepo,
  DocumentStore,
  InterventionRepo,
  PartUseRepo,
  TimelineRepo
} from "../interventions/InterventionRepos.ts"
import { PartUse, PartUseId } from "../interventions/PartUse.ts"
import { TimelineEvent, TimelineEventId } from "../interventions/TimelineEvent.ts"
import { type AccountId, nextId, OrgId, Uuid } from "../kernel/Ids.ts"
import { type ContractCase, expectEqual } from "./Contract.ts"
import { everyPage } from "./CrewFixtures.ts"
import { at, intervention, type Ports, workshop } from "./InterventionFixtures.ts"
import { part } from "./InventoryFixtures.ts"

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((item) => item.id)

const done = (by: AccountId | null, assigneeIds: ReadonlyArray<AccountId>, hour: number) => ({
  status: "COMPLETED" as const,
  completedAt: at(hour),
  completedBy: by,
  assigneeIds
})

/**
 * @since 0.1.0
 * @category suites
 */
export const InterventionRecordsCases: ReadonlyArray<ContractCase<Ports>> = [
  {
    name: "the leaderboard credits each assignee of a completed intervention (or its completer), ties sharing a rank",
    run: Effect.gen(function* () {
      const interventions = yield* InterventionRepo
      const { orgId, people } = yield* workshop(["ann", "bob", "cat"])
      const [ann, bob, cat] = [people[0]!, people[1]!, people[2]!]
      yield* intervention(orgId, 1, done(null, [ann.id, bob.id], 5))
      yield* intervention(orgId, 2, done(ann.id, [ann.id], 6))
      yield* intervention(orgId, 3, done(cat.id, [], 7))
      yield* intervention(orgId, 4, done(bob.id, [bob.id], 200))
      const hidden = yield* intervention(orgId, 5, done(bob.id, [bob.id], 8))
      yield* Effect.orDie(
        interventions.softDelete(orgId, hidden.id, undefined, DateTime.makeUnsafe(Date.UTC(2031, 5, 1)))
      )
      yield* intervention(orgId, 6, { status: "IN_PROGRESS", assigneeIds: [cat.id] })
      const period = { startAt: at(0), endAt: at(100) }
      const entry = (rank: number, person: typeof ann, completed: number) => ({
        rank,
        accountId: person.id,
        username: person.username,
        fullName: `Full ${person.username}`,
        completed
      })
      const board = [entry(1, ann, 2), entry(2, bob, 1), entry(2, cat, 1)]
      yield* expectEqual(yield* interventions.leaderboard(orgId, period, 10), board, "ranked")
      yield* expectEqual(yield* interventions.leaderboard(orgId, period, 2), board.slice(0, 2), "at most two")
      yield* expectEqual(
        yield* interventions.leaderboard(orgId, { startAt: at(6), endAt: at(7) }, 10),
        [entry(1, ann, 1)],
        "in a narrower period (its end excluded)"
      )
      yield* expectEqual(
        yield* interventions.leaderboard(yield* nextId(OrgId), period, 10),
        [],
        "another org's"
      )
    })
  },
  {
    name: "the timeline and the parts used list oldest first, in pages, for their intervention only",
    run: Effect.gen(function* () {
      const timeline = yield* TimelineRepo
      const uses = yield* PartUseRepo
      const { orgId, people } = yield* workshop(["ann"])
      const ann = people[0]!.id
      const target = yield* intervention(orgId, 1)
      const other = yield* intervention(orgId, 2)
      const event = (hour: number, interventionId = target.id) =>
        Effect.gen(function* () {
          const appended = new TimelineEvent({
            id: yield* nextId(TimelineEventId),
            orgId,
            interventionId,
            type: hour === 0 ? "created" : "note",
            actorId: hour === 0 ? null : ann,
            at: at(hour),
            data: hour === 0 ? {} : { text: `note ${hour}` }
          })
          yield* timeline.append(appended)
          return appended
        })
      const [late, early, middle, tie] = [yield* event(2), yield* event(0), yield* event(1), yield* event(1)]
      yield* event(1, other.id)
      const events = yield* everyPage((cursor) => timeline.list(orgId, target.id, { limit: 2, cursor }))
      const same = [middle, tie].sort((a, b) => (a.id < b.id ? -1 : 1))
      yield* expectEqual(events, [early, ...same, late], "oldest first, then by id")
      yield* expectEqual(
        (yield* timeline.list(yield* nextId(OrgId), target.id, { limit: 5 })).items,
        [],
        "another org's"
      )
      const forged = yield* Effect.flip(timeline.list(orgId, target.id, { limit: 2, cursor: "forged" }))
      yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
      const stock = yield* Effect.orDie(part(orgId, "sku-1", 10))
      const use = (hour: number, quantity: number) =>
        Effect.gen(function* () {
          const used = new PartUse({
            id: yield* nextId(PartUseId),
            orgId,
            interventionId: target.id,
            partId: stock.id,
            quantity,
            unitPrice: { amount: 250, currency: "EUR" },
            total: { amount: 250 * quantity, currency: "EUR" },
            usedBy: ann,
            usedAt: at(hour)
          })
          yield* uses.insert(used)
          return used
        })
      const [second, first, third] = [yield* use(4, 2), yield* use(3, 1), yield* use(5, 3)]
      const used = yield* everyPage((cursor) => uses.list(orgId, target.id, { limit: 2, cursor }))
      yield* expectEqual(used, [first, second, third], "parts used, oldest first")
      yield* expectEqual(
        (yield* uses.list(orgId, other.id, { limit: 5 })).items,
        [],
        "of another intervention"
      )
    })
  },
  {
    name: "documents are found and listed while live, hidden once; their bytes are kept per org",
    run: Effect.gen(function* () {
      const documents = yield* DocumentRepo
      const store = yield* DocumentStore
      const { orgId, people } = yield* workshop(["ann"])
      const target = yield* intervention(orgId, 1)
      const document = (hour: number) =>
        Effect.gen(function* () {
          const stored = new Document({
            id: yield* nextId(DocumentId),
            orgId,
            interventionId: target.id,
            filename: `report-${hour}.pdf`,
            contentType: "application/pdf",
            size: 5,
            sha256: "0".repeat(64),
            storageKey: yield* nextId(Uuid),
            createdBy: people[0]!.id,
            createdAt: at(hour),
            deletedAt: null
          })
          yield* documents.insert(stored)
          return stored
        })
      const [b, a, c] = [yield* document(1), yield* document(0), yield* document(2)]
      yield* expectEqual(yield* documents.find(orgId, a.id), Option.some(a), "found")
      yield* expectEqual(
        Option.isNone(yield* documents.find(yield* nextId(OrgId), a.id)),
        true,
        "another org's"
      )
      yield* expectEqual(Option.isNone(yield* documents.find(orgId, "not-a-uuid")), true, "a malformed id")
      const hidden = yield* documents.softDelete(orgId, c.id, DateTime.makeUnsafe(Date.UTC(2031, 5, 1)))
      yield* expectEqual(
        Option.map(hidden, (d) => [d.id, d.deletedAt !== null]),
        Option.some([c.id, true]),
        "hidden"
      )
      yield* expectEqual(
        Option.isNone(yield* documents.softDelete(orgId, c.id, DateTime.nowUnsafe())),
        true,
        "hidden twice"
      )
      yield* expectEqual(
        Option.isNone(yield* documents.softDelete(yield* nextId(OrgId), a.id, DateTime.nowUnsafe())),
        true,
        "hidden from another org"
      )
      yield* expectEqual(Option.isNone(yield* documents.find(orgId, c.id)), true, "a hidden one")
      const live = yield* everyPage((cursor) => documents.list(orgId, target.id, { limit: 1, cursor }))
      yield* expectEqual(ids(live), ids([a, b]), "live ones, oldest first")
      const bytes = new Uint8Array([37, 80, 68, 70, 45])
      yield* store.put(orgId, a.storageKey, bytes)
      const read = (org: OrgId) =>
        Effect.map(
          store.get(org, a.storageKey),
          Option.map((got) => Array.from(got))
        )
      yield* expectEqual(yield* read(orgId), Option.some(Array.from(bytes)), "bytes read back")
      yield* expectEqual(Option.isNone(yield* read(yield* nextId(OrgId))), true, "from another org")
      yield* store.remove(yield* nextId(OrgId), a.storageKey)
      yield* expectEqual(Option.isSome(yield* read(orgId)), true, "kept when another org removes its key")
      yield* store.remove(orgId, a.storageKey)
      yield* expectEqual(Option.isNone(yield* read(orgId)), true, "removed")
    })
  }
]
