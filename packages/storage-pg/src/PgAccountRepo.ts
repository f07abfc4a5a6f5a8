/**
 * Accounts on PostgreSQL: login lookup by email or username, passwords and profiles.
 *
 * @since 0.1.0
 */
import { Account, IdentityRepos, Ids } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import { uniqueAsAlreadyExists } from "./SqlErrors.ts"

const AccountRow = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  username: Schema.String,
  full_name: Schema.String,
  phone: Schema.NullOr(Schema.String),
  password_hash: Schema.NullOr(Schema.String),
  is_active: Schema.Boolean,
  created_at: Schema.Date
})
type AccountRow = typeof AccountRow.Type

const decodeAccounts = Schema.decodeUnknownSync(Schema.Array(AccountRow))

const toAccount = (row: AccountRow) =>
  new Account.Account({
    id: Ids.AccountId.make(row.id),
    email: row.email,
    username: row.username,
    fullName: row.full_name,
    phone: row.phone,
    isActive: row.is_active,
    createdAt: DateTime.fromDateUnsafe(row.created_at)
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const accountRepo: Layer.Layer<IdentityRepos.AccountRepo, never, SqlClient.SqlClient> = Layer.effect(
  IdentityRepos.AccountRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const findOne = (where: Statement.Fragment) =>
      sql`SELECT * FROM accounts WHERE ${where} LIMIT 1`.pipe(
        Effect.map((rows) => Option.fromNullishOr(decodeAccounts(rows)[0])),
        Effect.orDie
      )
    return IdentityRepos.AccountRepo.of({
      // An email match wins should a username ever equal another account's email.
      findByLogin: (login) =>
        sql`SELECT * FROM accounts WHERE lower(email) = lower(${login}) OR lower(username) = lower(${login})
          ORDER BY lower(email) = lower(${login}) DESC LIMIT 1`.pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullishOr(decodeAccounts(rows)[0]), (row) => ({
              account: toAccount(row),
              passwordHash: row.password_hash
            }))
          ),
          Effect.orDie
        ),
      findById: (id) => Effect.map(findOne(sql`id = ${id}`), Option.map(toAccount)),
      findByEmail: (email) => Effect.map(findOne(sql`lower(email) = lower(${email})`), Option.map(toAccount)),
      insert: (account, passwordHash) =>
        sql`INSERT INTO accounts ${sql.insert({
          id: account.id,
          email: account.email,
          username: account.username,
          full_name: account.fullName,
          phone: account.phone,
          password_hash: passwordHash,
          is_active: account.isActive,
          created_at: DateTime.toDateUtc(account.createdAt)
        })}`.pipe(
          Effect.asVoid,
          uniqueAsAlreadyExists({
            accounts_email_key: { entity: "account", field: "email" },
            accounts_username_key: { entity: "account", field: "username" }
          })
        ),
      setPassword: (id, passwordHash) =>
        sql`UPDATE accounts SET password_hash = ${passwordHash} WHERE id = ${id}`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      updateProfile: (id, changes) => {
        const set: Record<string, unknown> = {}
        if (changes.fullName !== undefined) set.full_name = changes.fullName
        if (changes.phone !== undefined) set.phone = changes.phone
        return Object.keys(set).length === 0
          ? Effect.void
          : sql`UPDATE accounts SET ${sql.update(set)} WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)
      }
    })
  })
)
