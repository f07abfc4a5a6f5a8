/**
 * The `AccountRepo` and `OrgRepo` ports on the {@link MemoryDatabase}: emails and usernames
 * unique case-insensitively, slugs unique, org updates compare-and-set on the version, as on
 * PostgreSQL (the same `AccountReposContract` holds both to it).
 *
 * @since 0.1.0
 */
import { Effect, Layer, Option, Result } from "effect"
import { Account } from "../identity/Account.ts"
import { AccountRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { Organization, type Settings } from "../identity/Organization.ts"
import { AlreadyExists, NotFound, PreconditionFailed } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import { attempt, MemoryDatabase, put } from "./MemoryDatabase.ts"
import { type AccountRow, accounts, memberships, organizations } from "./MemoryIdentityTables.ts"

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

const findAccount = (table: ReadonlyMap<string, AccountRow>, matches: (account: Account) => boolean) =>
  Option.fromNullishOr([...table.values()].find((row) => matches(row.account)))

/**
 * @since 0.1.0
 * @category layers
 */
export const accountRepo: Layer.Layer<AccountRepo, never, MemoryDatabase> = Layer.effect(
  AccountRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) => {
    const change = (id: AccountId, f: (row: AccountRow) => AccountRow) =>
      database.modify(accounts, (table) => {
        const row = table.get(id)
        return [undefined, row === undefined ? table : put(table, id, f(row))]
      })
    return AccountRepo.of({
      // An email match wins should a username ever equal another account's email.
      findByLogin: Effect.fn("MemoryAccountRepo.findByLogin")((login) =>
        Effect.map(database.read(accounts), (table) =>
          Option.orElse(
            findAccount(table, (account) => same(account.email, login)),
            () => findAccount(table, (account) => same(account.username, login))
          )
        )
      ),
      findById: Effect.fn("MemoryAccountRepo.findById")((id) =>
        Effect.map(database.read(accounts), (table) =>
          Option.map(Option.fromNullishOr(table.get(id)), (row) => row.account)
        )
      ),
      findByEmail: Effect.fn("MemoryAccountRepo.findByEmail")((email) =>
        Effect.map(database.read(accounts), (table) =>
          Option.map(
            findAccount(table, (account) => same(account.email, email)),
            (row) => row.account
          )
        )
      ),
      insert: Effect.fn("MemoryAccountRepo.insert")((account, passwordHash) =>
        attempt(database, accounts, (table) => {
          const taken = [...table.values()].map((row) => row.account)
          if (taken.some((other) => same(other.email, account.email)))
            return Result.fail(new AlreadyExists({ entity: "account", field: "email" }))
          if (taken.some((other) => same(other.username, account.username)))
            return Result.fail(new AlreadyExists({ entity: "account", field: "username" }))
          return Result.succeed([undefined, put(table, account.id, { account, passwordHash })] as const)
        })
      ),
      setPassword: Effect.fn("MemoryAccountRepo.setPassword")((id, passwordHash) =>
        change(id, (row) => ({ ...row, passwordHash }))
      ),
      updateProfile: Effect.fn("MemoryAccountRepo.updateProfile")((id, changes) =>
        change(id, (row) => ({
          ...row,
          account: new Account({
            ...row.account,
            ...(changes.fullName === undefined ? {} : { fullName: changes.fullName }),
            ...(changes.phone === undefined ? {} : { phone: changes.phone })
          })
        }))
      )
    })
  })
)

interface OrgChanges {
  readonly name?: string | undefined
  readonly timezone?: string | undefined
  readonly settings?: Settings | undefined
}

const updated = (org: Organization, changes: OrgChanges) =>
  new Organization({
    ...org,
    ...(changes.name === undefined ? {} : { name: changes.name }),
    ...(changes.timezone === undefined ? {} : { timezone: changes.timezone }),
    ...(changes.settings === undefined ? {} : { settings: changes.settings }),
    version: org.version + 1
  })

const byName = (a: Organization, b: Organization) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1

/**
 * @since 0.1.0
 * @category layers
 */
export const orgRepo: Layer.Layer<OrgRepo, never, MemoryDatabase> = Layer.effect(
  OrgRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    OrgRepo.of({
      insert: Effect.fn("MemoryOrgRepo.insert")((org) =>
        attempt(database, organizations, (table) =>
          [...table.values()].some((other) => other.slug === org.slug)
            ? Result.fail(new AlreadyExists({ entity: "organization", field: "slug" }))
            : Result.succeed([undefined, put(table, org.id, org)] as const)
        )
      ),
      findById: Effect.fn("MemoryOrgRepo.findById")((id) =>
        Effect.map(database.read(organizations), (table) => Option.fromNullishOr(table.get(id)))
      ),
      listForAccount: Effect.fn("MemoryOrgRepo.listForAccount")(function* (accountId: AccountId) {
        const orgs = yield* database.read(organizations)
        const live = [...(yield* database.read(memberships)).values()].filter(
          (row) => row.accountId === accountId && row.deletedAt === null && row.isActive
        )
        return live
          .flatMap((row) => {
            const org = orgs.get(row.orgId)
            return org === undefined ? [] : [{ org, role: row.role }]
          })
          .sort((a, b) => byName(a.org, b.org))
      }),
      update: Effect.fn("MemoryOrgRepo.update")(
        (id: OrgId, expectedVersion: number | undefined, changes: OrgChanges) =>
          attempt(
            database,
            organizations,
            (
              table
            ): Result.Result<
              readonly [Organization, ReadonlyMap<string, Organization>],
              NotFound | PreconditionFailed
            > => {
              const org = table.get(id)
              if (org === undefined) return Result.fail(new NotFound({ entity: "organization", id }))
              if (expectedVersion !== undefined && org.version !== expectedVersion)
                return Result.fail(new PreconditionFailed({ entity: "organization", id, expectedVersion }))
              const after = updated(org, changes)
              return Result.succeed([after, put(table, id, after)])
            }
          )
      )
    })
  )
)
