/**
 * Accounts: global identities (one person, many organisations). Email and username are unique
 * case-insensitively; passwords are case-sensitive and never leave the store.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId } from "../kernel/Ids.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Email = Schema.String.pipe(
  Schema.check(Schema.isMaxLength(254), Schema.isPattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/))
)

/**
 * Letters, digits, dot, dash, underscore; 2..64 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Username = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Za-z0-9._-]{2,64}$/)))

/**
 * 8..1024 characters; the commonest passwords are refused by `PasswordPolicy`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Password = Schema.String.pipe(Schema.check(Schema.isBetweenLength(8, 1024)))

/**
 * @since 0.1.0
 * @category schemas
 */
export const FullName = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 200)))

/**
 * @since 0.1.0
 * @category schemas
 */
export const Phone = Schema.String.pipe(Schema.check(Schema.isPattern(/^\+?[0-9 ().-]{3,32}$/)))

/**
 * The form two phones are compared in: its digits, after a leading `+` if it has one, so
 * `+33 1 23-45` and `+331 2345` are the same number.
 *
 * @since 0.1.0
 * @category rules
 */
export const normalizePhone = (phone: string): string =>
  (phone.trim().startsWith("+") ? "+" : "") + phone.replace(/[^0-9]/g, "")

/**
 * @since 0.1.0
 * @category models
 */
export class Account extends Schema.Class<Account>("@rota/core/Account")({
  id: AccountId,
  email: Schema.String,
  username: Schema.String,
  fullName: Schema.String,
  phone: Schema.NullOr(Schema.String),
  isActive: Schema.Boolean,
  createdAt: Schema.DateTimeUtc
}) {}

/**
 * The form emails and usernames are compared in.
 *
 * @since 0.1.0
 * @category rules
 */
export const normalizeLogin = (login: string): string => login.trim().toLowerCase()
