/**
 * The method and path of every endpoint, per group, for the light clients. Generated from the
 * API definition by `npm run routes -w @rota/sdk-client`; do not edit.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category routes
 */
export const system = {
  health: ["GET", "/health"],
  livez: ["GET", "/livez"],
  readyz: ["GET", "/readyz"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const auth = {
  register: ["POST", "/v1/auth/register"],
  login: ["POST", "/v1/auth/login"],
  token: ["POST", "/v1/auth/token"],
  refresh: ["POST", "/v1/auth/refresh"],
  passwordResetRequest: ["POST", "/v1/auth/password-reset/request"],
  passwordResetConfirm: ["POST", "/v1/auth/password-reset/confirm"],
  logout: ["POST", "/v1/auth/logout"],
  me: ["GET", "/v1/auth/me"],
  changePassword: ["POST", "/v1/auth/password"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const orgs = {
  listMine: ["GET", "/v1/orgs"],
  create: ["POST", "/v1/orgs"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const org = {
  get: ["GET", "/v1/org"],
  update: ["PATCH", "/v1/org"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const members = {
  list: ["GET", "/v1/members"],
  create: ["POST", "/v1/members"],
  get: ["GET", "/v1/members/:accountId"],
  update: ["PATCH", "/v1/members/:accountId"],
  remove: ["DELETE", "/v1/members/:accountId"],
  deactivate: ["POST", "/v1/members/:accountId/deactivate"],
  reactivate: ["POST", "/v1/members/:accountId/reactivate"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const clients = {
  list: ["GET", "/v1/clients"],
  create: ["POST", "/v1/clients"],
  get: ["GET", "/v1/clients/:id"],
  update: ["PATCH", "/v1/clients/:id"],
  remove: ["DELETE", "/v1/clients/:id"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const technicians = {
  list: ["GET", "/v1/technicians"],
  create: ["POST", "/v1/technicians"],
  get: ["GET", "/v1/technicians/:id"],
  update: ["PATCH", "/v1/technicians/:id"],
  remove: ["DELETE", "/v1/technicians/:id"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const invitations = {
  create: ["POST", "/v1/invitations"],
  list: ["GET", "/v1/invitations"],
  revoke: ["POST", "/v1/invitations/:id/revoke"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const invitationAccept = {
  accept: ["POST", "/v1/invitations/accept"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const audit = {
  list: ["GET", "/v1/audit"],
  verify: ["GET", "/v1/audit/verify"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const sites = {
  list: ["GET", "/v1/sites"],
  create: ["POST", "/v1/sites"],
  get: ["GET", "/v1/sites/:id"],
  update: ["PATCH", "/v1/sites/:id"],
  remove: ["DELETE", "/v1/sites/:id"],
  restore: ["POST", "/v1/sites/:id/restore"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const tags = {
  list: ["GET", "/v1/tags"],
  create: ["POST", "/v1/tags"],
  get: ["GET", "/v1/tags/:id"],
  update: ["PATCH", "/v1/tags/:id"],
  remove: ["DELETE", "/v1/tags/:id"],
  restore: ["POST", "/v1/tags/:id/restore"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const resources = {
  list: ["GET", "/v1/resources"],
  create: ["POST", "/v1/resources"],
  get: ["GET", "/v1/resources/:id"],
  update: ["PATCH", "/v1/resources/:id"],
  remove: ["DELETE", "/v1/resources/:id"],
  restore: ["POST", "/v1/resources/:id/restore"],
  listUnits: ["GET", "/v1/resources/:id/units"],
  createUnit: ["POST", "/v1/resources/:id/units"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const units = {
  get: ["GET", "/v1/units/:id"],
  update: ["PATCH", "/v1/units/:id"],
  remove: ["DELETE", "/v1/units/:id"],
  restore: ["POST", "/v1/units/:id/restore"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const parts = {
  list: ["GET", "/v1/parts"],
  create: ["POST", "/v1/parts"],
  get: ["GET", "/v1/parts/:id"],
  update: ["PATCH", "/v1/parts/:id"],
  remove: ["DELETE", "/v1/parts/:id"],
  restore: ["POST", "/v1/parts/:id/restore"],
  adjust: ["POST", "/v1/parts/:id/adjust"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const interventions = {
  list: ["GET", "/v1/interventions"],
  create: ["POST", "/v1/interventions"],
  get: ["GET", "/v1/interventions/:id"],
  update: ["PATCH", "/v1/interventions/:id"],
  remove: ["DELETE", "/v1/interventions/:id"],
  restore: ["POST", "/v1/interventions/:id/restore"],
  listEvents: ["GET", "/v1/interventions/:id/events"],
  addNote: ["POST", "/v1/interventions/:id/events"],
  postEvent: ["POST", "/v1/interventions/:id/timeline"],
  assign: ["POST", "/v1/interventions/:id/assignees"],
  listParts: ["GET", "/v1/interventions/:id/parts"],
  useParts: ["POST", "/v1/interventions/:id/parts"],
  leaderboard: ["GET", "/v1/technicians/leaderboard"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const documents = {
  upload: ["POST", "/v1/interventions/:id/documents"],
  list: ["GET", "/v1/interventions/:id/documents"],
  download: ["GET", "/v1/documents/:id"],
  remove: ["DELETE", "/v1/documents/:id"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const bookings = {
  create: ["POST", "/v1/bookings"],
  list: ["GET", "/v1/bookings"],
  get: ["GET", "/v1/bookings/:id"],
  update: ["PATCH", "/v1/bookings/:id"],
  cancel: ["POST", "/v1/bookings/:id/cancel"],
  approve: ["POST", "/v1/bookings/:id/approve"],
  reject: ["POST", "/v1/bookings/:id/reject"],
  checkOut: ["POST", "/v1/bookings/:id/check-out"],
  return: ["POST", "/v1/bookings/:id/return"],
  availability: ["GET", "/v1/resources/:id/availability"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const fines = {
  list: ["GET", "/v1/fines"],
  create: ["POST", "/v1/fines"],
  get: ["GET", "/v1/fines/:id"],
  waive: ["POST", "/v1/fines/:id/waive"],
  pay: ["POST", "/v1/fines/:id/payments"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const schedule = {
  conflicts: ["GET", "/v1/conflicts"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const waitlist = {
  join: ["POST", "/v1/waitlist"],
  list: ["GET", "/v1/waitlist"],
  mine: ["GET", "/v1/waitlist/mine"],
  get: ["GET", "/v1/waitlist/:id"],
  offer: ["POST", "/v1/waitlist/:id/offer"],
  accept: ["POST", "/v1/waitlist/:id/accept"],
  decline: ["POST", "/v1/waitlist/:id/decline"],
  cancel: ["POST", "/v1/waitlist/:id/cancel"],
  refuse: ["POST", "/v1/waitlist/:id/refuse"],
  expire: ["POST", "/v1/waitlist/:id/expire"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const projects = {
  list: ["GET", "/v1/projects"],
  create: ["POST", "/v1/projects"],
  get: ["GET", "/v1/projects/:id"],
  update: ["PATCH", "/v1/projects/:id"],
  remove: ["DELETE", "/v1/projects/:id"],
  restore: ["POST", "/v1/projects/:id/restore"],
  createMissions: ["POST", "/v1/projects/:id/missions/bulk"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const missions = {
  list: ["GET", "/v1/missions"],
  create: ["POST", "/v1/missions"],
  get: ["GET", "/v1/missions/:id"],
  update: ["PATCH", "/v1/missions/:id"],
  remove: ["DELETE", "/v1/missions/:id"],
  restore: ["POST", "/v1/missions/:id/restore"],
  duplicate: ["POST", "/v1/missions/:id/duplicate"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const assignments = {
  list: ["GET", "/v1/assignments"],
  create: ["POST", "/v1/assignments"],
  get: ["GET", "/v1/assignments/:id"],
  cancel: ["DELETE", "/v1/assignments/:id"],
  setStatus: ["POST", "/v1/assignments/:id/status"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const assignmentResponse = {
  respond: ["POST", "/v1/assignments/respond"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const availability = {
  list: ["GET", "/v1/availability"],
  create: ["POST", "/v1/availability"],
  get: ["GET", "/v1/availability/:id"],
  update: ["PATCH", "/v1/availability/:id"],
  remove: ["DELETE", "/v1/availability/:id"],
  approve: ["POST", "/v1/availability/:id/approve"],
  reject: ["POST", "/v1/availability/:id/reject"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const rateProfiles = {
  get: ["GET", "/v1/members/:accountId/rate-profile"],
  put: ["PUT", "/v1/members/:accountId/rate-profile"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const webhooks = {
  create: ["POST", "/v1/webhooks"],
  list: ["GET", "/v1/webhooks"],
  get: ["GET", "/v1/webhooks/:id"],
  update: ["PATCH", "/v1/webhooks/:id"],
  remove: ["DELETE", "/v1/webhooks/:id"],
  rotateSecret: ["POST", "/v1/webhooks/:id/rotate-secret"],
  deliveries: ["GET", "/v1/webhooks/:id/deliveries"],
  redeliver: ["POST", "/v1/webhooks/:id/deliveries/:deliveryId/redeliver"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const notifications = {
  list: ["GET", "/v1/notifications"],
  unreadCount: ["GET", "/v1/notifications/unread-count"],
  readAll: ["POST", "/v1/notifications/read-all"],
  read: ["POST", "/v1/notifications/:id/read"],
  preferences: ["GET", "/v1/me/notification-preferences"],
  setPreferences: ["PUT", "/v1/me/notification-preferences"],
  defaults: ["GET", "/v1/notification-defaults"],
  setDefaults: ["PUT", "/v1/notification-defaults"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const maintenancePlans = {
  list: ["GET", "/v1/maintenance-plans"],
  create: ["POST", "/v1/maintenance-plans"],
  get: ["GET", "/v1/maintenance-plans/:id"],
  update: ["PATCH", "/v1/maintenance-plans/:id"],
  remove: ["DELETE", "/v1/maintenance-plans/:id"],
  restore: ["POST", "/v1/maintenance-plans/:id/restore"],
  pause: ["POST", "/v1/maintenance-plans/:id/pause"],
  resume: ["POST", "/v1/maintenance-plans/:id/resume"],
  occurrences: ["GET", "/v1/maintenance-plans/:id/occurrences"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const planning = {
  view: ["GET", "/v1/schedule"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const unitIntake = {
  link: ["GET", "/v1/units/:id/intake"],
  revoke: ["POST", "/v1/units/:id/intake/revoke"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const intake = {
  submit: ["POST", "/v1/intake/:token"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const bookingSeries = {
  create: ["POST", "/v1/booking-series"],
  get: ["GET", "/v1/booking-series/:id"],
  cancelFrom: ["POST", "/v1/booking-series/:id/cancel"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const blackouts = {
  create: ["POST", "/v1/blackouts"],
  list: ["GET", "/v1/blackouts"],
  get: ["GET", "/v1/blackouts/:id"],
  remove: ["DELETE", "/v1/blackouts/:id"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const calendarFeeds = {
  create: ["POST", "/v1/calendar-feeds"],
  list: ["GET", "/v1/calendar-feeds"],
  get: ["GET", "/v1/calendar-feeds/:id"],
  revoke: ["DELETE", "/v1/calendar-feeds/:id"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const calendar = {
  feed: ["GET", "/v1/calendar/:file"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const apiKeys = {
  create: ["POST", "/v1/api-keys"],
  list: ["GET", "/v1/api-keys"],
  get: ["GET", "/v1/api-keys/:id"],
  revoke: ["DELETE", "/v1/api-keys/:id"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const changes = {
  list: ["GET", "/v1/changes"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const reports = {
  utilisation: ["GET", "/v1/reports/utilisation"],
  overdueFines: ["GET", "/v1/reports/overdue-fines"],
  workload: ["GET", "/v1/reports/technician-workload"],
  leadTimes: ["GET", "/v1/reports/intervention-lead-times"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const exports = {
  resources: ["GET", "/v1/exports/resources.csv"],
  units: ["GET", "/v1/exports/units.csv"],
  parts: ["GET", "/v1/exports/parts.csv"],
  clients: ["GET", "/v1/exports/clients.csv"],
  bookings: ["GET", "/v1/exports/bookings.csv"]
} as const

/**
 * @since 0.1.0
 * @category routes
 */
export const imports = {
  resources: ["POST", "/v1/imports/resources", "text/csv"],
  units: ["POST", "/v1/imports/units", "text/csv"],
  parts: ["POST", "/v1/imports/parts", "text/csv"],
  clients: ["POST", "/v1/imports/clients", "text/csv"],
  bookings: ["POST", "/v1/imports/bookings", "text/csv"]
} as const
