/**
 * Who may do what with crew planning: technicians and up read projects and missions, managers
 * and up change them and see soft-deleted ones. Assignments and availability windows are also
 * each person's own (see `Assignments` and `Availabilities`).
 *
 * @since 0.1.0
 */
import type { Access } from "../kernel/Catalog.ts"

/**
 * @since 0.1.0
 * @category constants
 */
export const crewAccess: Access = {
  read: "crew.read",
  write: "crew.write",
  readDeleted: "crew.read_deleted"
}

/**
 * Assignments: managers invite, cancel and see all; everyone answers and reads their own.
 *
 * @since 0.1.0
 * @category constants
 */
export const assignmentAccess: Access = {
  read: "assignment.respond",
  write: "assignment.manage",
  readDeleted: "assignment.manage"
}

/**
 * Availability: everyone submits and reads their own; managers decide and see everyone's.
 *
 * @since 0.1.0
 * @category constants
 */
export const availabilityAccess: Access = {
  read: "availability.submit",
  write: "availability.submit",
  readDeleted: "availability.approve"
}
