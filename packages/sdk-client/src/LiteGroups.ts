/**
 * One light-client factory per group of the API. Generated from the API definition by
 * `npm run routes -w @rota/sdk-client`; do not edit.
 *
 * @since 0.1.0
 */
import { type Connection, group, type LiteGroup } from "./LiteClient.ts"
import * as Routes from "./LiteRoutes.ts"
import type { RotaClient } from "./RotaClient.ts"

type Client = RotaClient["Service"]

/**
 * @since 0.1.0
 * @category groups
 */
export const system = (connection: Connection): LiteGroup<Pick<Client, "health" | "livez" | "readyz">> =>
  group(connection, Routes.system)

/**
 * @since 0.1.0
 * @category groups
 */
export const auth = (connection: Connection): LiteGroup<Client["auth"]> => group(connection, Routes.auth)

/**
 * @since 0.1.0
 * @category groups
 */
export const orgs = (connection: Connection): LiteGroup<Client["orgs"]> => group(connection, Routes.orgs)

/**
 * @since 0.1.0
 * @category groups
 */
export const org = (connection: Connection): LiteGroup<Client["org"]> => group(connection, Routes.org)

/**
 * @since 0.1.0
 * @category groups
 */
export const members = (connection: Connection): LiteGroup<Client["members"]> =>
  group(connection, Routes.members)

/**
 * @since 0.1.0
 * @category groups
 */
export const clients = (connection: Connection): LiteGroup<Client["clients"]> =>
  group(connection, Routes.clients)

/**
 * @since 0.1.0
 * @category groups
 */
export const technicians = (connection: Connection): LiteGroup<Client["technicians"]> =>
  group(connection, Routes.technicians)

/**
 * @since 0.1.0
 * @category groups
 */
export const invitations = (connection: Connection): LiteGroup<Client["invitations"]> =>
  group(connection, Routes.invitations)

/**
 * @since 0.1.0
 * @category groups
 */
export const invitationAccept = (connection: Connection): LiteGroup<Client["invitationAccept"]> =>
  group(connection, Routes.invitationAccept)

/**
 * @since 0.1.0
 * @category groups
 */
export const audit = (connection: Connection): LiteGroup<Client["audit"]> => group(connection, Routes.audit)

/**
 * @since 0.1.0
 * @category groups
 */
export const sites = (connection: Connection): LiteGroup<Client["sites"]> => group(connection, Routes.sites)

/**
 * @since 0.1.0
 * @category groups
 */
export const tags = (connection: Connection): LiteGroup<Client["tags"]> => group(connection, Routes.tags)

/**
 * @since 0.1.0
 * @category groups
 */
export const resources = (connection: Connection): LiteGroup<Client["resources"]> =>
  group(connection, Routes.resources)

/**
 * @since 0.1.0
 * @category groups
 */
export const units = (connection: Connection): LiteGroup<Client["units"]> => group(connection, Routes.units)

/**
 * @since 0.1.0
 * @category groups
 */
export const parts = (connection: Connection): LiteGroup<Client["parts"]> => group(connection, Routes.parts)

/**
 * @since 0.1.0
 * @category groups
 */
export const interventions = (connection: Connection): LiteGroup<Client["interventions"]> =>
  group(connection, Routes.interventions)

/**
 * @since 0.1.0
 * @category groups
 */
export const documents = (connection: Connection): LiteGroup<Client["documents"]> =>
  group(connection, Routes.documents)

/**
 * @since 0.1.0
 * @category groups
 */
export const bookings = (connection: Connection): LiteGroup<Client["bookings"]> =>
  group(connection, Routes.bookings)

/**
 * @since 0.1.0
 * @category groups
 */
export const fines = (connection: Connection): LiteGroup<Client["fines"]> => group(connection, Routes.fines)

/**
 * @since 0.1.0
 * @category groups
 */
export const schedule = (connection: Connection): LiteGroup<Client["schedule"]> =>
  group(connection, Routes.schedule)

/**
 * @since 0.1.0
 * @category groups
 */
export const waitlist = (connection: Connection): LiteGroup<Client["waitlist"]> =>
  group(connection, Routes.waitlist)

/**
 * @since 0.1.0
 * @category groups
 */
export const projects = (connection: Connection): LiteGroup<Client["projects"]> =>
  group(connection, Routes.projects)

/**
 * @since 0.1.0
 * @category groups
 */
export const missions = (connection: Connection): LiteGroup<Client["missions"]> =>
  group(connection, Routes.missions)

/**
 * @since 0.1.0
 * @category groups
 */
export const assignments = (connection: Connection): LiteGroup<Client["assignments"]> =>
  group(connection, Routes.assignments)

/**
 * @since 0.1.0
 * @category groups
 */
export const assignmentResponse = (connection: Connection): LiteGroup<Client["assignmentResponse"]> =>
  group(connection, Routes.assignmentResponse)

/**
 * @since 0.1.0
 * @category groups
 */
export const availability = (connection: Connection): LiteGroup<Client["availability"]> =>
  group(connection, Routes.availability)

/**
 * @since 0.1.0
 * @category groups
 */
export const rateProfiles = (connection: Connection): LiteGroup<Client["rateProfiles"]> =>
  group(connection, Routes.rateProfiles)

/**
 * @since 0.1.0
 * @category groups
 */
export const webhooks = (connection: Connection): LiteGroup<Client["webhooks"]> =>
  group(connection, Routes.webhooks)

/**
 * @since 0.1.0
 * @category groups
 */
export const notifications = (connection: Connection): LiteGroup<Client["notifications"]> =>
  group(connection, Routes.notifications)

/**
 * @since 0.1.0
 * @category groups
 */
export const maintenancePlans = (connection: Connection): LiteGroup<Client["maintenancePlans"]> =>
  group(connection, Routes.maintenancePlans)

/**
 * @since 0.1.0
 * @category groups
 */
export const planning = (connection: Connection): LiteGroup<Client["planning"]> =>
  group(connection, Routes.planning)

/**
 * @since 0.1.0
 * @category groups
 */
export const unitIntake = (connection: Connection): LiteGroup<Client["unitIntake"]> =>
  group(connection, Routes.unitIntake)

/**
 * @since 0.1.0
 * @category groups
 */
export const intake = (connection: Connection): LiteGroup<Client["intake"]> =>
  group(connection, Routes.intake)

/**
 * @since 0.1.0
 * @category groups
 */
export const bookingSeries = (connection: Connection): LiteGroup<Client["bookingSeries"]> =>
  group(connection, Routes.bookingSeries)

/**
 * @since 0.1.0
 * @category groups
 */
export const blackouts = (connection: Connection): LiteGroup<Client["blackouts"]> =>
  group(connection, Routes.blackouts)

/**
 * @since 0.1.0
 * @category groups
 */
export const calendarFeeds = (connection: Connection): LiteGroup<Client["calendarFeeds"]> =>
  group(connection, Routes.calendarFeeds)

/**
 * @since 0.1.0
 * @category groups
 */
export const calendar = (connection: Connection): LiteGroup<Client["calendar"]> =>
  group(connection, Routes.calendar)

/**
 * @since 0.1.0
 * @category groups
 */
export const apiKeys = (connection: Connection): LiteGroup<Client["apiKeys"]> =>
  group(connection, Routes.apiKeys)

/**
 * @since 0.1.0
 * @category groups
 */
export const changes = (connection: Connection): LiteGroup<Client["changes"]> =>
  group(connection, Routes.changes)

/**
 * @since 0.1.0
 * @category groups
 */
export const reports = (connection: Connection): LiteGroup<Client["reports"]> =>
  group(connection, Routes.reports)

/**
 * @since 0.1.0
 * @category groups
 */
export const exports = (connection: Connection): LiteGroup<Client["exports"]> =>
  group(connection, Routes.exports)

/**
 * @since 0.1.0
 * @category groups
 */
export const imports = (connection: Connection): LiteGroup<Client["imports"]> =>
  group(connection, Routes.imports)
