/**
 * Who may do what with interventions: every member reads (their own tickets only, unless they
 * may read all), technicians read all and write, managers assign and see soft-deleted ones.
 *
 * @since 0.1.0
 */
import type * as Permissions from "../kernel/Permissions.ts"

/**
 * @since 0.1.0
 * @category constants
 */
export const access = {
  read: "intervention.read",
  readAll: "intervention.read_all",
  write: "intervention.write",
  assign: "intervention.assign",
  readDeleted: "intervention.read_deleted"
} as const satisfies Record<string, Permissions.Permission>
