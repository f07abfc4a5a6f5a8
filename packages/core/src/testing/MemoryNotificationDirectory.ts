/**
 * The `NotificationDirectory` on the {@link MemoryDatabase}: recipients read from the accounts
 * and memberships the memory identity adapters keep, and interventions from the table the memory
 * intervention adapter keeps, as the PostgreSQL directory reads its tables.
 * `NotificationDirectoryContract` holds both to the same answers.
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option } from "effect"
import type { Intervention } from "../interventions/Intervention.ts"
import { isUuid, type OrgId } from "../kernel/Ids.ts"
import type { Role } from "../kernel/Role.ts"
import { NotificationDirectory, type Recipient } from "../notifications/NotificationRepos.ts"
import { MemoryDatabase, rows } from "./MemoryDatabase.ts"
import { accounts, type MembershipRow, memberships } from "./MemoryIdentityTables.ts"

// The table `MemoryInterventionRepo` writes, keyed by org and id.
const interventions = rows<Intervention>("interventions")

const byAccount = (a: Recipient, b: Recipient) =>
  a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0

const directoryMethods = (database: MemoryDatabase["Service"]) => {
  // Only people who can still read them: active accounts with a live, active membership.
  const recipients = (orgId: OrgId, wanted: (row: MembershipRow) => boolean) =>
    Effect.gen(function* () {
      const people = yield* database.read(accounts)
      const rows = yield* database.read(memberships)
      return [...rows.values()]
        .filter((row) => row.orgId === orgId && row.isActive && row.deletedAt === null && wanted(row))
        .flatMap((row): ReadonlyArray<Recipient> => {
          const account = people.get(row.accountId)?.account
          return account?.isActive === true ? [{ accountId: account.id, email: account.email }] : []
        })
        .sort(byAccount)
    })

  const withRoles = Effect.fn("MemoryNotificationDirectory.withRoles")(function* (
    orgId: OrgId,
    roles: ReadonlyArray<Role>
  ) {
    return yield* recipients(orgId, (row) => roles.includes(row.role))
  })

  const members = Effect.fn("MemoryNotificationDirectory.members")(function* (
    orgId: OrgId,
    accountIds: ReadonlyArray<string>
  ) {
    const wanted = new Set(accountIds.filter(isUuid))
    return yield* recipients(orgId, (row) => wanted.has(row.accountId))
  })

  const intervention = Effect.fn("MemoryNotificationDirectory.intervention")(function* (
    orgId: OrgId,
    id: string
  ) {
    const table = yield* database.read(interventions)
    return Option.map(Option.fromNullishOr(table.get(`${orgId}/${id}`)), (record) => ({
      number: record.number,
      title: record.title,
      clientId: record.clientId
    }))
  })

  return { withRoles, members, intervention }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<NotificationDirectory, never, MemoryDatabase> = Layer.effect(
  NotificationDirectory,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    NotificationDirectory.of({ ...directoryMethods(database) })
  )
)
