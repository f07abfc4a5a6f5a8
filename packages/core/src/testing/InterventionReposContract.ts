/**
 * The contract of every adapter of the intervention ports: interventions are versioned records
 * of one org carrying their assignees (found, listed in keyset pages by their filters and sorts,
 * changed compare-and-set, soft-deleted and restored), numbered from a per-org counter that a
 * rollback gives back; the leaderboard, timeline, parts used and documents are in
 * `InterventionRecordsContract`, whose cases this suite runs too.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { InterventionRepo } from "../interventions/InterventionRepos.ts"
import { nextId, OrgId } from "../kernel/Ids.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { everyPage } from "./CrewFixtures.ts"
import { at, intervention, type Ports, workshop } from "./InterventionFixtures.ts"
import { InterventionRecordsCases } from "./InterventionRecordsContract.ts"
import { resource } from "./InventoryFixtures.ts"

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((item) => item.id)

/**
 * @since 0.1.0
 * @category suites
 */
export const InterventionReposContract: ContractSuite<Ports> = {
  name: "InterventionRepos",
  cases: [
    {
      name: "an intervention is changed at its version with its assignees, soft-deleted, restored, and never seen from another org",
      run: Effect.gen(function* () {
        const interventions = yield* InterventionRepo
        const { orgId, people } = yield* workshop(["ann", "bob"])
        const [ann, bob] = [people[0]!.id, people[1]!.id]
        const stored = yield* intervention(orgId, 1, { assigneeIds: [bob, ann] })
        yield* expectEqual(stored.assigneeIds, [ann, bob].sort(), "assignees, by id")
        yield* expectEqual(yield* interventions.find(orgId, stored.id), Option.some(stored), "found")
        const otherOrg = yield* nextId(OrgId)
        yield* expectEqual(
          Option.isNone(yield* interventions.find(otherOrg, stored.id)),
          true,
          "another org's"
        )
        yield* expectEqual(Option.isNone(yield* interventions.find(orgId, "INT-000001")), true, "not an id")
        const started = yield* interventions.update(orgId, stored.id, 1, {
          status: "IN_PROGRESS",
          assigneeIds: [ann]
        })
        yield* expectEqual(
          [started.status, started.assigneeIds, started.version],
          ["IN_PROGRESS", [ann], 2],
          "started"
        )
        const done = yield* interventions.update(orgId, stored.id, 2, {
          status: "COMPLETED",
          completedAt: at(5),
          completedBy: ann,
          partsCost: { amount: 1250, currency: "EUR" }
        })
        yield* expectEqual(
          [done.number, done.assigneeIds, done.partsCost, done.completedBy],
          ["INT-000001", [ann], { amount: 1250, currency: "EUR" }, ann],
          "completed, keeping its number and assignees"
        )
        const stale = yield* Effect.flip(interventions.update(orgId, stored.id, 2, { title: "Late" }))
        yield* expectEqual(stale._tag, "PreconditionFailed", "a stale update")
        const foreign = yield* Effect.flip(
          interventions.update(otherOrg, stored.id, undefined, { title: "X" })
        )
        yield* expectEqual(foreign._tag, "NotFound", "another org's update")
        const deleted = yield* interventions.softDelete(
          orgId,
          stored.id,
          3,
          DateTime.makeUnsafe(Date.UTC(2031, 5, 1))
        )
        yield* expectEqual([deleted.deletedAt !== null, deleted.version], [true, 4], "deleted")
        yield* expectEqual(Option.isNone(yield* interventions.find(orgId, stored.id)), true, "hidden")
        yield* expectEqual(
          Option.map(
            yield* interventions.find(orgId, stored.id, { includeDeleted: true }),
            (i) => i.assigneeIds
          ),
          Option.some([ann]),
          "found with the deleted, with its assignees"
        )
        yield* expectEqual(
          (yield* interventions.list(orgId, { limit: 5, filters: {} })).items,
          [],
          "not listed"
        )
        const restored = yield* interventions.restore(orgId, stored.id, 4)
        yield* expectEqual([restored.deletedAt, restored.version], [null, 5], "restored")
      })
    },
    {
      name: "numbers are taken one after the other per org, and a rolled-back one is given back",
      run: Effect.gen(function* () {
        const interventions = yield* InterventionRepo
        const tx = yield* Transactor
        const [a, b] = [yield* nextId(OrgId), yield* nextId(OrgId)]
        yield* expectEqual(
          [
            yield* interventions.nextNumber(a),
            yield* interventions.nextNumber(a),
            yield* interventions.nextNumber(b)
          ],
          [1, 2, 1],
          "taken"
        )
        const undone = yield* Effect.flip(
          tx.withTransaction(Effect.andThen(interventions.nextNumber(a), Effect.fail("undone" as const)))
        )
        yield* expectEqual(undone, "undone", "rolled back")
        yield* expectEqual(yield* interventions.nextNumber(a), 3, "given back")
        yield* expectEqual(yield* tx.withTransaction(interventions.nextNumber(a)), 4, "in a transaction")
      })
    },
    {
      name: "interventions list newest first by default, or by number, priority or due date (none last)",
      run: Effect.gen(function* () {
        const interventions = yield* InterventionRepo
        const { orgId } = yield* workshop([])
        const third = yield* intervention(orgId, 3, { priority: "LOW", dueAt: at(50), created: 0 })
        const first = yield* intervention(orgId, 1, { priority: "URGENT", created: 1 })
        const second = yield* intervention(orgId, 2, { priority: "NORMAL", dueAt: at(40), created: 2 })
        const fourth = yield* intervention(orgId, 4, { priority: "HIGH", dueAt: at(60), created: 3 })
        yield* intervention(yield* nextId(OrgId), 1)
        const all = (sort?: {
          readonly field: "createdAt" | "dueAt" | "priority" | "number"
          readonly direction: "asc" | "desc"
        }) =>
          Effect.map(
            everyPage((cursor) => interventions.list(orgId, { limit: 3, cursor, sort, filters: {} })),
            ids
          )
        yield* expectEqual(yield* all(), ids([fourth, second, first, third]), "newest first")
        yield* expectEqual(
          yield* all({ field: "number", direction: "asc" }),
          ids([first, second, third, fourth]),
          "by number"
        )
        yield* expectEqual(
          yield* all({ field: "priority", direction: "desc" }),
          ids([first, fourth, second, third]),
          "most urgent first"
        )
        yield* expectEqual(
          yield* all({ field: "dueAt", direction: "asc" }),
          ids([second, third, fourth, first]),
          "by due date"
        )
        const forged = yield* Effect.flip(
          interventions.list(orgId, { limit: 3, cursor: "forged", filters: {} })
        )
        yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
      })
    },
    {
      name: "interventions filter by status, kind, priority, technician, client, resource, text and schedule",
      run: Effect.gen(function* () {
        const interventions = yield* InterventionRepo
        const { orgId, people } = yield* workshop(["ann", "bob", "carl"])
        const [ann, bob, carl] = [people[0]!, people[1]!, people[2]!]
        const van = yield* resource(orgId, [])
        const i1 = yield* intervention(orgId, 1, {
          priority: "HIGH",
          assigneeIds: [ann.id],
          clientId: carl.id,
          title: "Broken pump"
        })
        const i2 = yield* intervention(orgId, 2, {
          ...{ status: "IN_PROGRESS", kind: "PREVENTIVE", priority: "LOW", assigneeIds: [bob.id] },
          ...{ resourceId: van.id, description: "Annual check of the boiler" },
          ...{ scheduledStart: at(10), scheduledEnd: at(12), created: 1 }
        })
        const i3 = yield* intervention(orgId, 3, {
          ...{ status: "COMPLETED", priority: "URGENT", assigneeIds: [ann.id, bob.id], subject: "Van 7" },
          ...{ scheduledStart: at(30), scheduledEnd: at(32), created: 2 }
        })
        const found = (filters: Parameters<typeof interventions.list>[1]["filters"]) =>
          Effect.map(
            interventions.list(orgId, { limit: 10, sort: { field: "number", direction: "asc" }, filters }),
            (page) => ids(page.items)
          )
        const expect = (
          filters: Parameters<typeof found>[0],
          expected: ReadonlyArray<{ readonly id: string }>
        ) =>
          Effect.flatMap(found(filters), (actual) =>
            expectEqual(actual, ids(expected), JSON.stringify(filters))
          )
        yield* expect({ statuses: ["PENDING", "COMPLETED"] }, [i1, i3])
        yield* expect({ kinds: ["PREVENTIVE"] }, [i2])
        yield* expect({ priorities: ["HIGH", "URGENT"] }, [i1, i3])
        yield* expect({ technicianId: ann.id }, [i1, i3])
        yield* expect({ technicianId: ann.id, statuses: ["COMPLETED"] }, [i3])
        yield* expect({ technicianUsername: bob.username.toUpperCase() }, [i2, i3])
        yield* expect({ technicianUsername: "nobody" }, [])
        yield* expect({ clientId: carl.id }, [i1])
        yield* expect({ clientUsername: carl.username.toUpperCase() }, [i1])
        yield* expect({ visibleTo: carl.id }, [i1])
        yield* expect({ visibleTo: ann.id }, [])
        yield* expect({ resourceId: van.id }, [i2])
        yield* expect({ q: "int-000002" }, [i2])
        yield* expect({ q: "BOILER" }, [i2])
        yield* expect({ q: "van 7" }, [i3])
        yield* expect({ q: "pump" }, [i1])
        // The schedule overlaps the window; without one, the creation falls in it.
        yield* expect({ from: at(11), to: at(20) }, [i2])
        yield* expect({ from: at(0), to: at(1) }, [i1])
        yield* expect({ from: at(31) }, [i3])
        const other = yield* interventions.list(yield* nextId(OrgId), { limit: 10, filters: {} })
        yield* expectEqual(other.items, [], "another org's")
      })
    },
    {
      name: "pages stay whole across several statuses and across undated interventions",
      run: Effect.gen(function* () {
        const interventions = yield* InterventionRepo
        const { orgId } = yield* workshop([])
        const rows = [
          yield* intervention(orgId, 1, { status: "COMPLETED", dueAt: at(30), created: 0 }),
          yield* intervention(orgId, 2, { created: 1 }),
          yield* intervention(orgId, 3, { status: "IN_PROGRESS", dueAt: at(10), created: 2 }),
          yield* intervention(orgId, 4, { status: "COMPLETED", created: 3 }),
          yield* intervention(orgId, 5, { dueAt: at(20), created: 4 })
        ]
        const [one, two, three, four, five] = rows as [
          (typeof rows)[0],
          (typeof rows)[0],
          (typeof rows)[0],
          (typeof rows)[0],
          (typeof rows)[0]
        ]
        const read = (
          limit: number,
          filters: Parameters<typeof interventions.list>[1]["filters"],
          sort?: { readonly field: "createdAt" | "dueAt" | "priority"; readonly direction: "asc" | "desc" }
        ) =>
          Effect.map(
            everyPage((cursor) => interventions.list(orgId, { limit, cursor, sort, filters })),
            ids
          )
        const undated = [two, four].map((i) => i.id).sort()
        yield* expectEqual(
          yield* read(1, { statuses: ["PENDING", "COMPLETED"] }),
          ids([five, four, two, one]),
          "two statuses, newest first, a row a page"
        )
        yield* expectEqual(
          yield* read(1, {}, { field: "dueAt", direction: "asc" }),
          [...ids([three, five, one]), ...undated],
          "by due date, the undated last"
        )
        yield* expectEqual(
          yield* read(
            2,
            { statuses: ["PENDING", "IN_PROGRESS", "COMPLETED"] },
            { field: "dueAt", direction: "desc" }
          ),
          [...[...undated].reverse(), ...ids([one, five, three])],
          "by due date descending, the undated first"
        )
        yield* expectEqual(
          yield* read(1, { statuses: ["PENDING", "COMPLETED"] }, { field: "priority", direction: "asc" }),
          [one, two, four, five].map((i) => i.id).sort(),
          "equal priorities by id, a row a page"
        )
      })
    },
    ...InterventionRecordsCases
  ]
}
