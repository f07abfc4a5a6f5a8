/**
 * Entity ids from strings, for ids that come from a URL, a form or storage: each checks the
 * UUID form and brands the string, so it can be passed where the API takes that entity's id.
 *
 * @since 0.1.0
 */
import type * as E from "./Entities.ts"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const id =
  <Id extends string>(entity: string) =>
  (value: string): Id => {
    if (!uuid.test(value)) throw new TypeError(`not a ${entity} id: ${JSON.stringify(value)}`)
    return value as Id
  }

/**
 * One constructor per entity id: `Ids.bookingId("…")` is a `BookingId`, or throws a `TypeError`
 * for a string that is not a UUID.
 *
 * @since 0.1.0
 * @category constructors
 */
export const Ids = {
  orgId: id<E.OrgId>("organisation"),
  accountId: id<E.AccountId>("account"),
  siteId: id<E.Site["id"]>("site"),
  tagId: id<E.Tag["id"]>("tag"),
  resourceId: id<E.ResourceId>("resource"),
  unitId: id<E.UnitId>("unit"),
  partId: id<E.Part["id"]>("part"),
  bookingId: id<E.BookingId>("booking"),
  fineId: id<E.Fine["id"]>("fine"),
  waitlistEntryId: id<E.WaitlistEntry["id"]>("waitlist entry"),
  projectId: id<E.Project["id"]>("project"),
  missionId: id<E.Mission["id"]>("mission"),
  assignmentId: id<E.Assignment["id"]>("assignment"),
  availabilityId: id<E.Availability["id"]>("availability"),
  interventionId: id<E.Intervention["id"]>("intervention"),
  documentId: id<E.Document["id"]>("document")
} as const
