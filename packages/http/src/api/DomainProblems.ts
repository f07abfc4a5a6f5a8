/**
 * The problems of what a request asks for: a record that is not there, or a change the records
 * or the domain's rules refuse (conflicts on the time ledger, invalid transitions, duplicates,
 * stock, closed projects, series and imports).
 *
 * @since 0.1.0
 */
import { TransferRows } from "@rota/core"
import { Schema } from "effect"
import { HttpApiError } from "effect/http-api"
import { fields, type } from "./ProblemFields.ts"

/** @since 0.1.0 @category problems */
export class NotFound extends HttpApiError.Problem<NotFound>()(
  "NotFoundProblem",
  { type: type("not_found"), status: 404, title: "Not found" },
  fields("not_found")
) {}

/**
 * One clashing claim on the time ledger.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Clash = Schema.Struct({
  subjectType: Schema.String,
  subjectId: Schema.String,
  startAt: Schema.String,
  endAt: Schema.String
})

/** @since 0.1.0 @category problems */
export class Conflict extends HttpApiError.Problem<Conflict>()(
  "ConflictProblem",
  { type: type("conflict"), status: 409, title: "Conflict" },
  { ...fields("conflict"), conflicts: Schema.Array(Clash) }
) {}

/** @since 0.1.0 @category problems */
export class InvalidTransition extends HttpApiError.Problem<InvalidTransition>()(
  "InvalidTransitionProblem",
  { type: type("invalid_transition"), status: 409, title: "Invalid state transition" },
  {
    ...fields("invalid_transition"),
    from: Schema.String,
    to: Schema.String,
    allowed: Schema.Array(Schema.String)
  }
) {}

/** @since 0.1.0 @category problems */
export class AlreadyExists extends HttpApiError.Problem<AlreadyExists>()(
  "AlreadyExistsProblem",
  { type: type("already_exists"), status: 409, title: "Already exists" },
  { ...fields("already_exists"), field: Schema.optionalKey(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class InsufficientStock extends HttpApiError.Problem<InsufficientStock>()(
  "InsufficientStockProblem",
  { type: type("insufficient_stock"), status: 409, title: "Not enough in stock" },
  { ...fields("insufficient_stock"), onHand: Schema.Int, requested: Schema.Int }
) {}

/** @since 0.1.0 @category problems */
export class NotBookable extends HttpApiError.Problem<NotBookable>()(
  "NotBookableProblem",
  { type: type("not_bookable"), status: 409, title: "Not bookable" },
  { ...fields("not_bookable"), unitIds: Schema.Array(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class UnitNotReturned extends HttpApiError.Problem<UnitNotReturned>()(
  "UnitNotReturnedProblem",
  { type: type("unit_not_returned"), status: 409, title: "A unit is still out" },
  { ...fields("unit_not_returned"), unitIds: Schema.Array(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class MissionFull extends HttpApiError.Problem<MissionFull>()(
  "MissionFullProblem",
  { type: type("mission_full"), status: 409, title: "The mission has all the people it needs" },
  { ...fields("mission_full"), headcount: Schema.Int }
) {}

/**
 * A project takes no changes to its missions or their crew: `ARCHIVED` until it is reopened,
 * `DELETED` for a mission restored into it.
 *
 * @since 0.1.0
 * @category problems
 */
export class ProjectClosed extends HttpApiError.Problem<ProjectClosed>()(
  "ProjectClosedProblem",
  {
    type: type("project_closed"),
    status: 409,
    title: "The project takes no changes to its missions or their crew"
  },
  { ...fields("project_closed"), projectId: Schema.String, reason: Schema.Literals(["ARCHIVED", "DELETED"]) }
) {}

/** @since 0.1.0 @category problems */
export class UnitAvailable extends HttpApiError.Problem<UnitAvailable>()(
  "UnitAvailableProblem",
  { type: type("unit_available"), status: 409, title: "A unit is free: book it instead" },
  { ...fields("unit_available"), unitIds: Schema.Array(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class LastOwner extends HttpApiError.Problem<LastOwner>()(
  "LastOwnerProblem",
  { type: type("last_owner"), status: 409, title: "The last owner cannot be removed or demoted" },
  fields("last_owner")
) {}

/**
 * What became of one occurrence of a booking series.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SeriesOccurrence = Schema.Struct({
  date: Schema.String,
  startAt: Schema.String,
  endAt: Schema.String,
  outcome: Schema.Literals(["created", "conflict", "skipped"]),
  bookingId: Schema.NullOr(Schema.String),
  conflicts: Schema.Array(Clash)
})

/**
 * An all-or-nothing booking series refused: some occurrences clashed, nothing was booked.
 * `occurrences` says what would have become of each one.
 *
 * @since 0.1.0
 * @category problems
 */
export class SeriesConflict extends HttpApiError.Problem<SeriesConflict>()(
  "SeriesConflictProblem",
  { type: type("series_conflict"), status: 409, title: "Series conflict" },
  { ...fields("series_conflict"), occurrences: Schema.Array(SeriesOccurrence) }
) {}

/**
 * A CSV import refused: every problem of the file, each with its row (the header is row 1) and
 * column (`null` for the record as a whole). Nothing was created.
 *
 * @since 0.1.0
 * @category problems
 */
export class ImportRejected extends HttpApiError.Problem<ImportRejected>()(
  "ImportRejectedProblem",
  { type: type("import_rejected"), status: 422, title: "Import rejected" },
  { ...fields("import_rejected"), errors: Schema.Array(TransferRows.RowIssue) }
) {}
