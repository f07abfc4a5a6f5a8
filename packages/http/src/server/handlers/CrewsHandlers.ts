/**
 * Crews routes: each handler turns the request into a use-case call, nothing more.
 *
 * @since 0.1.0
 */

import { Assignments, Availabilities, Missions, Projects, RateProfiles } from "@rota/core"
import { Effect, Layer } from "effect"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"
import { listing } from "./Listing.ts"

const projectsHandlers = HandlerGroup.group(
  Api,
  "projects",
  Effect.fn(function* (handlers) {
    const projects = yield* Projects.Projects
    const missions = yield* Missions.Missions
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          projects.list(
            listing(query, { statuses: query.status, q: query.q, from: query.from, to: query.to })
          )
        )
      )
      .handle("create", ({ payload }) => toProblems(projects.create(payload)))
      .handle("get", ({ params, query }) =>
        toProblems(
          Effect.map(projects.detail(params.id, query), ({ project, estimatedCost }) => ({
            ...project,
            estimatedCost
          }))
        )
      )
      .handle("update", ({ params, headers, payload }) =>
        toProblems(projects.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(projects.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(projects.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("createMissions", ({ params, payload }) =>
        toProblems(Effect.map(missions.createMany(params.id, payload.missions), (items) => ({ items })))
      )
  })
)

const missionsHandlers = HandlerGroup.group(
  Api,
  "missions",
  Effect.fn(function* (handlers) {
    const missions = yield* Missions.Missions
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          missions.list(
            listing(query, {
              projectId: query.projectId,
              role: query.role,
              q: query.q,
              from: query.from,
              to: query.to
            })
          )
        )
      )
      .handle("create", ({ payload }) => {
        const { projectId, ...fields } = payload
        return toProblems(missions.create(projectId, fields))
      })
      .handle("get", ({ params, query }) => toProblems(missions.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(missions.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(missions.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(missions.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("duplicate", ({ params, payload }) => toProblems(missions.duplicate(params.id, payload)))
  })
)

const assignmentsHandlers = HandlerGroup.group(
  Api,
  "assignments",
  Effect.fn(function* (handlers) {
    const assignments = yield* Assignments.Assignments
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          assignments.list(
            listing(query, { missionId: query.missionId, accountId: query.accountId, statuses: query.status })
          )
        )
      )
      .handle("create", ({ payload }) =>
        toProblems(
          Effect.map(assignments.invite(payload), ({ assignment, token }) => ({
            ...assignment,
            invitationToken: token
          }))
        )
      )
      .handle("get", ({ params }) => toProblems(assignments.get(params.id)))
      .handle("cancel", ({ params, headers }) =>
        toProblems(assignments.cancel(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("setStatus", ({ params, headers, payload }) =>
        toProblems(assignments.setStatus(params.id, Preconditions.ifMatch(headers, false), payload.status))
      )
  })
)

const responseHandlers = HandlerGroup.group(
  Api,
  "assignmentResponse",
  Effect.fn(function* (handlers) {
    const assignments = yield* Assignments.Assignments
    return handlers.handle("respond", ({ payload }) =>
      toProblems(assignments.respond(payload.token, payload.decision))
    )
  })
)

const availabilityHandlers = HandlerGroup.group(
  Api,
  "availability",
  Effect.fn(function* (handlers) {
    const availabilities = yield* Availabilities.Availabilities
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          availabilities.list(
            listing(query, {
              accountId: query.accountId,
              kinds: query.kind,
              statuses: query.status,
              from: query.from,
              to: query.to
            })
          )
        )
      )
      .handle("create", ({ payload }) => toProblems(availabilities.submit(payload)))
      .handle("get", ({ params }) => toProblems(availabilities.get(params.id)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(availabilities.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(availabilities.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("approve", ({ params, headers }) =>
        toProblems(availabilities.decide(params.id, Preconditions.ifMatch(headers, false), "APPROVED"))
      )
      .handle("reject", ({ params, headers }) =>
        toProblems(
          availabilities
            .decide(params.id, Preconditions.ifMatch(headers, false), "REJECTED")
            // Only approving claims time; a rejection cannot clash.
            .pipe(Effect.catchTag("Conflict", (error) => Effect.die(error)))
        )
      )
  })
)

const rateProfilesHandlers = HandlerGroup.group(
  Api,
  "rateProfiles",
  Effect.fn(function* (handlers) {
    const rateProfiles = yield* RateProfiles.RateProfiles
    return handlers
      .handle("get", ({ params }) => toProblems(rateProfiles.get(params.accountId)))
      .handle("put", ({ params, payload }) => toProblems(rateProfiles.put(params.accountId, payload)))
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(
  projectsHandlers,
  missionsHandlers,
  assignmentsHandlers,
  responseHandlers,
  availabilityHandlers,
  rateProfilesHandlers
)
