/**
 * Who may do what with inventory: every member reads it, managers and up change it and see
 * soft-deleted records.
 *
 * @since 0.1.0
 */
import type { Access } from "../kernel/Catalog.ts"

/**
 * @since 0.1.0
 * @category constants
 */
export const inventoryAccess: Access = {
  read: "inventory.read",
  write: "inventory.write",
  readDeleted: "inventory.read_deleted"
}
