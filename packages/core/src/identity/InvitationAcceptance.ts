/**
 * Accepting an invitation: the token names the invitation; an account that already has a
 * password joins only when its holder proves it with that password, so neither the inviter nor
 * anyone else holding the link can join someone else's account to an org. Without an account,
 * one is created with the password given.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Redacted } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { Unauthenticated, ValidationFailed } from "../kernel/Errors.ts"
import { AccountId, nextId } from "../kernel/Ids.ts"
import { Account, normalizeLogin } from "./Account.ts"
import * as ClientPhones from "./ClientPhones.ts"
import { TokenInvalid, TokenUsed } from "./IdentityErrors.ts"
import type { InvitationRecord } from "./IdentityRepos.ts"
import type { Deps } from "./InvitationDeps.ts"
import { purpose } from "./InvitationTokens.ts"
import * as PasswordPolicy from "./PasswordPolicy.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Acceptance {
  readonly token: string
  readonly password?: Redacted.Redacted<string> | undefined
  readonly fullName?: string | undefined
  readonly username?: string | undefined
}

// What the checks before the transaction established.
interface Checked {
  readonly invitation: InvitationRecord
  /** The existing account whose holder proved it with its password. */
  readonly provenId: AccountId | undefined
  /** The hash of the password given, for a new account or one nobody has claimed yet. */
  readonly passwordHash: string | null
}

// The holder of an existing account proves it with the account's password: the token only
// shows who reads the mailbox, and must not join an account whose holder did not consent.
const proveHolder = (deps: Deps, passwordHash: string, password: Redacted.Redacted<string> | undefined) =>
  password === undefined
    ? Effect.fail(new Unauthenticated({ reason: "invitation for an existing account, no password" }))
    : Effect.flatMap(deps.hasher.verify(passwordHash, password), (ok) =>
        ok ? Effect.void : Effect.fail(new Unauthenticated({ reason: "invitation, wrong password" }))
      )

const check = Effect.fnUntraced(function* (deps: Deps, acceptance: Acceptance) {
  const claims = yield* deps.signer.verifyPurpose(acceptance.token, purpose)
  const found = yield* deps.invitations.find(claims.id)
  if (Option.isNone(found)) return yield* new TokenInvalid({ purpose })
  const invitation = found.value
  const holder = Option.getOrUndefined(yield* deps.accounts.findByLogin(normalizeLogin(invitation.email)))
  if (holder !== undefined && !holder.account.isActive) {
    return yield* new Unauthenticated({ reason: "invitation for an inactive account" })
  }
  // An account nobody has claimed yet (no password) has no holder to ask but the mailbox's.
  const provenId = holder?.passwordHash == null ? undefined : holder.account.id
  if (holder?.passwordHash != null) yield* proveHolder(deps, holder.passwordHash, acceptance.password)
  else if (acceptance.password !== undefined) {
    yield* PasswordPolicy.check(Redacted.value(acceptance.password), { email: invitation.email })
  }
  const passwordHash =
    acceptance.password === undefined || provenId !== undefined
      ? null
      : yield* deps.hasher.hash(acceptance.password)
  const checked: Checked = { invitation, provenId, passwordHash }
  return checked
})

// A new account for the invited address, with the password given.
const insertAccount = Effect.fnUntraced(function* (
  deps: Deps,
  acceptance: Acceptance,
  { invitation, passwordHash }: Checked,
  now: DateTime.Utc
) {
  if (passwordHash === null) {
    return yield* new ValidationFailed({
      errors: [{ path: ["body", "password"], message: "A password is needed to create the account" }]
    })
  }
  const profile = invitation.profile
  if (invitation.role === "member" && profile.phone !== undefined)
    yield* ClientPhones.checkFree(deps.memberships, invitation.orgId, profile.phone)
  const accountId = yield* nextId(AccountId)
  yield* deps.accounts.insert(
    new Account({
      id: accountId,
      email: invitation.email,
      username: (acceptance.username ?? profile.username ?? invitation.email.split("@")[0] ?? "user").trim(),
      fullName: acceptance.fullName ?? profile.fullName ?? invitation.email,
      phone: profile.phone ?? null,
      isActive: true,
      createdAt: now
    }),
    passwordHash
  )
  return accountId
})

// The account the invitation joins, read again inside the transaction.
const accountFor = Effect.fnUntraced(function* (
  deps: Deps,
  acceptance: Acceptance,
  checked: Checked,
  now: DateTime.Utc
) {
  const existing = yield* deps.accounts.findByLogin(normalizeLogin(checked.invitation.email))
  if (Option.isNone(existing)) return yield* insertAccount(deps, acceptance, checked, now)
  const accountId = existing.value.account.id
  if (existing.value.passwordHash !== null) {
    // Got a password after the check above: its holder has not proven anything yet.
    if (checked.provenId !== accountId) {
      return yield* new Unauthenticated({ reason: "invitation, account changed meanwhile" })
    }
  } else if (checked.passwordHash !== null) {
    // An account nobody has claimed yet gets its first password from the mailbox's holder.
    yield* deps.accounts.setPassword(accountId, checked.passwordHash)
  }
  return accountId
})

// The invitation used up and its account a member of the org, in one transaction.
const join = Effect.fnUntraced(function* (deps: Deps, acceptance: Acceptance, checked: Checked) {
  const invitation = checked.invitation
  const now = yield* DateTime.now
  if (!(yield* deps.invitations.accept(invitation.id, now))) return yield* new TokenUsed({ purpose })
  const accountId = yield* accountFor(deps, acceptance, checked, now)
  const member = yield* Effect.catchTag(
    deps.memberships.insert({
      orgId: invitation.orgId,
      accountId,
      role: invitation.role,
      skills: invitation.profile.skills ?? [],
      tags: invitation.profile.tags ?? [],
      employmentType: invitation.profile.employmentType ?? null,
      at: now
    }),
    "AlreadyExists",
    () => Effect.succeed(undefined)
  )
  if (member !== undefined) {
    yield* Audit.recordAs(
      { orgId: invitation.orgId, actorId: accountId },
      { entityType: "member", entityId: accountId, action: "CREATE", after: member }
    )
  }
  return { orgId: invitation.orgId, accountId, role: invitation.role }
})

/**
 * @since 0.1.0
 * @category steps
 */
export const accept = (deps: Deps) => (acceptance: Acceptance) =>
  Effect.gen(function* () {
    const checked = yield* check(deps, acceptance)
    return yield* deps.transactor.withTransaction(join(deps, acceptance, checked))
  }).pipe(Effect.provide(deps.context))
