/**
 * Organisations (tenants) and the policy knobs each one sets for itself.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { OrgId } from "../kernel/Ids.ts"

const NonNegativeInt = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)))
const Weight = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 100_000 })))

/**
 * The org's policies. Every field has a default, so an org created before a knob existed
 * still reads it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Settings = Schema.Struct({
  autoApprove: Schema.Struct({ member: Schema.Boolean, technician: Schema.Boolean }),
  offerTtlMinutes: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 10_080 }))),
  lateGraceMinutes: NonNegativeInt,
  /** How long an invitation to join the org stays valid: 1 hour to 30 days. */
  invitationTtlHours: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 720 }))),
  fine: Schema.Struct({
    perHourLate: NonNegativeInt,
    currency: Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Z]{3}$/)))
  }),
  priorityWeights: Schema.Struct({
    owner: Weight,
    admin: Weight,
    manager: Weight,
    technician: Weight,
    member: Weight,
    lateReturn: Weight,
    openFine: Weight,
    activeBooking: Weight,
    maxWaitingHours: Weight
  })
})
/** @since 0.1.0 @category models */
export type Settings = typeof Settings.Type

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultSettings: Settings = {
  autoApprove: { member: false, technician: true },
  offerTtlMinutes: 10,
  lateGraceMinutes: 15,
  invitationTtlHours: 168,
  fine: { perHourLate: 100, currency: "EUR" },
  priorityWeights: {
    owner: 300,
    admin: 300,
    manager: 200,
    technician: 150,
    member: 100,
    lateReturn: 50,
    openFine: 25,
    activeBooking: 20,
    maxWaitingHours: 168
  }
}

/**
 * @since 0.1.0
 * @category schemas
 */
export const OrgName = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 200)))

/**
 * An IANA time zone name, checked against the platform's zone database.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeZone = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter((zone: string) => {
      // Intl throws a RangeError for names it does not know: that is the check.
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone })
        return true
      } catch {
        return "Expected an IANA time zone such as Europe/Paris"
      }
    })
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export class Organization extends Schema.Class<Organization>("@rota/core/Organization")({
  id: OrgId,
  name: Schema.String,
  slug: Schema.String,
  timezone: Schema.String,
  settings: Settings,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc
}) {}

/**
 * A URL-safe slug from a name; uniqueness is the store's job (it appends a suffix).
 *
 * @since 0.1.0
 * @category rules
 */
export const slugify = (name: string): string =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48) || "org"
