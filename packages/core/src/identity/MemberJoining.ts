/**
 * Adding someone to an org: with a password, a new account and its membership; without, an
 * invitation to the address (no account is looked up, so the answer and its timing are the same
 * for any address).
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Redacted } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { AccountId, nextId } from "../kernel/Ids.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Role } from "../kernel/Role.ts"
import { Account } from "./Account.ts"
import * as ClientPhones from "./ClientPhones.ts"
import type { Deps } from "./MemberDeps.ts"
import type { Invitee, NewMember } from "./MemberInput.ts"
import type { Kind } from "./MemberKinds.ts"
import { roleFor } from "./MemberSteps.ts"
import * as PasswordPolicy from "./PasswordPolicy.ts"

// The account and its membership, with their audit events, in the caller's transaction.
const insertMember = Effect.fnUntraced(function* (
  deps: Deps,
  input: NewMember,
  role: Role,
  passwordHash: string
) {
  const actor = yield* CurrentActor
  if (role === "member" && input.phone !== undefined)
    yield* ClientPhones.checkFree(deps.memberships, actor.orgId, input.phone)
  const accountId = yield* nextId(AccountId)
  const account = new Account({
    id: accountId,
    email: input.email.trim(),
    username: (input.username ?? input.email.split("@")[0] ?? "user").trim(),
    fullName: input.fullName,
    phone: input.phone ?? null,
    isActive: true,
    createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
  })
  // A taken email or username is refused: an existing account joins by invitation only.
  yield* deps.accounts.insert(account, passwordHash)
  yield* Audit.record({ entityType: "account", entityId: accountId, action: "CREATE", after: account })
  const member = yield* deps.memberships.insert({
    orgId: actor.orgId,
    accountId,
    role,
    skills: input.skills ?? [],
    tags: input.tags ?? [],
    employmentType: input.employmentType ?? null,
    at: yield* DateTime.now
  })
  yield* Audit.record({ entityType: "member", entityId: accountId, action: "CREATE", after: member })
  return member
})

/**
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) => (kind: Kind, input: NewMember) =>
  Effect.gen(function* () {
    const role = yield* roleFor(kind, input)
    yield* PasswordPolicy.check(Redacted.value(input.password), input)
    const passwordHash = yield* deps.hasher.hash(input.password)
    return yield* deps.transactor.withTransaction(insertMember(deps, input, role, passwordHash))
  }).pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const invite = (deps: Deps) => (kind: Kind, input: Invitee) =>
  Effect.gen(function* () {
    const role = yield* roleFor(kind, input)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const { invitation } = yield* deps.invitations.send({
          email: input.email,
          role,
          profile: {
            fullName: input.fullName,
            ...(input.username === undefined ? {} : { username: input.username }),
            ...(input.phone === undefined ? {} : { phone: input.phone }),
            skills: input.skills ?? [],
            tags: input.tags ?? [],
            ...(input.employmentType === undefined ? {} : { employmentType: input.employmentType })
          }
        })
        yield* Audit.record({
          entityType: "invitation",
          entityId: invitation.id,
          action: "CREATE",
          after: { email: invitation.email, role, profile: invitation.profile }
        })
        return invitation
      })
    )
  }).pipe(Effect.provide(deps.context))
