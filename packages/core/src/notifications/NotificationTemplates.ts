/**
 * What each event says: a title (the email's subject, the in-app headline) and a plain-text
 * body, and the HTML form of that body for email. Pure; the facts come from the outbox payload
 * and the directory, never a secret (secret links are written by `Notifications`).
 *
 * @since 0.1.0
 */
import type { EventKind } from "./NotificationEvents.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Rendered {
  readonly title: string
  readonly text: string
}

type Facts = Readonly<Record<string, string | number | null>>

const show = (value: string | number | null | undefined, fallback = "?") =>
  value === null || value === undefined ? fallback : String(value)

const intervention = (facts: Facts) =>
  facts.number === undefined || facts.number === null
    ? "An intervention"
    : `Intervention ${show(facts.number)}${facts.title ? ` "${show(facts.title)}"` : ""}`

const templates: Record<EventKind, (facts: Facts) => Rendered> = {
  "waitlist.offer_made": (facts) => ({
    title: "A unit is offered to you",
    text: `A unit you were waiting for is held for you until ${show(facts.expiresAt)}. Accept it with POST /v1/waitlist/${show(facts.entryId)}/accept before then, or it goes to the next in line.`
  }),
  "waitlist.offer_expiring": (facts) => ({
    title: "Your offer expires soon",
    text: `The unit held for you (waitlist entry ${show(facts.entryId)}) goes to the next in line at ${show(facts.expiresAt)} unless you accept it: POST /v1/waitlist/${show(facts.entryId)}/accept.`
  }),
  "waitlist.offer_expired": (facts) => ({
    title: "Your offer expired",
    text: `The unit offered to you (waitlist entry ${show(facts.entryId)}) was not accepted in time and went to the next in line.`
  }),
  "booking.submitted": (facts) => ({
    title: "A booking waits for your approval",
    text: `Booking ${show(facts.bookingId)} was submitted and needs an approver: POST /v1/bookings/${show(facts.bookingId)}/approve or /reject.`
  }),
  "booking_series.submitted": (facts) => ({
    title: "A booking series waits for your approval",
    text: `Booking series ${show(facts.seriesId)} (${show(facts.rule)}) was submitted: ${show(facts.pending)} of its bookings need an approver. GET /v1/booking-series/${show(facts.seriesId)} lists them; approve or reject each with POST /v1/bookings/{id}/approve or /reject.`
  }),
  "booking.approved": (facts) => ({
    title: "Your booking is approved",
    text: `Booking ${show(facts.bookingId)} is approved.`
  }),
  "booking.rejected": (facts) => ({
    title: "Your booking was rejected",
    text: `Booking ${show(facts.bookingId)} was rejected.`
  }),
  "booking.due_soon": (facts) => ({
    title: "Your booking is due back soon",
    text: `Booking ${show(facts.bookingId)} is due back at ${show(facts.endAt)}. Please return what you borrowed by then.`
  }),
  "booking.overdue": (facts) => ({
    title: "Your booking is overdue",
    text: `Booking ${show(facts.bookingId)} should have been returned by now. Please return what you borrowed.`
  }),
  "booking.unit_not_returned": (facts) => ({
    title: "The unit you booked is not back yet",
    text: `The unit of booking ${show(facts.bookingId)} has not been returned by its previous borrower yet.`
  }),
  "fine.issued": (facts) => ({
    title: "A fine was issued to you",
    text: `Fine ${show(facts.fineId)}: ${show(facts.amount)} ${show(facts.currency, "")} (in minor units) for a late return.`
  }),
  invitation: (facts) => ({
    title: "You are invited to an organisation on Rota",
    text: `You are invited to join an organisation on Rota as ${show(facts.role)}.`
  }),
  password_reset: () => ({
    title: "Reset your Rota password",
    text: "Someone asked to reset the password of your Rota account."
  }),
  "intervention.assigned": (facts) => ({
    title: `${intervention(facts)} is assigned to you`,
    text: `${intervention(facts)} is assigned to you.`
  }),
  "intervention.status_changed": (facts) => ({
    title: `${intervention(facts)} is now ${show(facts.status)}`,
    text: `${intervention(facts)} changed status: it is now ${show(facts.status)}.`
  }),
  "intervention.waiting_parts": (facts) => ({
    title: `${intervention(facts)} is waiting for parts`,
    text: `${intervention(facts)} is on hold until the parts it needs arrive.`
  }),
  "intervention.completed": (facts) => ({
    title: `${intervention(facts)} is completed`,
    text: `${intervention(facts)} is completed.`
  }),
  "part.below_reorder_level": (facts) => ({
    title: `Part ${show(facts.sku)} is below its reorder level`,
    text: `Part ${show(facts.sku)} (${show(facts.name)}) has ${show(facts.quantityOnHand)} on hand, below its reorder level of ${show(facts.reorderLevel)}.`
  }),
  "mission.invitation": (facts) => ({
    title: `You are invited to the mission "${show(facts.title)}"`,
    text: `You are invited to the mission "${show(facts.title)}", from ${show(facts.startAt)} to ${show(facts.endAt)}. Answer before ${show(facts.respondBy)}: the email holds the token to answer with.`
  }),
  "assignment.accepted": (facts) => ({
    title: "A mission invitation was accepted",
    text: `Assignment ${show(facts.assignmentId)} was accepted.`
  }),
  "assignment.declined": (facts) => ({
    title: "A mission invitation was declined",
    text: `Assignment ${show(facts.assignmentId)} was declined.`
  }),
  "maintenance.due": (facts) => ({
    title: `Maintenance due: ${intervention(facts)}`,
    text: `${intervention(facts)} was opened for the preventive maintenance due at ${show(facts.dueAt)} (plan ${show(facts.planId)}). See GET /v1/interventions/${show(facts.interventionId)}.`
  })
}

/**
 * The title and text of an event.
 *
 * @since 0.1.0
 * @category templates
 */
export const render = (kind: EventKind, facts: Facts): Rendered => templates[kind](facts)

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char
  )

/**
 * The HTML form of a plain-text mail: escaped (values come from stored records), one paragraph
 * per block, line breaks kept.
 *
 * @since 0.1.0
 * @category templates
 */
export const toHtml = (subject: string, text: string): string =>
  [
    "<!doctype html>",
    '<html><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    "</title></head><body>",
    ...text
      .split(/\n{2,}/)
      .filter((block) => block.trim().length > 0)
      .map((block) => `<p>${escapeHtml(block).replace(/\n/g, "<br>")}</p>`),
    "</body></html>"
  ].join("")
