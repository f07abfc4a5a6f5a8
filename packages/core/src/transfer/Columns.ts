/**
 * The columns of each exported kind, in order, and how a record fills them. An export's header
 * is what an import of the same kind reads, so a file exported from one org imports into
 * another (`id` and the other server-owned columns are read-only: an import ignores them).
 *
 * @since 0.1.0
 */
import { DateTime, Schema } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import type { Member } from "../identity/Membership.ts"
import type { Part } from "../inventory/Part.ts"
import type { Resource } from "../inventory/Resource.ts"
import type { ResourceUnit } from "../inventory/ResourceUnit.ts"

/**
 * What can be exported.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ExportKind = Schema.Literals(["resources", "units", "parts", "clients", "bookings"])
/** @since 0.1.0 @category models */
export type ExportKind = typeof ExportKind.Type

/**
 * What can be imported.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImportKind = Schema.Literals(["resources", "units", "parts", "clients", "bookings"])
/** @since 0.1.0 @category models */
export type ImportKind = typeof ImportKind.Type

/**
 * One column: its header and its cell for a record (before the formula guard).
 *
 * @since 0.1.0
 * @category models
 */
export interface Column<A> {
  readonly name: string
  readonly cell: (record: A) => string
}

const text = (value: string | null): string => value ?? ""
const instant = (value: DateTime.Utc | null): string => (value === null ? "" : DateTime.formatIso(value))
// List cells: names that cannot hold a comma (tags, ids), joined by one, so the cell is quoted.
const list = (values: ReadonlyArray<string>): string => values.join(",")

/**
 * @since 0.1.0
 * @category columns
 */
export const resources: ReadonlyArray<Column<Resource>> = [
  { name: "id", cell: (r) => r.id },
  { name: "name", cell: (r) => r.name },
  { name: "type", cell: (r) => r.type },
  { name: "description", cell: (r) => text(r.description) },
  { name: "serialNumber", cell: (r) => text(r.serialNumber) },
  { name: "status", cell: (r) => r.status },
  { name: "siteId", cell: (r) => text(r.siteId) },
  { name: "tags", cell: (r) => list(r.tags) }
]

/**
 * @since 0.1.0
 * @category columns
 */
export const units: ReadonlyArray<Column<ResourceUnit>> = [
  { name: "id", cell: (u) => u.id },
  { name: "resourceId", cell: (u) => u.resourceId },
  { name: "barcode", cell: (u) => u.barcode },
  { name: "condition", cell: (u) => u.condition },
  { name: "status", cell: (u) => u.status },
  { name: "notes", cell: (u) => text(u.notes) }
]

/**
 * Prices in minor units (cents) with their currency, as the API carries them.
 *
 * @since 0.1.0
 * @category columns
 */
export const parts: ReadonlyArray<Column<Part>> = [
  { name: "id", cell: (p) => p.id },
  { name: "sku", cell: (p) => p.sku },
  { name: "name", cell: (p) => p.name },
  { name: "description", cell: (p) => text(p.description) },
  { name: "quantityOnHand", cell: (p) => String(p.quantityOnHand) },
  { name: "unitPriceAmount", cell: (p) => String(p.unitPrice.amount) },
  { name: "unitPriceCurrency", cell: (p) => p.unitPrice.currency },
  { name: "reorderLevel", cell: (p) => String(p.reorderLevel) }
]

/**
 * @since 0.1.0
 * @category columns
 */
export const clients: ReadonlyArray<Column<Member>> = [
  { name: "accountId", cell: (m) => m.accountId },
  { name: "email", cell: (m) => m.email },
  { name: "username", cell: (m) => m.username },
  { name: "fullName", cell: (m) => m.fullName },
  { name: "phone", cell: (m) => text(m.phone) },
  { name: "tags", cell: (m) => list(m.tags) },
  { name: "isActive", cell: (m) => String(m.isActive) },
  { name: "createdAt", cell: (m) => instant(m.createdAt) }
]

/**
 * @since 0.1.0
 * @category columns
 */
export const bookings: ReadonlyArray<Column<Booking>> = [
  { name: "id", cell: (b) => b.id },
  { name: "status", cell: (b) => b.status },
  { name: "purpose", cell: (b) => b.purpose },
  { name: "startAt", cell: (b) => instant(b.startAt) },
  { name: "endAt", cell: (b) => instant(b.endAt) },
  { name: "requesterId", cell: (b) => b.requesterId },
  { name: "unitIds", cell: (b) => list(b.items.map((item) => item.unitId)) },
  { name: "resourceIds", cell: (b) => list([...new Set(b.items.map((item) => item.resourceId))]) },
  { name: "createdAt", cell: (b) => instant(b.createdAt) }
]
