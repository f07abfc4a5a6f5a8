import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import {
  type Answer,
  addMember,
  body,
  call,
  freshPerson,
  invitationTokenFor,
  registerOwner
} from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
type Me = {
  account: { id: string; fullName: string; phone: string | null }
  memberships: Array<{ orgId: string; role: string }>
}
type MemberBody = {
  accountId: string
  fullName: string
  phone: string | null
  skills: Array<string>
  tags: Array<string>
  version: number
}

const as = (org: Org) => ({ token: org.token, orgId: org.orgId })
const code = (answer: Answer) => (answer.json as { code?: string } | undefined)?.code
const me = (token: string) => Effect.map(call("GET", "/v1/auth/me", { token }), (a) => body<Me>(a))

// What each people route is sent to add someone without a password.
const additions = {
  "/v1/members": (email: string) => ({ email, fullName: "Typed Name", role: "manager", phone: "+33 1 11" }),
  "/v1/clients": (email: string) => ({
    email,
    username: "typedname",
    fullName: "Typed Name",
    phone: "+33 1 11"
  }),
  "/v1/technicians": (email: string) => ({
    email,
    username: "typedname",
    fullName: "Typed Name",
    skills: ["brakes"]
  })
}

// The answer with what differs between any two invitations (ids, times, the address) blanked.
const shapeOf = (answer: Answer) =>
  JSON.stringify(answer.json, (key, value) =>
    ["id", "email", "expiresAt", "createdAt"].includes(key) ? typeof value : value
  )

const invite = (org: Org, route: keyof typeof additions, email: string) =>
  call("POST", route, { ...as(org), body: additions[route](email) })

const accept = (payload: Record<string, unknown>) => call("POST", "/v1/invitations/accept", { body: payload })

for (const store of Stores.everyStore()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "who joins an organisation, and who changes an account",
      (it) => {
        it.effect("adding an existing account's email does not link it or disclose it", () =>
          Effect.gen(function* () {
            const victim = yield* registerOwner("victim")
            const stranger = yield* registerOwner("stranger")
            for (const route of ["/v1/members", "/v1/clients", "/v1/technicians"] as const) {
              const existing = yield* invite(stranger, route, victim.email)
              const brandNew = yield* invite(stranger, route, freshPerson("nobody").email)
              assert.strictEqual(existing.status, 202, existing.text)
              // Nothing in the answer tells an address with an account from one without.
              assert.strictEqual(brandNew.status, existing.status)
              assert.strictEqual(shapeOf(existing), shapeOf(brandNew))
              assert.deepStrictEqual([...existing.headers.keys()].sort(), [...brandNew.headers.keys()].sort())
              // The address typed is echoed; nothing else of the account is (its username is also
              // the address's local part, so the address is taken out first).
              const beyondTyped = existing.text.replaceAll(victim.email, "")
              for (const secret of [victim.accountId, victim.username, victim.fullName, "token"]) {
                assert.notInclude(beyondTyped, secret, `${route} discloses ${secret}`)
              }
              const invitation = body<{ invitation: { email: string } }>(existing).invitation
              assert.strictEqual(invitation.email, victim.email)
            }
            // The stranger's org does not contain the victim, and the victim is in no other org.
            const listed = body<{ items: Array<{ accountId: string }> }>(
              yield* call("GET", "/v1/members?limit=100", as(stranger))
            )
            assert.notInclude(
              listed.items.map((m) => m.accountId),
              victim.accountId
            )
            const read = yield* call("GET", `/v1/members/${victim.accountId}`, as(stranger))
            assert.strictEqual(read.status, 404)
            const patch = yield* call("PATCH", `/v1/members/${victim.accountId}`, {
              ...as(stranger),
              headers: { "if-match": '"1"' },
              body: { fullName: "Renamed By Stranger" }
            })
            assert.strictEqual(patch.status, 404)
            const victimSees = yield* me(victim.token)
            assert.deepStrictEqual(
              victimSees.memberships.map((m) => m.orgId),
              [victim.orgId]
            )
            assert.strictEqual(victimSees.account.fullName, victim.fullName)
          })
        )

        it.effect("with a password, an email that already has an account is refused as at sign-up", () =>
          Effect.gen(function* () {
            const victim = yield* registerOwner("victim")
            const stranger = yield* registerOwner("stranger")
            const answer = yield* call("POST", "/v1/clients", {
              ...as(stranger),
              body: { ...additions["/v1/clients"](victim.email), password: "Chosen-By-Stranger-1" }
            })
            assert.deepStrictEqual([answer.status, code(answer)], [409, "already_exists"])
            assert.notInclude(answer.text, victim.accountId)
            assert.strictEqual((yield* me(victim.token)).memberships.length, 1)
          })
        )

        it.effect("an invitation answer never carries its token", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const answer = yield* call("POST", "/v1/invitations", {
              ...as(owner),
              body: { email: freshPerson("invitee").email, role: "member" }
            })
            assert.strictEqual(answer.status, 201)
            assert.deepStrictEqual(Object.keys(body(answer)), ["invitation"])
            const token = yield* invitationTokenFor(
              body<{ invitation: { email: string } }>(answer).invitation.email
            )
            assert.notInclude(answer.text, token)
          })
        )

        it.effect(
          "an existing account joins another org only by accepting an invitation sent to its address",
          () =>
            Effect.gen(function* () {
              const person = yield* registerOwner("person")
              const shop = yield* registerOwner("shop")
              const invited = yield* invite(shop, "/v1/technicians", person.email)
              assert.strictEqual(invited.status, 202)
              const token = yield* invitationTokenFor(person.email)

              // The link alone is not enough for an account that exists: its holder proves it.
              const bare = yield* accept({ token })
              assert.deepStrictEqual([bare.status, code(bare)], [401, "unauthenticated"])
              const wrong = yield* accept({ token, password: "Not-The-Password-1" })
              assert.deepStrictEqual([wrong.status, code(wrong)], [401, "unauthenticated"])
              assert.strictEqual((yield* me(person.token)).memberships.length, 1)

              const accepted = yield* accept({ token, password: person.password })
              assert.strictEqual(accepted.status, 200, accepted.text)
              assert.deepStrictEqual(body(accepted), {
                orgId: shop.orgId,
                accountId: person.accountId,
                role: "technician"
              })
              assert.sameMembers(
                (yield* me(person.token)).memberships.map((m) => m.orgId),
                [person.orgId, shop.orgId]
              )
              // The org's own fields apply; the account's name stays the holder's, not what was typed.
              const seen = body<MemberBody>(
                yield* call("GET", `/v1/technicians/${person.accountId}`, as(shop))
              )
              assert.deepStrictEqual([seen.fullName, seen.skills], [person.fullName, ["brakes"]])
              const again = yield* accept({ token, password: person.password })
              assert.deepStrictEqual([again.status, code(again)], [409, "token_used"])
            })
        )

        it.effect("an invitation for another address cannot be accepted", () =>
          Effect.gen(function* () {
            const victim = yield* registerOwner("victim")
            const attacker = yield* registerOwner("attacker")
            yield* invite(attacker, "/v1/members", victim.email)
            // Even holding the link (a leaked mail), the attacker's own credentials do not do.
            const token = yield* invitationTokenFor(victim.email)
            for (const attempt of [
              { token, password: attacker.password },
              { token, password: attacker.password, username: attacker.username },
              { token, fullName: "Attacker" }
            ]) {
              const answer = yield* accept(attempt)
              assert.deepStrictEqual([answer.status, code(answer)], [401, "unauthenticated"])
            }
            assert.strictEqual((yield* me(victim.token)).memberships.length, 1)
            assert.strictEqual(
              (yield* call("GET", `/v1/members/${victim.accountId}`, as(attacker))).status,
              404
            )
            // The failed attempts did not spend it: the address's holder may still decide.
            assert.strictEqual((yield* accept({ token, password: victim.password })).status, 200)
          })
        )

        it.effect(
          "adding someone new without a password invites them; accepting creates the account as typed",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const newcomer = freshPerson("newcomer")
              const invited = yield* call("POST", "/v1/clients", {
                ...as(owner),
                body: {
                  ...additions["/v1/clients"](newcomer.email),
                  username: newcomer.username,
                  tags: ["vip"]
                }
              })
              assert.strictEqual(invited.status, 202)
              // Until accepted nobody is a member.
              const before = body<{ items: Array<unknown> }>(
                yield* call("GET", "/v1/clients?limit=100", as(owner))
              )
              assert.strictEqual(before.items.length, 0)

              const token = yield* invitationTokenFor(newcomer.email)
              const accepted = yield* accept({ token, password: newcomer.password })
              assert.strictEqual(accepted.status, 200, accepted.text)
              const accountId = body<{ accountId: string }>(accepted).accountId
              const client = body<MemberBody & { username: string }>(
                yield* call("GET", `/v1/clients/${accountId}`, as(owner))
              )
              assert.deepStrictEqual(
                [client.username, client.fullName, client.phone, client.tags],
                [newcomer.username, "Typed Name", "+33 1 11", ["vip"]]
              )
              const login = yield* call("POST", "/v1/auth/login", {
                body: { login: newcomer.email, password: newcomer.password }
              })
              assert.strictEqual(login.status, 200)
            })
        )

        it.effect("an invitation retried with its idempotency key is sent once and answered the same", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const email = freshPerson("retry").email
            const send = call("POST", "/v1/technicians", {
              ...as(owner),
              headers: { "idempotency-key": `invite-${email}` },
              body: additions["/v1/technicians"](email)
            })
            const first = yield* send
            const replayed = yield* send
            assert.deepStrictEqual([first.status, replayed.status], [202, 202])
            assert.strictEqual(replayed.text, first.text)
            const listed = body<{ items: Array<{ email: string }> }>(
              yield* call("GET", "/v1/invitations", as(owner))
            )
            assert.strictEqual(listed.items.filter((i) => i.email === email).length, 1)
          })
        )

        it.effect("staff cannot change an account's profile fields", () =>
          Effect.gen(function* () {
            const person = yield* registerOwner("person")
            const shop = yield* registerOwner("shop")
            yield* invite(shop, "/v1/clients", person.email)
            yield* accept({ token: yield* invitationTokenFor(person.email), password: person.password })
            const manager = yield* addMember(shop, "manager")
            for (const [route, staff] of [
              ["/v1/clients", shop],
              ["/v1/members", shop],
              ["/v1/clients", manager]
            ] as const) {
              for (const change of [{ fullName: "Renamed" }, { phone: "+1 555 0100" }, { phone: null }]) {
                const answer = yield* call("PATCH", `${route}/${person.accountId}`, {
                  ...as(staff),
                  headers: { "if-match": '"1"' },
                  body: change
                })
                assert.deepStrictEqual(
                  [answer.status, code(answer)],
                  [403, "forbidden"],
                  JSON.stringify(change)
                )
              }
            }
            const account = (yield* me(person.token)).account
            assert.deepStrictEqual([account.fullName, account.phone], [person.fullName, null])
          })
        )

        it.effect("a client's tags and skills are org-local", () =>
          Effect.gen(function* () {
            const person = yield* registerOwner("person")
            const shop = yield* registerOwner("shop")
            yield* invite(shop, "/v1/clients", person.email)
            yield* accept({ token: yield* invitationTokenFor(person.email), password: person.password })
            const tagged = yield* call("PATCH", `/v1/clients/${person.accountId}`, {
              ...as(shop),
              headers: { "if-match": '"1"' },
              body: { tags: ["late-payer"], skills: ["none"] }
            })
            assert.strictEqual(tagged.status, 200, tagged.text)
            assert.deepStrictEqual(body<MemberBody>(tagged).tags, ["late-payer"])
            // The person's own org keeps its own view of them.
            const own = body<MemberBody>(yield* call("GET", `/v1/members/${person.accountId}`, as(person)))
            assert.deepStrictEqual([own.tags, own.skills], [[], []])
          })
        )

        it.effect(
          "a technician removes a client and a manager removes a technician, as the table grants",
          () =>
            Effect.gen(function* () {
              const shop = yield* registerOwner("shop")
              const tech = yield* addMember(shop, "technician")
              const manager = yield* addMember(shop, "manager")
              const client = yield* addMember(shop, "member", "client")
              const colleague = yield* addMember(shop, "technician", "colleague")
              const byTech = yield* call(
                "DELETE",
                `/v1/clients/${client.accountId}`,
                as({ ...tech, orgId: shop.orgId })
              )
              assert.strictEqual(byTech.status, 204, byTech.text)
              const gone = yield* call("GET", `/v1/clients/${client.accountId}`, as(shop))
              assert.strictEqual(gone.status, 404, gone.text)
              // `technician.write` is the manager's, not a technician's: a colleague is not theirs to remove.
              const byColleague = yield* call("DELETE", `/v1/technicians/${colleague.accountId}`, as(tech))
              assert.strictEqual(byColleague.status, 403, byColleague.text)
              const byManager = yield* call("DELETE", `/v1/technicians/${colleague.accountId}`, as(manager))
              assert.strictEqual(byManager.status, 204, byManager.text)
              // Ending the membership never ends the account.
              const login = yield* call("POST", "/v1/auth/login", {
                body: { login: client.username, password: client.password }
              })
              assert.strictEqual(login.status, 200, login.text)
            })
        )

        it.effect("a phone already used by another client of the org is refused, however it is written", () =>
          Effect.gen(function* () {
            const shop = yield* registerOwner("shop")
            const other = yield* registerOwner("other")
            const client = (org: Org, phone: string) => {
              const person = freshPerson("client")
              return call("POST", "/v1/clients", { ...as(org), body: { ...person, phone } })
            }
            const first = yield* client(shop, "+33 1 23 45 67 89")
            assert.strictEqual(first.status, 201, first.text)
            const again = yield* client(shop, "+33-1-2345.6789")
            assert.strictEqual(again.status, 409, again.text)
            assert.deepStrictEqual(
              [code(again), body<{ field: string }>(again).field],
              ["already_exists", "phone"]
            )
            // Another organisation's clients, and the org's technicians, are not its clients.
            assert.strictEqual((yield* client(other, "+33 1 23 45 67 89")).status, 201)
            const tech = yield* call("POST", "/v1/technicians", {
              ...as(shop),
              body: { ...freshPerson("tech"), phone: "+33 1 23 45 67 89" }
            })
            assert.strictEqual(tech.status, 201, tech.text)
            // Without the leading + it is another number.
            assert.strictEqual((yield* client(shop, "33 1 23 45 67 89")).status, 201)
            // The phone is the account's, shown in every org: changing it (here as the owner of
            // their own org) is refused while it is another client's in an org they are a client of.
            yield* invite(shop, "/v1/clients", other.email)
            yield* accept({ token: yield* invitationTokenFor(other.email), password: other.password })
            const changed = yield* call("PATCH", `/v1/members/${other.accountId}`, {
              ...as(other),
              headers: { "if-match": '"1"' },
              body: { phone: "+3312345 6789" }
            })
            assert.strictEqual(changed.status, 409, changed.text)
          })
        )

        it.effect("an admin suspends a membership, never the account: that org's access ends at once", () =>
          Effect.gen(function* () {
            const shop = yield* registerOwner("shop")
            const admin = yield* addMember(shop, "admin")
            const person = yield* registerOwner("person")
            yield* invite(shop, "/v1/technicians", person.email)
            yield* accept({ token: yield* invitationTokenFor(person.email), password: person.password })
            const inShop = { token: person.token, orgId: shop.orgId }
            const reads = () => call("GET", `/v1/technicians/${person.accountId}`, inShop)
            assert.strictEqual((yield* reads()).status, 200)
            const suspended = yield* call("POST", `/v1/members/${person.accountId}/deactivate`, as(admin))
            assert.strictEqual(suspended.status, 200, suspended.text)
            assert.isFalse(body<{ isActive: boolean }>(suspended).isActive)
            // The same session, on its next request: not a member of the shop any more...
            assert.strictEqual((yield* reads()).status, 403)
            // ...while the account and its own organisation are untouched.
            assert.strictEqual((yield* call("GET", "/v1/members", as(person))).status, 200)
            const login = yield* call("POST", "/v1/auth/login", {
              body: { login: person.username, password: person.password }
            })
            assert.strictEqual(login.status, 200, login.text)
            // The shop still lists them, suspended.
            const listed = body<{ items: Array<{ accountId: string; isActive: boolean }> }>(
              yield* call("GET", "/v1/members?limit=100", as(shop))
            ).items.find((item) => item.accountId === person.accountId)
            assert.strictEqual(listed?.isActive, false)
            // Nobody suspends themselves or someone above them.
            const self = yield* call("POST", `/v1/members/${admin.accountId}/deactivate`, as(admin))
            assert.strictEqual(self.status, 403, self.text)
            const owner = yield* call("POST", `/v1/members/${shop.accountId}/deactivate`, as(admin))
            assert.strictEqual(owner.status, 403, owner.text)
            const restored = yield* call("POST", `/v1/members/${person.accountId}/reactivate`, as(admin))
            assert.strictEqual(restored.status, 200, restored.text)
            assert.isTrue(body<{ isActive: boolean }>(restored).isActive)
            assert.strictEqual((yield* reads()).status, 200)
            const audit = body<{ items: Array<{ entityId: string; action: string }> }>(
              yield* call("GET", "/v1/audit?entityType=member&limit=100", as(shop))
            ).items.filter((event) => event.entityId === person.accountId && event.action === "STATUS_CHANGE")
            assert.lengthOf(audit, 2)
          })
        )

        it.effect("a technician changes their own name and phone, and every org sees it", () =>
          Effect.gen(function* () {
            const shop = yield* registerOwner("shop")
            const tech = yield* addMember(shop, "technician")
            const edited = yield* call("PATCH", `/v1/technicians/${tech.accountId}`, {
              ...as(tech),
              headers: { "if-match": '"1"' },
              body: { fullName: "Self Chosen", phone: "+44 20 7946" }
            })
            assert.strictEqual(edited.status, 200, edited.text)
            const seen = body<MemberBody>(yield* call("GET", `/v1/members/${tech.accountId}`, as(shop)))
            assert.deepStrictEqual([seen.fullName, seen.phone], ["Self Chosen", "+44 20 7946"])
          })
        )
      }
    )
  })
}
