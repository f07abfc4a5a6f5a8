import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect, Layer } from "effect"
import { createClient, type PromiseClient, RotaClient, RotaProblem } from "../src/index.ts"

const unique = () => Math.random().toString(36).slice(2, 8)

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail("expected the call to be refused"),
    (error: unknown) => {
      assert.instanceOf(error, RotaProblem)
      return error as RotaProblem
    }
  )

// Runs a Promise-based scenario against the live server of the surrounding layer.
const scenario = (body: (url: string) => Promise<void>) =>
  Effect.flatMap(Effect.service(TestServer.TestServer), ({ url }) => Effect.promise(() => body(url)))

// A fresh owner of a fresh organisation, with the client's session set to it.
const owner = async (url: string): Promise<PromiseClient> => {
  const rota = createClient({ baseUrl: url })
  const name = `inv${unique()}`
  const registered = await rota.auth.register({
    payload: {
      email: `${name}@example.test`,
      username: name,
      password: "Inventory-Pass-1",
      fullName: "Inventory Owner",
      // One organisation name per owner, so no two tests share a slug.
      orgName: `Inventory Org ${name}`
    }
  })
  rota.session.orgId = registered.org.id
  return rota
}

// The audit actions recorded for one entity, oldest first.
const actionsOf = async (rota: PromiseClient, entityId: string) => {
  const page = await rota.audit.list({ query: { entityId, limit: 100 } })
  return page.items.map((event) => event.action).reverse()
}

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "the Promise SDK against a live server: inventory",
  (it) => {
    it.effect("sites: create, list with q and sort, get, update with if-match, remove, restore", () =>
      scenario(async (url) => {
        const rota = await owner(url)
        const north = await rota.sites.create({
          headers: {},
          payload: { name: "North depot", address: "1 Quay Street", timezone: "Europe/Paris" }
        })
        assert.deepStrictEqual(
          [north.name, north.address, north.timezone, north.version, north.deletedAt],
          ["North depot", "1 Quay Street", "Europe/Paris", 1, null]
        )
        const south = await rota.sites.create({ headers: {}, payload: { name: "South lab" } })
        assert.deepStrictEqual([south.address, south.timezone], [null, null])

        const byText = await rota.sites.list({ query: { q: "QUAY" } })
        assert.deepStrictEqual(
          byText.items.map((site) => site.id),
          [north.id]
        )
        const byName = await rota.sites.list({ query: { sort: "-name" } })
        assert.deepStrictEqual(
          byName.items.map((site) => site.name),
          ["South lab", "North depot"]
        )
        assert.strictEqual(
          (await rota.sites.get({ params: { id: north.id }, query: {} })).name,
          "North depot"
        )

        const renamed = await rota.sites.update({
          params: { id: north.id },
          headers: { "if-match": '"1"' },
          payload: { name: "North depot (main)", address: null }
        })
        assert.deepStrictEqual(
          [renamed.name, renamed.address, renamed.timezone, renamed.version],
          ["North depot (main)", null, "Europe/Paris", 2]
        )

        await rota.sites.remove({ params: { id: north.id }, headers: { "if-match": '"2"' } })
        const gone = await rejection(rota.sites.get({ params: { id: north.id }, query: {} }))
        assert.deepStrictEqual([gone.code, gone.status], ["not_found", 404])
        const shown = await rota.sites.get({ params: { id: north.id }, query: { includeDeleted: true } })
        assert.isNotNull(shown.deletedAt)
        assert.strictEqual(shown.version, 3)
        const live = await rota.sites.list({ query: {} })
        assert.deepStrictEqual(
          live.items.map((site) => site.id),
          [south.id]
        )
        const restored = await rota.sites.restore({ params: { id: north.id }, headers: {} })
        assert.deepStrictEqual([restored.deletedAt, restored.version], [null, 4])
        // Restoring a live record changes nothing.
        const again = await rota.sites.restore({ params: { id: north.id }, headers: {} })
        assert.strictEqual(again.version, 4)
        assert.deepStrictEqual(await actionsOf(rota, north.id), [
          "CREATE",
          "UPDATE",
          "SOFT_DELETE",
          "RESTORE"
        ])
        await rota.dispose()
      })
    )

    it.effect("tags: unique whatever their case, renamed and deleted everywhere they are used", () =>
      scenario(async (url) => {
        const rota = await owner(url)
        const outdoor = await rota.tags.create({ headers: {}, payload: { name: "  Outdoor " } })
        assert.deepStrictEqual([outdoor.name, outdoor.version], ["Outdoor", 1])
        const hd = await rota.tags.create({ headers: {}, payload: { name: "4K" } })
        const taken = await rejection(rota.tags.create({ headers: {}, payload: { name: "OUTDOOR" } }))
        assert.deepStrictEqual(
          [taken.code, taken.status, taken.problem.field],
          ["already_exists", 409, "name"]
        )

        const listed = await rota.tags.list({ query: { sort: "name" } })
        assert.deepStrictEqual(
          listed.items.map((tag) => tag.name),
          ["4K", "Outdoor"]
        )
        const found = await rota.tags.list({ query: { q: "door" } })
        assert.deepStrictEqual(
          found.items.map((tag) => tag.id),
          [outdoor.id]
        )

        const camera = await rota.resources.create({
          headers: {},
          payload: { name: "Camera", type: "camera", tags: ["outdoor", "4k"] }
        })
        assert.deepStrictEqual(camera.tags, ["4K", "Outdoor"])
        const renamed = await rota.tags.update({
          params: { id: outdoor.id },
          headers: { "if-match": '"1"' },
          payload: { name: "Field" }
        })
        assert.deepStrictEqual([renamed.name, renamed.version], ["Field", 2])
        const afterRename = await rota.resources.get({ params: { id: camera.id }, query: {} })
        assert.deepStrictEqual(afterRename.tags, ["4K", "Field"])
        // The resource itself did not change: tags are linked, not copied.
        assert.strictEqual(afterRename.version, 1)

        await rota.tags.remove({ params: { id: hd.id }, headers: {} })
        const afterDelete = await rota.resources.get({ params: { id: camera.id }, query: {} })
        assert.deepStrictEqual(afterDelete.tags, ["Field"])
        const deleted = await rota.tags.get({ params: { id: hd.id }, query: { includeDeleted: true } })
        assert.isNotNull(deleted.deletedAt)
        // A deleted tag's name is free again.
        const reused = await rota.tags.create({ headers: {}, payload: { name: "4k" } })
        assert.strictEqual(reused.name, "4k")
        const collides = await rejection(rota.tags.restore({ params: { id: hd.id }, headers: {} }))
        assert.deepStrictEqual([collides.code, collides.status], ["already_exists", 409])
        // Once the name is free again, the restored tag is back on the resources that had it.
        await rota.tags.remove({ params: { id: reused.id }, headers: {} })
        const back = await rota.tags.restore({ params: { id: hd.id }, headers: {} })
        assert.deepStrictEqual([back.name, back.deletedAt], ["4K", null])
        const afterRestore = await rota.resources.get({ params: { id: camera.id }, query: {} })
        assert.deepStrictEqual(afterRestore.tags, ["4K", "Field"])
        await rota.dispose()
      })
    )

    it.effect(
      "resources: create with tags and site, list with filters and cursor paging, get, update, remove, restore",
      () =>
        scenario(async (url) => {
          const rota = await owner(url)
          const site = await rota.sites.create({ headers: {}, payload: { name: "Depot" } })
          await rota.tags.create({ headers: {}, payload: { name: "4K" } })
          await rota.tags.create({ headers: {}, payload: { name: "Outdoor" } })
          const camera = await rota.resources.create({
            headers: { "idempotency-key": `camera-${unique()}` },
            payload: {
              name: "Cinema camera",
              type: "camera",
              siteId: site.id,
              serialNumber: "SN-777",
              tags: ["outdoor", "4k", "OUTDOOR"]
            }
          })
          assert.deepStrictEqual(
            [
              camera.name,
              camera.type,
              camera.siteId,
              camera.serialNumber,
              camera.description,
              camera.status,
              camera.tags,
              camera.version,
              camera.deletedAt
            ],
            ["Cinema camera", "camera", site.id, "SN-777", null, "AVAILABLE", ["4K", "Outdoor"], 1, null]
          )
          const van = await rota.resources.create({
            headers: {},
            payload: { name: "Van", type: "vehicle", status: "MAINTENANCE", description: "Long wheelbase" }
          })

          // Unknown tags are a 400 naming each one.
          const unknown = await rejection(
            rota.resources.create({
              headers: {},
              payload: { name: "Kit", type: "camera", tags: ["4K", "nope", "neither"] }
            })
          )
          assert.deepStrictEqual([unknown.code, unknown.status], ["validation_failed", 400])
          assert.deepStrictEqual(
            unknown.errors.map((issue) => issue.path),
            [
              ["body", "tags", 1],
              ["body", "tags", 2]
            ]
          )

          const ids = async (query: Parameters<PromiseClient["resources"]["list"]>[0]["query"]) =>
            (await rota.resources.list({ query })).items.map((resource) => resource.id).sort()
          const sorted = (...records: ReadonlyArray<{ readonly id: string }>) =>
            records.map((record) => record.id).sort()
          assert.deepStrictEqual(await ids({ type: ["camera"] }), sorted(camera))
          assert.deepStrictEqual(await ids({ type: ["camera", "vehicle"] }), sorted(camera, van))
          assert.deepStrictEqual(await ids({ status: ["MAINTENANCE"] }), sorted(van))
          assert.deepStrictEqual(await ids({ tag: "OUTDOOR" }), sorted(camera))
          assert.deepStrictEqual(await ids({ siteId: site.id }), sorted(camera))
          assert.deepStrictEqual(await ids({ q: "sn-7" }), sorted(camera))
          assert.deepStrictEqual(await ids({ q: "wheelbase" }), sorted(van))
          assert.deepStrictEqual(await ids({ createdFrom: van.createdAt }), sorted(van))
          assert.deepStrictEqual(await ids({ createdTo: van.createdAt }), sorted(camera))

          // Cursor paging: 7 kits in pages of 3, each once, in name order.
          const kits = []
          for (const index of [6, 2, 4, 0, 5, 1, 3]) {
            kits.push(
              await rota.resources.create({ headers: {}, payload: { name: `Kit ${index}`, type: "kit" } })
            )
          }
          const seen: Array<string> = []
          let cursor: string | null = null
          let pages = 0
          do {
            const query: { type: Array<string>; limit: number; sort: "name"; cursor?: string } = {
              type: ["kit"],
              limit: 3,
              sort: "name"
            }
            if (cursor !== null) query.cursor = cursor
            const page = await rota.resources.list({ query })
            seen.push(...page.items.map((resource) => resource.name))
            cursor = page.nextCursor
            pages++
          } while (cursor !== null && pages < 10)
          assert.strictEqual(pages, 3)
          assert.deepStrictEqual(seen, ["Kit 0", "Kit 1", "Kit 2", "Kit 3", "Kit 4", "Kit 5", "Kit 6"])

          const read = await rota.resources.get({ params: { id: camera.id }, query: {} })
          assert.deepStrictEqual(
            [read.name, read.version, read.tags],
            ["Cinema camera", 1, ["4K", "Outdoor"]]
          )

          const updated = await rota.resources.update({
            params: { id: camera.id },
            headers: { "if-match": '"1"' },
            payload: { status: "MAINTENANCE", tags: ["4k"], siteId: null }
          })
          assert.deepStrictEqual(
            [updated.status, updated.tags, updated.siteId, updated.version],
            ["MAINTENANCE", ["4K"], null, 2]
          )
          const stale = await rejection(
            rota.resources.update({
              params: { id: camera.id },
              headers: { "if-match": '"1"' },
              payload: { name: "Too late" }
            })
          )
          assert.deepStrictEqual([stale.code, stale.status], ["precondition_failed", 412])
          const missing = await rejection(
            rota.resources.update({ params: { id: camera.id }, headers: {}, payload: { name: "No version" } })
          )
          assert.deepStrictEqual([missing.code, missing.status], ["precondition_required", 428])

          await rota.resources.remove({ params: { id: camera.id }, headers: {} })
          const hidden = await rejection(rota.resources.get({ params: { id: camera.id }, query: {} }))
          assert.strictEqual(hidden.status, 404)
          const twice = await rejection(rota.resources.remove({ params: { id: camera.id }, headers: {} }))
          assert.deepStrictEqual([twice.code, twice.status], ["not_found", 404])
          assert.deepStrictEqual(await ids({ type: ["camera"] }), [])
          assert.deepStrictEqual(await ids({ type: ["camera"], includeDeleted: true }), sorted(camera))
          const restored = await rota.resources.restore({
            params: { id: camera.id },
            headers: { "if-match": '"3"' }
          })
          assert.deepStrictEqual([restored.deletedAt, restored.version, restored.tags], [null, 4, ["4K"]])
          assert.deepStrictEqual(await actionsOf(rota, camera.id), [
            "CREATE",
            "STATUS_CHANGE",
            "SOFT_DELETE",
            "RESTORE"
          ])
          await rota.dispose()
        })
    )

    it.effect("resources: of five concurrent updates from one version, one succeeds and four get 412", () =>
      scenario(async (url) => {
        const rota = await owner(url)
        const resource = await rota.resources.create({
          headers: {},
          payload: { name: "Drone", type: "drone" }
        })
        const outcomes = await Promise.all(
          [0, 1, 2, 3, 4].map((index) =>
            rota.resources
              .update({
                params: { id: resource.id },
                headers: { "if-match": `"${resource.version}"` },
                payload: { name: `Drone ${index}` }
              })
              .then(
                (updated) => updated.version,
                (error: unknown) => (error instanceof RotaProblem ? error.code : "unexpected")
              )
          )
        )
        assert.deepStrictEqual(outcomes.map(String).sort(), [
          "2",
          "precondition_failed",
          "precondition_failed",
          "precondition_failed",
          "precondition_failed"
        ])
        const after = await rota.resources.get({ params: { id: resource.id }, query: {} })
        assert.strictEqual(after.version, 2)
        await rota.dispose()
      })
    )

    it.effect("units: createUnit and listUnits under a resource; get, update, remove, restore by id", () =>
      scenario(async (url) => {
        const rota = await owner(url)
        const resource = await rota.resources.create({
          headers: {},
          payload: { name: "Tripod", type: "grip" }
        })
        const first = await rota.resources.createUnit({
          params: { id: resource.id },
          headers: {},
          payload: { barcode: "TRI-0001", condition: "NEW", notes: "carbon legs" }
        })
        assert.deepStrictEqual(
          [first.resourceId, first.barcode, first.condition, first.status, first.notes, first.version],
          [resource.id, "TRI-0001", "NEW", "AVAILABLE", "carbon legs", 1]
        )
        const second = await rota.resources.createUnit({
          params: { id: resource.id },
          headers: {},
          payload: { barcode: "TRI-0002", status: "MAINTENANCE" }
        })
        assert.deepStrictEqual([second.condition, second.notes], ["GOOD", null])

        const all = await rota.resources.listUnits({
          params: { id: resource.id },
          query: { sort: "-barcode" }
        })
        assert.deepStrictEqual(
          all.items.map((unit) => unit.barcode),
          ["TRI-0002", "TRI-0001"]
        )
        const available = await rota.resources.listUnits({
          params: { id: resource.id },
          query: { status: ["AVAILABLE"] }
        })
        assert.deepStrictEqual(
          available.items.map((unit) => unit.id),
          [first.id]
        )
        const byCondition = await rota.resources.listUnits({
          params: { id: resource.id },
          query: { condition: ["GOOD", "FAIR"] }
        })
        assert.deepStrictEqual(
          byCondition.items.map((unit) => unit.id),
          [second.id]
        )
        const byBarcode = await rota.resources.listUnits({
          params: { id: resource.id },
          query: { q: "tri-0002" }
        })
        assert.deepStrictEqual(
          byBarcode.items.map((unit) => unit.id),
          [second.id]
        )

        const read = await rota.units.get({ params: { id: first.id }, query: {} })
        assert.deepStrictEqual([read.barcode, read.version], ["TRI-0001", 1])
        const damaged = await rota.units.update({
          params: { id: first.id },
          headers: { "if-match": '"1"' },
          payload: { condition: "DAMAGED", status: "MAINTENANCE", notes: null }
        })
        assert.deepStrictEqual(
          [damaged.condition, damaged.status, damaged.notes, damaged.version],
          ["DAMAGED", "MAINTENANCE", null, 2]
        )
        const relabelled = await rota.units.update({
          params: { id: first.id },
          headers: { "if-match": '"2"' },
          payload: { barcode: "TRI-0100" }
        })
        assert.deepStrictEqual([relabelled.barcode, relabelled.version], ["TRI-0100", 3])
        const clash = await rejection(
          rota.units.update({
            params: { id: first.id },
            headers: { "if-match": '"3"' },
            payload: { barcode: "TRI-0002" }
          })
        )
        assert.deepStrictEqual(
          [clash.code, clash.status, clash.problem.field],
          ["already_exists", 409, "barcode"]
        )

        await rota.units.remove({ params: { id: first.id }, headers: { "if-match": '"3"' } })
        const gone = await rejection(rota.units.get({ params: { id: first.id }, query: {} }))
        assert.strictEqual(gone.code, "not_found")
        const listed = await rota.resources.listUnits({ params: { id: resource.id }, query: {} })
        assert.deepStrictEqual(
          listed.items.map((unit) => unit.id),
          [second.id]
        )
        const withDeleted = await rota.resources.listUnits({
          params: { id: resource.id },
          query: { includeDeleted: true, sort: "barcode" }
        })
        assert.deepStrictEqual(
          withDeleted.items.map((unit) => unit.id),
          [second.id, first.id]
        )
        const restored = await rota.units.restore({ params: { id: first.id }, headers: {} })
        assert.deepStrictEqual(
          [restored.deletedAt, restored.version, restored.barcode],
          [null, 5, "TRI-0100"]
        )
        assert.deepStrictEqual(await actionsOf(rota, first.id), [
          "CREATE",
          "STATUS_CHANGE",
          "UPDATE",
          "SOFT_DELETE",
          "RESTORE"
        ])

        // Units of a deleted resource are out of reach through it.
        await rota.resources.remove({ params: { id: resource.id }, headers: {} })
        const orphan = await rejection(rota.resources.listUnits({ params: { id: resource.id }, query: {} }))
        assert.deepStrictEqual([orphan.code, orphan.status], ["not_found", 404])
        await rota.dispose()
      })
    )

    it.effect(
      "units: a duplicate barcode is a typed 409, and so is restoring a unit whose barcode was reused",
      () =>
        scenario(async (url) => {
          const rota = await owner(url)
          const resource = await rota.resources.create({
            headers: {},
            payload: { name: "Light", type: "light" }
          })
          const unit = await rota.resources.createUnit({
            params: { id: resource.id },
            headers: {},
            payload: { barcode: "LGT-1" }
          })
          const duplicate = await rejection(
            rota.resources.createUnit({
              params: { id: resource.id },
              headers: {},
              payload: { barcode: "LGT-1" }
            })
          )
          assert.deepStrictEqual(
            [duplicate.code, duplicate.status, duplicate.problem.field],
            ["already_exists", 409, "barcode"]
          )
          assert.match(duplicate.requestId ?? "", /^[0-9a-f-]{36}$/)
          // Barcodes are compared exactly: another case is another barcode.
          const lower = await rota.resources.createUnit({
            params: { id: resource.id },
            headers: {},
            payload: { barcode: "lgt-1" }
          })
          assert.strictEqual(lower.barcode, "lgt-1")

          await rota.units.remove({ params: { id: unit.id }, headers: {} })
          const reused = await rota.resources.createUnit({
            params: { id: resource.id },
            headers: {},
            payload: { barcode: "LGT-1" }
          })
          assert.notStrictEqual(reused.id, unit.id)
          const restore = await rejection(rota.units.restore({ params: { id: unit.id }, headers: {} }))
          assert.deepStrictEqual([restore.code, restore.status], ["already_exists", 409])
          assert.deepStrictEqual(await actionsOf(rota, unit.id), ["CREATE", "SOFT_DELETE"])
          await rota.dispose()
        })
    )

    it.effect(
      "parts: create, lowStock listing, adjust with a reason, insufficient stock is a typed 409",
      () =>
        scenario(async (url) => {
          const rota = await owner(url)
          const filter = await rota.parts.create({
            headers: {},
            payload: {
              sku: "FLT-10",
              name: "Oil filter",
              unitPrice: { amount: 1250, currency: "EUR" },
              quantityOnHand: 5,
              reorderLevel: 2
            }
          })
          assert.deepStrictEqual(
            [filter.sku, filter.quantityOnHand, filter.reorderLevel, filter.unitPrice, filter.description],
            ["FLT-10", 5, 2, { amount: 1250, currency: "EUR" }, null]
          )
          const belt = await rota.parts.create({
            headers: {},
            payload: { sku: "BLT-20", name: "Belt", unitPrice: { amount: 900, currency: "EUR" } }
          })
          assert.deepStrictEqual([belt.quantityOnHand, belt.reorderLevel], [0, 0])
          const sameSku = await rejection(
            rota.parts.create({
              headers: {},
              payload: { sku: "flt-10", name: "Other filter", unitPrice: { amount: 1, currency: "EUR" } }
            })
          )
          assert.deepStrictEqual(
            [sameSku.code, sameSku.status, sameSku.problem.field],
            ["already_exists", 409, "sku"]
          )

          // The belt (0 of 0) is low; the filter (5 over 2) is not yet.
          const lowBefore = await rota.parts.list({ query: { lowStock: true } })
          assert.deepStrictEqual(
            lowBefore.items.map((part) => part.id),
            [belt.id]
          )

          const taken = await rota.parts.adjust({
            params: { id: filter.id },
            headers: { "if-match": '"1"' },
            payload: { delta: -3, reason: "work order 42" }
          })
          assert.deepStrictEqual([taken.quantityOnHand, taken.version], [2, 2])
          const low = await rota.parts.list({ query: { lowStock: true, sort: "sku" } })
          assert.deepStrictEqual(
            low.items.map((part) => part.sku),
            ["BLT-20", "FLT-10"]
          )
          const notLow = await rota.parts.list({ query: { lowStock: false } })
          assert.deepStrictEqual(notLow.items, [])
          const byStock = await rota.parts.list({ query: { sort: "-quantityOnHand" } })
          assert.deepStrictEqual(
            byStock.items.map((part) => part.id),
            [filter.id, belt.id]
          )
          const searched = await rota.parts.list({ query: { q: "oil" } })
          assert.deepStrictEqual(
            searched.items.map((part) => part.id),
            [filter.id]
          )

          const short = await rejection(
            rota.parts.adjust({
              params: { id: filter.id },
              headers: {},
              payload: { delta: -5, reason: "big job" }
            })
          )
          assert.deepStrictEqual(
            [short.code, short.status, short.problem.onHand, short.problem.requested],
            ["insufficient_stock", 409, 2, 5]
          )
          const stale = await rejection(
            rota.parts.adjust({
              params: { id: filter.id },
              headers: { "if-match": '"1"' },
              payload: { delta: 10, reason: "delivery" }
            })
          )
          assert.deepStrictEqual([stale.code, stale.status], ["precondition_failed", 412])
          const restocked = await rota.parts.adjust({
            params: { id: filter.id },
            headers: {},
            payload: { delta: 10, reason: "delivery 7" }
          })
          assert.deepStrictEqual([restocked.quantityOnHand, restocked.version], [12, 3])

          // A PATCH changes the other fields; stock is not among them.
          const repriced = await rota.parts.update({
            params: { id: filter.id },
            headers: { "if-match": '"3"' },
            payload: { unitPrice: { amount: 1300, currency: "EUR" }, reorderLevel: 4 }
          })
          assert.deepStrictEqual(
            [repriced.unitPrice.amount, repriced.reorderLevel, repriced.quantityOnHand, repriced.version],
            [1300, 4, 12, 4]
          )

          // The reason of each adjustment is kept in its audit event.
          const trail = await rota.audit.list({
            query: { entityId: filter.id, action: ["UPDATE"], limit: 10 }
          })
          const reasons = trail.items.map((event) => {
            const after = event.after as {
              readonly adjustment?: { readonly reason: string; readonly delta: number }
            }
            return after.adjustment === undefined ? null : [after.adjustment.delta, after.adjustment.reason]
          })
          assert.deepStrictEqual(reasons.reverse(), [[-3, "work order 42"], [10, "delivery 7"], null])
          await rota.dispose()
        })
    )

    it.effect("parts: an adjustment retried with its idempotency key is applied once", () =>
      scenario(async (url) => {
        const rota = await owner(url)
        const part = await rota.parts.create({
          headers: {},
          payload: {
            sku: "NUT-1",
            name: "Nut",
            unitPrice: { amount: 5, currency: "EUR" },
            quantityOnHand: 100
          }
        })
        const key = `adjust-${unique()}`
        const first = await rota.parts.adjust({
          params: { id: part.id },
          headers: { "idempotency-key": key },
          payload: { delta: -40, reason: "kit assembly" }
        })
        const retry = await rota.parts.adjust({
          params: { id: part.id },
          headers: { "idempotency-key": key },
          payload: { delta: -40, reason: "kit assembly" }
        })
        assert.deepStrictEqual([first.quantityOnHand, retry.quantityOnHand, retry.version], [60, 60, 2])
        const read = await rota.parts.get({ params: { id: part.id }, query: {} })
        assert.strictEqual(read.quantityOnHand, 60)
        const reused = await rejection(
          rota.parts.adjust({
            params: { id: part.id },
            headers: { "idempotency-key": key },
            payload: { delta: -1, reason: "another" }
          })
        )
        assert.deepStrictEqual([reused.code, reused.status], ["idempotency_key_reused", 422])
        await rota.dispose()
      })
    )

    it.effect("members read inventory but cannot change it", () =>
      scenario(async (url) => {
        const rota = await owner(url)
        const part = await rota.parts.create({
          headers: {},
          payload: { sku: "PIN-1", name: "Pin", unitPrice: { amount: 2, currency: "EUR" } }
        })
        const name = `mem${unique()}`
        await rota.members.create({
          headers: {},
          payload: {
            email: `${name}@example.test`,
            fullName: "Member",
            role: "member",
            password: "Member-Pass-123"
          }
        })
        const member = createClient({ baseUrl: url, orgId: rota.session.orgId })
        await member.auth.login({ payload: { login: `${name}@example.test`, password: "Member-Pass-123" } })
        const read = await member.parts.get({ params: { id: part.id }, query: {} })
        assert.strictEqual(read.sku, "PIN-1")
        const write = await rejection(
          member.parts.adjust({
            params: { id: part.id },
            headers: {},
            payload: { delta: 1, reason: "found one" }
          })
        )
        assert.deepStrictEqual([write.code, write.status], ["forbidden", 403])
        const deleted = await rejection(member.parts.list({ query: { includeDeleted: true } }))
        assert.deepStrictEqual([deleted.code, deleted.status], ["forbidden", 403])
        await Promise.all([rota.dispose(), member.dispose()])
      })
    )
  }
)

// The Effect client: typed answers and typed problems, caught by their tag.
let accessToken: string | undefined
let orgId: string | undefined

const ClientLayer = Layer.unwrap(
  Effect.map(Effect.service(TestServer.TestServer), ({ url }) =>
    RotaClient.layer({ baseUrl: url, accessToken: () => accessToken, orgId: () => orgId })
  )
)

layer(ClientLayer.pipe(Layer.provideMerge(TestServer.layer(TestDatabase.stores()[0]!.layer))), {
  timeout: 90_000,
  excludeTestServices: true
})("the Effect SDK against a live server: inventory", (it) => {
  it.effect("fails with typed problems: 412 on a stale update, 409 insufficient_stock with onHand", () =>
    Effect.gen(function* () {
      const rota = yield* RotaClient
      const name = `eff${unique()}`
      const registered = yield* rota.auth.register({
        payload: {
          email: `${name}@example.test`,
          username: name,
          password: "Effect-Pass-123",
          fullName: "Effect Owner",
          orgName: `Effect Org ${name}`
        }
      })
      accessToken = registered.accessToken
      orgId = registered.org.id

      const resource = yield* rota.resources.create({
        headers: {},
        payload: { name: "Mixer", type: "audio" }
      })
      const renamed = yield* rota.resources.update({
        params: { id: resource.id },
        headers: { "if-match": `"${resource.version}"` },
        payload: { name: "Mixer 2" }
      })
      assert.deepStrictEqual([renamed.name, renamed.version], ["Mixer 2", 2])
      const stale = yield* rota.resources
        .update({
          params: { id: resource.id },
          headers: { "if-match": `"${resource.version}"` },
          payload: { name: "Mixer 3" }
        })
        .pipe(
          Effect.map(() => "updated"),
          Effect.catchTag("PreconditionFailedProblem", (problem) => Effect.succeed(problem.code))
        )
      assert.strictEqual(stale, "precondition_failed")

      const unit = yield* rota.resources.createUnit({
        params: { id: resource.id },
        headers: {},
        payload: { barcode: `MIX-${name}` }
      })
      const duplicate = yield* rota.resources
        .createUnit({ params: { id: resource.id }, headers: {}, payload: { barcode: unit.barcode } })
        .pipe(
          Effect.map(() => undefined),
          Effect.catchTag("AlreadyExistsProblem", (problem) => Effect.succeed(problem.field))
        )
      assert.strictEqual(duplicate, "barcode")

      const part = yield* rota.parts.create({
        headers: {},
        payload: {
          sku: "CBL-3",
          name: "XLR cable",
          unitPrice: { amount: 700, currency: "EUR" },
          quantityOnHand: 3
        }
      })
      const refused = yield* rota.parts
        .adjust({ params: { id: part.id }, headers: {}, payload: { delta: -4, reason: "festival" } })
        .pipe(
          Effect.map(() => undefined),
          Effect.catchTag("InsufficientStockProblem", (problem) =>
            Effect.succeed([problem.code, problem.onHand, problem.requested] as const)
          )
        )
      assert.deepStrictEqual(refused, ["insufficient_stock", 3, 4])
      const page = yield* rota.parts.list({ query: { lowStock: true } })
      assert.deepStrictEqual(
        page.items.map((item) => item.id),
        []
      )
      const emptied = yield* rota.parts.adjust({
        params: { id: part.id },
        headers: {},
        payload: { delta: -3, reason: "festival" }
      })
      assert.strictEqual(emptied.quantityOnHand, 0)
      const low = yield* rota.parts.list({ query: { lowStock: true } })
      assert.deepStrictEqual(
        low.items.map((item) => item.id),
        [part.id]
      )
    })
  )
})
