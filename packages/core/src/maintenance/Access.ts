/**
 * Who may do what with maintenance plans: technicians read them (they do the work), managers
 * write them.
 *
 * @since 0.1.0
 */
import type * as Catalog from "../kernel/Catalog.ts"

/**
 * @since 0.1.0
 * @category constants
 */
export const access = {
  read: "maintenance.read",
  write: "maintenance.write",
  readDeleted: "maintenance.write"
} as const satisfies Catalog.Access
