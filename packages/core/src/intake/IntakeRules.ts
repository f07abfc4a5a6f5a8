/**
 * The pure rules of self-service intake: what a request becomes, and whether a unit has had too
 * many requests lately.
 *
 * @since 0.1.0
 */
import type { InterventionFields } from "../interventions/Intervention.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { WorkRequest } from "./WorkRequest.ts"

/**
 * The token's purpose, so no other signed token (a reset link, a device cookie) opens a form.
 *
 * @since 0.1.0
 * @category constants
 */
export const purpose = "unit-intake"

/**
 * Requests a unit takes in an hour; past it the form answers 429 until the hour has passed.
 *
 * @since 0.1.0
 * @category constants
 */
export const hourlyLimit = 10

/**
 * A filled honeypot is a bot: it is answered as if taken, and nothing is written.
 *
 * @since 0.1.0
 * @category rules
 */
export const isBot = (request: WorkRequest): boolean => (request.website ?? "").trim().length > 0

/**
 * The token's subject: the org and the unit it opens.
 *
 * @since 0.1.0
 * @category rules
 */
export const subjectOf = (orgId: string, unitId: string): string => `${orgId}/${unitId}`

/**
 * The org and unit a subject names, when it is one of {@link subjectOf}'s.
 *
 * @since 0.1.0
 * @category rules
 */
export const parseSubject = (
  subject: string
): { readonly orgId: string; readonly unitId: string } | undefined => {
  const parts = subject.split("/")
  return parts.length === 2 && parts[0] !== "" && parts[1] !== ""
    ? { orgId: parts[0]!, unitId: parts[1]! }
    : undefined
}

const titleLength = 80

/**
 * The intervention a request opens: corrective, on the unit, pending triage, its title the
 * request's first words and its description who sent it and how to reach them.
 *
 * @since 0.1.0
 * @category rules
 */
export const toIntervention = (unitId: UnitId, request: WorkRequest): InterventionFields => {
  const firstLine = request.description.trim().split("\n")[0]!.trim()
  const title =
    firstLine.length > titleLength ? `${firstLine.slice(0, titleLength - 1).trimEnd()}…` : firstLine
  const contact = request.contact?.trim()
  return {
    title: `Work request: ${title}`,
    description: [
      request.description.trim(),
      "",
      `Reported by ${request.name.trim()}${contact ? ` (${contact})` : ""} through the unit's intake form.`
    ].join("\n"),
    kind: "CORRECTIVE",
    unitId
  }
}
