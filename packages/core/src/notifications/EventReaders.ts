/**
 * How each outbox topic that concerns a person reads as an event: its audience and the facts its
 * message shows. Pure rules.
 *
 * @since 0.1.0
 */
import { Option } from "effect"
import * as Assignments from "../crews/Assignments.ts"
import * as Auth from "../identity/Auth.ts"
import * as Invitations from "../identity/Invitations.ts"
import * as MaintenancePlan from "../maintenance/MaintenancePlan.ts"
import {
  dueSoonTopic,
  type Event,
  type EventKind,
  interventionAssignedTopic,
  offerExpiringTopic,
  partBelowReorderTopic
} from "./NotificationKinds.ts"

const text = (facts: Record<string, unknown>, key: string): string | null => {
  const value = facts[key]
  return typeof value === "string" ? value : null
}

const number = (facts: Record<string, unknown>, key: string): number | null => {
  const value = facts[key]
  return typeof value === "number" ? value : null
}

const strings = (facts: Record<string, unknown>, key: string): ReadonlyArray<string> => {
  const value = facts[key]
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []
}

/**
 * @since 0.1.0
 * @category models
 */
export type Reader = (payload: Record<string, unknown>) => Event | undefined

const account = (accountId: string | null) =>
  accountId === null ? undefined : ({ _tag: "Account", accountId } as const)

const onBooking =
  (kind: EventKind): Reader =>
  (payload) => {
    const audience = account(text(payload, "requesterId"))
    const id = text(payload, "id")
    return audience === undefined || id === null
      ? undefined
      : { kind, audience, subjectType: "booking", subjectId: id, facts: { bookingId: id } }
  }

const onOffer =
  (kind: EventKind): Reader =>
  (payload) => {
    const audience = account(text(payload, "requesterId"))
    const id = text(payload, "id")
    return audience === undefined || id === null
      ? undefined
      : {
          kind,
          audience,
          subjectType: "waitlist_entry",
          subjectId: id,
          facts: { entryId: id, expiresAt: text(payload, "expiresAt") }
        }
  }

/**
 * The reader of each topic that notifies someone.
 *
 * @since 0.1.0
 * @category rules
 */
export const readers: Record<string, Reader> = {
  "waitlist.offered": onOffer("waitlist.offer_made"),
  [offerExpiringTopic]: onOffer("waitlist.offer_expiring"),
  "waitlist.expired": onOffer("waitlist.offer_expired"),
  // A booking created already approved (no approval needed) concerns no approver; nor does an
  // occurrence of a series: its series tells them once (`booking_series.created`).
  "booking.created": (payload) => {
    const id = text(payload, "id")
    return text(payload, "status") !== "PENDING" || id === null || text(payload, "seriesId") !== null
      ? undefined
      : {
          kind: "booking.submitted",
          audience: { _tag: "Permitted", permission: "booking.approve" },
          subjectType: "booking",
          subjectId: id,
          facts: { bookingId: id }
        }
  },
  "booking_series.created": (payload) => {
    const id = text(payload, "id")
    const pending = number(payload, "pending")
    return id === null || pending === null || pending === 0
      ? undefined
      : {
          kind: "booking_series.submitted",
          audience: { _tag: "Permitted", permission: "booking.approve" },
          subjectType: "booking_series",
          subjectId: id,
          facts: {
            seriesId: id,
            pending,
            rule: text(payload, "rule"),
            requesterId: text(payload, "requesterId")
          }
        }
  },
  "booking.approved": onBooking("booking.approved"),
  "booking.rejected": onBooking("booking.rejected"),
  [dueSoonTopic]: (payload) =>
    Option.getOrUndefined(
      Option.map(Option.fromNullishOr(onBooking("booking.due_soon")(payload)), (event) => ({
        ...event,
        facts: { ...event.facts, endAt: text(payload, "endAt") }
      }))
    ),
  "booking.overdue": onBooking("booking.overdue"),
  "booking.unit_not_returned": onBooking("booking.unit_not_returned"),
  "fine.created": (payload) => {
    const audience = account(text(payload, "accountId"))
    const id = text(payload, "id")
    return audience === undefined || id === null
      ? undefined
      : {
          kind: "fine.issued",
          audience,
          subjectType: "fine",
          subjectId: id,
          facts: { fineId: id, amount: number(payload, "amount"), currency: text(payload, "currency") }
        }
  },
  [Invitations.createdTopic]: (payload) => {
    const id = text(payload, "invitationId")
    const email = text(payload, "email")
    return id === null || email === null
      ? undefined
      : {
          kind: "invitation",
          audience: { _tag: "Address", email },
          subjectType: "invitation",
          subjectId: id,
          facts: { role: text(payload, "role") }
        }
  },
  [Auth.resetRequestedTopic]: (payload) => {
    const id = text(payload, "resetId")
    return id === null
      ? undefined
      : {
          kind: "password_reset",
          audience: { _tag: "LinkHolder" },
          subjectType: "password_reset",
          subjectId: id,
          facts: {}
        }
  },
  [interventionAssignedTopic]: (payload) => {
    const id = text(payload, "id")
    const accountIds = strings(payload, "accountIds")
    return id === null || accountIds.length === 0
      ? undefined
      : {
          kind: "intervention.assigned",
          audience: { _tag: "Accounts", accountIds },
          subjectType: "intervention",
          subjectId: id,
          facts: { interventionId: id, number: text(payload, "number"), title: text(payload, "title") }
        }
  },
  "intervention.status_changed": (payload) => {
    const id = text(payload, "id")
    const status = text(payload, "status")
    if (id === null || status === null) return undefined
    const kind: EventKind =
      status === "WAITING_PARTS"
        ? "intervention.waiting_parts"
        : status === "COMPLETED"
          ? "intervention.completed"
          : "intervention.status_changed"
    return {
      kind,
      audience: { _tag: "InterventionClient", interventionId: id },
      subjectType: "intervention",
      subjectId: id,
      facts: { interventionId: id, status }
    }
  },
  [partBelowReorderTopic]: (payload) => {
    const id = text(payload, "id")
    return id === null
      ? undefined
      : {
          kind: "part.below_reorder_level",
          audience: { _tag: "Permitted", permission: "inventory.write" },
          subjectType: "part",
          subjectId: id,
          facts: {
            partId: id,
            sku: text(payload, "sku"),
            name: text(payload, "name"),
            quantityOnHand: number(payload, "quantityOnHand"),
            reorderLevel: number(payload, "reorderLevel")
          }
        }
  },
  [Assignments.invitedTopic]: (payload) => {
    const audience = account(text(payload, "accountId"))
    const id = text(payload, "assignmentId")
    return audience === undefined || id === null
      ? undefined
      : {
          kind: "mission.invitation",
          audience,
          subjectType: "assignment",
          subjectId: id,
          facts: {
            title: text(payload, "title"),
            startAt: text(payload, "startAt"),
            endAt: text(payload, "endAt"),
            respondBy: text(payload, "respondBy")
          }
        }
  },
  "assignment.status_changed": (payload) => {
    const id = text(payload, "id")
    const status = text(payload, "status")
    const kind: EventKind | undefined =
      status === "ACCEPTED"
        ? "assignment.accepted"
        : status === "DECLINED"
          ? "assignment.declined"
          : undefined
    return id === null || kind === undefined
      ? undefined
      : {
          kind,
          audience: { _tag: "Permitted", permission: "assignment.manage" },
          subjectType: "assignment",
          subjectId: id,
          facts: { assignmentId: id }
        }
  },
  // The plan's technician (even if the intervention could not be staffed with them: they are
  // the one to arrange it) and whoever manages the plans.
  [MaintenancePlan.dueTopic]: (payload) => {
    const id = text(payload, "id")
    const assigneeId = text(payload, "assigneeId")
    return id === null
      ? undefined
      : {
          kind: "maintenance.due",
          audience: {
            _tag: "AccountsAndPermitted",
            accountIds: assigneeId === null ? [] : [assigneeId],
            permission: "maintenance.write"
          },
          subjectType: "intervention",
          subjectId: id,
          facts: {
            interventionId: id,
            number: text(payload, "number"),
            title: text(payload, "title"),
            planId: text(payload, "planId"),
            dueAt: text(payload, "dueAt")
          }
        }
  }
}
