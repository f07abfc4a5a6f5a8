/**
 * How each importable kind's records are read: the columns of its export, decoded with the
 * schema its create route takes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { PartFields } from "../inventory/Part.ts"
import { ResourceFields, ResourceId } from "../inventory/Resource.ts"
import { UnitFields } from "../inventory/ResourceUnit.ts"
import { integer, items, present, type Table } from "./Rows.ts"

const firstKey = (path: ReadonlyArray<PropertyKey>): string | null =>
  path.length === 0 ? null : String(path[0])

/**
 * @since 0.1.0
 * @category tables
 */
export const resources: Table<typeof ResourceFields.Type> = {
  columns: ["name", "type", "description", "serialNumber", "status", "siteId", "tags"],
  required: ["name", "type"],
  ignored: ["id"],
  schema: ResourceFields,
  input: (cells) =>
    present({
      name: cells.get("name"),
      type: cells.get("type"),
      description: cells.get("description"),
      serialNumber: cells.get("serialNumber"),
      status: cells.get("status"),
      siteId: cells.get("siteId"),
      tags: items(cells.get("tags"))
    }),
  columnOf: firstKey
}

/**
 * A unit and the resource it is created under.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitRow = Schema.Struct({ resourceId: ResourceId, ...UnitFields.fields })
/** @since 0.1.0 @category models */
export type UnitRow = typeof UnitRow.Type

/**
 * @since 0.1.0
 * @category tables
 */
export const units: Table<UnitRow> = {
  columns: ["resourceId", "barcode", "condition", "status", "notes"],
  required: ["resourceId", "barcode"],
  ignored: ["id"],
  schema: UnitRow,
  input: (cells) =>
    present({
      resourceId: cells.get("resourceId"),
      barcode: cells.get("barcode"),
      condition: cells.get("condition"),
      status: cells.get("status"),
      notes: cells.get("notes")
    }),
  columnOf: firstKey
}

/**
 * @since 0.1.0
 * @category tables
 */
export const parts: Table<typeof PartFields.Type> = {
  columns: [
    "sku",
    "name",
    "description",
    "quantityOnHand",
    "unitPriceAmount",
    "unitPriceCurrency",
    "reorderLevel"
  ],
  required: ["sku", "name", "unitPriceAmount", "unitPriceCurrency"],
  ignored: ["id"],
  schema: PartFields,
  input: (cells) =>
    present({
      sku: cells.get("sku"),
      name: cells.get("name"),
      description: cells.get("description"),
      quantityOnHand: integer(cells.get("quantityOnHand")),
      unitPrice: present({
        amount: integer(cells.get("unitPriceAmount")),
        currency: cells.get("unitPriceCurrency")
      }),
      reorderLevel: integer(cells.get("reorderLevel"))
    }),
  columnOf: (path) =>
    path[0] === "unitPrice"
      ? path[1] === "currency"
        ? "unitPriceCurrency"
        : "unitPriceAmount"
      : firstKey(path)
}
