/**
 * Clients from a CSV file. A file carries no passwords, so each record is what `POST /v1/clients`
 * without a password does: an invitation to the address (the invitee sets their password on
 * accepting), with the name, username, phone and tags as its profile. An address that is already
 * a client of the org, or a phone a client of the org already has, is refused.
 *
 * @since 0.1.0
 */
import { Effect, Option, Schema } from "effect"
import { Email, FullName, normalizePhone, Phone, Username } from "../identity/Account.ts"
import * as ClientPhones from "../identity/ClientPhones.ts"
import type { AccountRepo, MembershipRepo } from "../identity/IdentityRepos.ts"
import { roleOfKind } from "../identity/MemberKinds.ts"
import type { Members } from "../identity/Members.ts"
import { Tag } from "../identity/Membership.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { items, present, type Read, type RowIssue, repeated, type Table } from "./Rows.ts"

/**
 * A client to invite: what `POST /v1/clients` takes, but the password.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ClientRow = Schema.Struct({
  email: Email,
  fullName: FullName,
  username: Username,
  phone: Schema.optionalKey(Phone),
  tags: Schema.optionalKey(Schema.Array(Tag).pipe(Schema.check(Schema.isMaxLength(50))))
})
/** @since 0.1.0 @category models */
export type ClientRow = typeof ClientRow.Type

/**
 * The columns of the clients export; the account's id, state and date are the server's.
 *
 * @since 0.1.0
 * @category tables
 */
export const table: Table<ClientRow> = {
  columns: ["email", "fullName", "username", "phone", "tags"],
  required: ["email", "username", "fullName"],
  ignored: ["accountId", "isActive", "createdAt"],
  schema: ClientRow,
  input: (cells) =>
    present({
      email: cells.get("email"),
      fullName: cells.get("fullName"),
      username: cells.get("username"),
      phone: cells.get("phone"),
      tags: items(cells.get("tags"))
    }),
  columnOf: (path) => (path.length === 0 ? null : String(path[0]))
}

/**
 * Records of one file inviting the same address, or giving the same phone.
 *
 * @since 0.1.0
 * @category rules
 */
export const clashes = (reads: ReadonlyArray<Read<ClientRow>>): ReadonlyArray<RowIssue> => [
  ...repeated(
    reads,
    "email",
    (client) => client.email,
    (email) => email.trim().toLowerCase()
  ),
  ...repeated(
    reads.filter((read) => read.value.phone !== undefined),
    "phone",
    (client) => client.phone!,
    normalizePhone
  )
]

/**
 * Records whose address is a client of the org already, or whose phone a client of the org has
 * (the phone stays locked until the import's transaction ends, as a single create locks it).
 *
 * @since 0.1.0
 * @category checks
 */
export const taken = (accounts: AccountRepo["Service"], memberships: MembershipRepo["Service"]) =>
  Effect.fnUntraced(function* (reads: ReadonlyArray<Read<ClientRow>>) {
    const actor = yield* CurrentActor
    const issues: Array<RowIssue> = []
    for (const { row, value: client } of reads) {
      // Said only of the org's own clients, whom the importer may list: nothing about accounts.
      const account = yield* accounts.findByEmail(client.email.trim())
      const member = Option.isSome(account)
        ? yield* memberships.findInactiveToo(actor.orgId, account.value.id)
        : Option.none()
      if (Option.isSome(member) && member.value.role === roleOfKind.client)
        issues.push({ row, column: "email", message: "Already a client" })
      if (client.phone === undefined) continue
      const phoneTaken = yield* Effect.isFailure(
        ClientPhones.checkFree(memberships, actor.orgId, client.phone)
      )
      if (phoneTaken) issues.push({ row, column: "phone", message: "Already another client's" })
    }
    return issues
  })

/**
 * Invites one client, as `POST /v1/clients` without a password does.
 *
 * @since 0.1.0
 * @category steps
 */
export const invite = (members: Members["Service"]) => (client: ClientRow) =>
  Effect.asVoid(members.invite("client", { ...client, role: roleOfKind.client }))
