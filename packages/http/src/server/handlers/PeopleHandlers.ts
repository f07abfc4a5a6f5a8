/**
 * Members, clients and technicians: one use case, three views.
 *
 * @since 0.1.0
 */

import { type Ids, Members, Pagination } from "@rota/core"
import { Effect, Layer, Redacted } from "effect"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"
import * as InvitationsHandlers from "./InvitationsHandlers.ts"
import { paged } from "./Listing.ts"

// With a password the account is created now; without one the address is only invited.
const createOrInvite = (
  members: Members.Members["Service"],
  kind: Members.Kind,
  { password, ...invitee }: Members.Invitee & { readonly password?: string | undefined }
) =>
  password === undefined
    ? toProblems(
        Effect.map(members.invite(kind, invitee), (invitation) => ({
          invitation: InvitationsHandlers.view(invitation)
        }))
      )
    : toProblems(members.create(kind, { ...invitee, password: Redacted.make(password) }))

const membersHandlers = HandlerGroup.group(
  Api,
  "members",
  Effect.fn(function* (handlers) {
    const members = yield* Members.Members
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          members.list("member", {
            limit: query.limit ?? Pagination.defaultLimit,
            cursor: query.cursor,
            roles: query.role,
            q: query.q
          })
        )
      )
      .handle("create", ({ payload }) => createOrInvite(members, "member", payload))
      .handle("get", ({ params }) => toProblems(members.get("member", params.accountId)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(members.update("member", params.accountId, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("deactivate", ({ params, headers }) =>
        toProblems(members.setActive(params.accountId, Preconditions.ifMatch(headers, false), false))
      )
      .handle("reactivate", ({ params, headers }) =>
        toProblems(members.setActive(params.accountId, Preconditions.ifMatch(headers, false), true))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(members.remove("member", params.accountId, Preconditions.ifMatch(headers, false)))
      )
  })
)

// The operations of the clients and technicians views, shared by their two groups.
const viewOf = (members: Members.Members["Service"], kind: Members.Kind) => ({
  list: (query: {
    readonly limit?: number
    readonly cursor?: string
    readonly q?: string
    readonly skill?: string
    readonly tag?: string
    readonly page?: number
    readonly size?: number
  }) =>
    toProblems(
      paged(query, (page) => members.list(kind, { ...page, q: query.q, skill: query.skill, tag: query.tag }))
    ),
  create: (payload: Omit<Members.Invitee, "role"> & { readonly password?: string }) =>
    createOrInvite(members, kind, { ...payload, role: "member" }),
  get: (id: Ids.AccountId) => toProblems(members.get(kind, id)),
  update: (id: Ids.AccountId, ifMatch: string | undefined, changes: Members.MemberChanges) =>
    toProblems(members.update(kind, id, Preconditions.expectedVersion(ifMatch, { required: true }), changes)),
  remove: (id: Ids.AccountId, ifMatch: string | undefined) =>
    toProblems(members.remove(kind, id, Preconditions.expectedVersion(ifMatch, { required: false })))
})

const clientsHandlers = HandlerGroup.group(
  Api,
  "clients",
  Effect.fn(function* (handlers) {
    const view = viewOf(yield* Members.Members, "client")
    return handlers
      .handle("list", ({ query }) => view.list(query))
      .handle("create", ({ payload }) => view.create(payload))
      .handle("get", ({ params }) => view.get(params.id))
      .handle("update", ({ params, headers, payload }) =>
        view.update(params.id, headers["if-match"], payload)
      )
      .handle("remove", ({ params, headers }) => view.remove(params.id, headers["if-match"]))
  })
)

const techniciansHandlers = HandlerGroup.group(
  Api,
  "technicians",
  Effect.fn(function* (handlers) {
    const view = viewOf(yield* Members.Members, "technician")
    return handlers
      .handle("list", ({ query }) => view.list(query))
      .handle("create", ({ payload }) => view.create(payload))
      .handle("get", ({ params }) => view.get(params.id))
      .handle("update", ({ params, headers, payload }) =>
        view.update(params.id, headers["if-match"], payload)
      )
      .handle("remove", ({ params, headers }) => view.remove(params.id, headers["if-match"]))
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(membersHandlers, clientsHandlers, techniciansHandlers)
