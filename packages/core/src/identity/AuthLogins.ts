/**
 * Signing up (a new account with its own org), logging in and reading who is logged in.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option, Redacted } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { Unauthenticated } from "../kernel/Errors.ts"
import { AccountId, nextId, type OrgId } from "../kernel/Ids.ts"
import type { Role } from "../kernel/Role.ts"
import { Account, normalizeLogin } from "./Account.ts"
import type { Deps } from "./AuthDeps.ts"
import { startSession } from "./AuthSessions.ts"
import { SignupClosed } from "./IdentityErrors.ts"
import * as PasswordPolicy from "./PasswordPolicy.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Registration {
  readonly email: string
  readonly username: string
  readonly password: Redacted.Redacted<string>
  readonly fullName: string
  readonly orgName: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Me {
  readonly account: Account
  readonly memberships: ReadonlyArray<{
    readonly orgId: OrgId
    readonly role: Role
    readonly orgName: string
  }>
}

// The account, its org and its first session, in one transaction.
const insertRegistration = Effect.fnUntraced(function* (
  deps: Deps,
  registration: Registration,
  passwordHash: string
) {
  const account = new Account({
    id: yield* nextId(AccountId),
    email: registration.email.trim(),
    username: registration.username.trim(),
    fullName: registration.fullName,
    phone: null,
    isActive: true,
    createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
  })
  yield* deps.accounts.insert(account, passwordHash)
  const org = yield* deps.orgService.create(account.id, { name: registration.orgName })
  yield* Audit.recordAs(
    { orgId: org.id, actorId: account.id },
    { entityType: "account", entityId: account.id, action: "CREATE", after: account }
  )
  const tokens = yield* startSession(deps, account.id)
  return { account, org, tokens }
})

/**
 * @since 0.1.0
 * @category steps
 */
export const register = (deps: Deps) => (registration: Registration) =>
  Effect.gen(function* () {
    if (!deps.config.signupOpen) return yield* new SignupClosed()
    yield* PasswordPolicy.check(Redacted.value(registration.password), registration)
    const passwordHash = yield* deps.hasher.hash(registration.password)
    return yield* deps.transactor.withTransaction(insertRegistration(deps, registration, passwordHash))
  }).pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const login = (deps: Deps) => (login: string, password: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    const found = yield* deps.accounts.findByLogin(normalizeLogin(login))
    if (Option.isNone(found) || found.value.passwordHash === null) {
      yield* deps.hasher.verifyDummy(password)
      return yield* new Unauthenticated({ reason: "unknown login" })
    }
    const ok = yield* deps.hasher.verify(found.value.passwordHash, password)
    if (!ok) return yield* new Unauthenticated({ reason: "wrong password" })
    if (!found.value.account.isActive) return yield* new Unauthenticated({ reason: "inactive account" })
    return yield* deps.transactor.withTransaction(startSession(deps, found.value.account.id))
  }).pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const me = (deps: Deps) =>
  Effect.fnUntraced(function* (accountId: AccountId) {
    const account = yield* deps.accounts.findById(accountId)
    if (Option.isNone(account)) return yield* new Unauthenticated({ reason: "account gone" })
    const list = yield* deps.orgs.listForAccount(accountId)
    return {
      account: account.value,
      memberships: list.map(({ org, role }) => ({ orgId: org.id, role, orgName: org.name }))
    }
  })
