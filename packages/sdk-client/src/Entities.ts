/**
 * The types of the entities the API answers with, as the Effect and Promise clients decode them
 * (times as `DateTime.Utc`), read off the answers of the client's own methods so they are the
 * API's by construction. The light clients answer `Wire<T>` of these: times as ISO strings.
 *
 * @since 0.1.0
 */
import type { Effect } from "effect"
import type { HttpClientResponse } from "effect/http/HttpClientResponse"
import type { RotaClient } from "./RotaClient.ts"

type Client = RotaClient["Service"]

type AnswerOf<F> = F extends (...args: never) => Effect.Effect<infer A, infer _E, infer _R>
  ? Exclude<A, HttpClientResponse | readonly [unknown, HttpClientResponse]>
  : never

type ItemOf<F> = AnswerOf<F> extends { readonly items: ReadonlyArray<infer I> } ? I : never

/** @since 0.1.0 @category entities */
export type Organization = AnswerOf<Client["org"]["get"]>
/** @since 0.1.0 @category entities */
export type Member = AnswerOf<Client["members"]["get"]>
/** @since 0.1.0 @category entities */
export type Site = AnswerOf<Client["sites"]["get"]>
/** @since 0.1.0 @category entities */
export type Tag = AnswerOf<Client["tags"]["get"]>
/** @since 0.1.0 @category entities */
export type Resource = AnswerOf<Client["resources"]["get"]>
/** @since 0.1.0 @category entities */
export type ResourceUnit = AnswerOf<Client["units"]["get"]>
/** @since 0.1.0 @category entities */
export type Part = AnswerOf<Client["parts"]["get"]>
/** @since 0.1.0 @category entities */
export type Booking = AnswerOf<Client["bookings"]["get"]>
/** @since 0.1.0 @category entities */
export type Fine = AnswerOf<Client["fines"]["get"]>
/** @since 0.1.0 @category entities */
export type WaitlistEntry = AnswerOf<Client["waitlist"]["get"]>
/** @since 0.1.0 @category entities */
export type Project = AnswerOf<Client["projects"]["get"]>
/** @since 0.1.0 @category entities */
export type Mission = AnswerOf<Client["missions"]["get"]>
/** @since 0.1.0 @category entities */
export type Assignment = AnswerOf<Client["assignments"]["get"]>
/** @since 0.1.0 @category entities */
export type Availability = AnswerOf<Client["availability"]["get"]>
/** @since 0.1.0 @category entities */
export type RateProfile = AnswerOf<Client["rateProfiles"]["get"]>
/** @since 0.1.0 @category entities */
export type Intervention = AnswerOf<Client["interventions"]["get"]>
/** @since 0.1.0 @category entities */
export type Document = ItemOf<Client["documents"]["list"]>
/** @since 0.1.0 @category entities */
export type PartUse = ItemOf<Client["interventions"]["listParts"]>
/** @since 0.1.0 @category entities */
export type TimelineEvent = ItemOf<Client["interventions"]["listEvents"]>
/** @since 0.1.0 @category entities */
export type AuditEvent = ItemOf<Client["audit"]["list"]>
/** @since 0.1.0 @category ids */
export type OrgId = Organization["id"]
/** @since 0.1.0 @category ids */
export type AccountId = Member["accountId"]
/** @since 0.1.0 @category ids */
export type BookingId = Booking["id"]
/** @since 0.1.0 @category ids */
export type ResourceId = Resource["id"]
/** @since 0.1.0 @category ids */
export type UnitId = ResourceUnit["id"]
