/**
 * The handlers of every group of the Rota API, with the use cases they call.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import * as UseCases from "../UseCases.ts"
import * as ApiKeysHandlers from "./ApiKeysHandlers.ts"
import * as AuditHandlers from "./AuditHandlers.ts"
import * as AuthHandlers from "./AuthHandlers.ts"
import * as BlackoutsHandlers from "./BlackoutsHandlers.ts"
import * as BookingSeriesHandlers from "./BookingSeriesHandlers.ts"
import * as BookingsHandlers from "./BookingsHandlers.ts"
import * as CalendarFeedsHandlers from "./CalendarFeedsHandlers.ts"
import * as ChangesHandlers from "./ChangesHandlers.ts"
import * as CrewsHandlers from "./CrewsHandlers.ts"
import * as IntakeHandlers from "./IntakeHandlers.ts"
import * as InterventionsHandlers from "./InterventionsHandlers.ts"
import * as InventoryHandlers from "./InventoryHandlers.ts"
import * as InvitationsHandlers from "./InvitationsHandlers.ts"
import * as MaintenanceHandlers from "./MaintenanceHandlers.ts"
import * as NotificationsHandlers from "./NotificationsHandlers.ts"
import * as OrgsHandlers from "./OrgsHandlers.ts"
import * as PeopleHandlers from "./PeopleHandlers.ts"
import * as ReportsHandlers from "./ReportsHandlers.ts"
import * as SystemHandlers from "./SystemHandlers.ts"
import * as TransferHandlers from "./TransferHandlers.ts"
import * as WaitlistHandlers from "./WaitlistHandlers.ts"
import * as WebhooksHandlers from "./WebhooksHandlers.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(
  SystemHandlers.layer,
  AuthHandlers.layer,
  OrgsHandlers.layer,
  PeopleHandlers.layer,
  InvitationsHandlers.layer,
  AuditHandlers.layer,
  InventoryHandlers.layer,
  BookingsHandlers.layer,
  CrewsHandlers.layer,
  InterventionsHandlers.layer,
  WaitlistHandlers.layer,
  WebhooksHandlers.layer,
  NotificationsHandlers.layer,
  MaintenanceHandlers.layer,
  IntakeHandlers.layer,
  BookingSeriesHandlers.layer,
  BlackoutsHandlers.layer,
  ReportsHandlers.layer,
  CalendarFeedsHandlers.layer,
  CalendarFeedsHandlers.publicLayer,
  ApiKeysHandlers.layer,
  ChangesHandlers.layer,
  TransferHandlers.exportsLayer,
  TransferHandlers.importsLayer
).pipe(Layer.provideMerge(UseCases.layer))
