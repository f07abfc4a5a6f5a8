import { assert, describe, it } from "@effect/vitest"
import { DateTime, Option } from "effect"
import { OutboxMessage, OutboxMessageId } from "../../src/kernel/Outbox.ts"
import * as Events from "../../src/notifications/NotificationEvents.ts"
import * as Preferences from "../../src/notifications/NotificationPreferences.ts"
import * as Templates from "../../src/notifications/NotificationTemplates.ts"

const message = (topic: string, payload: Record<string, unknown>) =>
  new OutboxMessage({
    id: OutboxMessageId.make("01a249d7-3b6b-7002-96d6-6bee417374ef"),
    orgId: null,
    topic,
    payload: payload as never,
    createdAt: DateTime.makeUnsafe(0),
    attempts: 0
  })

const kindOf = (topic: string, payload: Record<string, unknown>) =>
  Option.map(Events.eventOf(message(topic, payload)), (event) => event.kind)

const someone = "01a249d7-3921-7007-9c44-b03c792a6f13"

describe("notification events", () => {
  it("each topic that concerns someone maps to its kind and audience", () => {
    assert.deepStrictEqual(
      Events.eventOf(message("booking.created", { id: "b1", status: "PENDING", requesterId: someone })).pipe(
        Option.map((event) => event.audience)
      ),
      Option.some({ _tag: "Permitted", permission: "booking.approve" } as const)
    )
    assert.deepStrictEqual(
      kindOf("booking.created", { id: "b1", status: "APPROVED", requesterId: someone }),
      Option.none(),
      "an auto-approved booking asks no approver"
    )
    assert.deepStrictEqual(
      kindOf("booking.created", { id: "b1", status: "PENDING", requesterId: someone, seriesId: "s1" }),
      Option.none(),
      "an occurrence of a series asks no approver: its series does"
    )
    assert.deepStrictEqual(
      Events.eventOf(
        message("booking_series.created", {
          id: "s1",
          requesterId: someone,
          rule: "FREQ=WEEKLY;COUNT=3",
          pending: 3
        })
      ).pipe(
        Option.map(({ kind, audience, subjectType, subjectId }) => ({
          kind,
          audience,
          subjectType,
          subjectId
        }))
      ),
      Option.some({
        kind: "booking_series.submitted",
        audience: { _tag: "Permitted", permission: "booking.approve" },
        subjectType: "booking_series",
        subjectId: "s1"
      } as const)
    )
    assert.deepStrictEqual(
      kindOf("booking_series.created", { id: "s1", requesterId: someone, pending: 0 }),
      Option.none(),
      "a series approved at once asks no approver"
    )
    assert.deepStrictEqual(
      kindOf("booking.approved", { id: "b1", requesterId: someone }),
      Option.some("booking.approved")
    )
    assert.deepStrictEqual(
      kindOf("booking.rejected", { id: "b1", requesterId: someone }),
      Option.some("booking.rejected")
    )
    assert.deepStrictEqual(
      kindOf("booking.overdue", { id: "b1", requesterId: someone }),
      Option.some("booking.overdue")
    )
    assert.deepStrictEqual(
      kindOf("waitlist.offered", { id: "w1", requesterId: someone }),
      Option.some("waitlist.offer_made")
    )
    assert.deepStrictEqual(
      kindOf("waitlist.expired", { id: "w1", requesterId: someone }),
      Option.some("waitlist.offer_expired")
    )
    assert.deepStrictEqual(
      kindOf("fine.created", { id: "f1", accountId: someone }),
      Option.some("fine.issued")
    )
    assert.deepStrictEqual(
      kindOf("intervention.status_changed", { id: "i1", status: "WAITING_PARTS" }),
      Option.some("intervention.waiting_parts")
    )
    assert.deepStrictEqual(
      kindOf("intervention.status_changed", { id: "i1", status: "COMPLETED" }),
      Option.some("intervention.completed")
    )
    assert.deepStrictEqual(
      kindOf("intervention.status_changed", { id: "i1", status: "IN_PROGRESS" }),
      Option.some("intervention.status_changed")
    )
    assert.deepStrictEqual(
      kindOf("assignment.status_changed", { id: "a1", status: "ACCEPTED" }),
      Option.some("assignment.accepted")
    )
    assert.deepStrictEqual(
      kindOf("assignment.status_changed", { id: "a1", status: "CANCELLED" }),
      Option.none()
    )
    assert.deepStrictEqual(
      kindOf("auth.password_reset_requested", { resetId: "r1" }),
      Option.some("password_reset")
    )
    assert.deepStrictEqual(
      kindOf("site.created", { id: "s1" }),
      Option.none(),
      "nobody is told of a new site"
    )
    assert.deepStrictEqual(
      kindOf("booking.approved", { id: "b1" }),
      Option.none(),
      "no requester, nobody to tell"
    )
  })

  it("maintenance due goes to the plan's technician and the plan managers, or the managers alone", () => {
    const due = {
      id: "i1",
      number: "INT-0001",
      title: "Inspection",
      planId: "p1",
      dueAt: "2027-01-04T08:00:00Z"
    }
    assert.deepStrictEqual(
      Events.eventOf(message("maintenance.due", { ...due, assigneeId: someone })).pipe(
        Option.map((event) => [event.kind, event.audience, event.subjectType, event.subjectId] as const)
      ),
      Option.some([
        "maintenance.due",
        { _tag: "AccountsAndPermitted", accountIds: [someone], permission: "maintenance.write" },
        "intervention",
        "i1"
      ] as const)
    )
    assert.deepStrictEqual(
      Events.eventOf(message("maintenance.due", { ...due, assigneeId: null })).pipe(
        Option.map((event) => event.audience)
      ),
      Option.some({ _tag: "AccountsAndPermitted", accountIds: [], permission: "maintenance.write" } as const)
    )
    const rendered = Templates.render("maintenance.due", {
      ...due,
      interventionId: "i1"
    })
    assert.strictEqual(rendered.title, 'Maintenance due: Intervention INT-0001 "Inspection"')
    assert.include(rendered.text, "2027-01-04T08:00:00Z")
  })

  it("every kind has a template, and secret-link kinds say nothing secret by themselves", () => {
    for (const kind of Events.EventKind.literals) {
      const rendered = Templates.render(kind, {})
      assert.isAbove(rendered.title.length, 0, kind)
      assert.isAbove(rendered.text.length, 0, kind)
      assert.notInclude(rendered.text, "Token:", kind)
    }
  })

  it("the HTML form escapes what records hold", () => {
    const html = Templates.toHtml("A <b>", 'First "line"\nsecond\n\n<script>x</script>')
    assert.include(html, "<p>First &quot;line&quot;<br>second</p>")
    assert.include(html, "<p>&lt;script&gt;x&lt;/script&gt;</p>")
    assert.include(html, "<title>A &lt;b&gt;</title>")
  })
})

describe("notification preferences", () => {
  const off = (event: Events.EventKind, channel: Events.Channel) => ({ event, channel, enabled: false })
  const on = (event: Events.EventKind, channel: Events.Channel) => ({ event, channel, enabled: true })

  it("own switch, then the org's default, then on", () => {
    assert.deepStrictEqual(Preferences.resolve("booking.approved", "email", [], []).source, "default")
    assert.isTrue(Preferences.resolve("booking.approved", "email", [], []).enabled)
    const org = [off("booking.approved", "email")]
    assert.deepStrictEqual(Preferences.resolve("booking.approved", "email", org, []), {
      event: "booking.approved",
      channel: "email",
      enabled: false,
      source: "org"
    })
    assert.deepStrictEqual(
      Preferences.resolve("booking.approved", "email", org, [on("booking.approved", "email")]).source,
      "account"
    )
    assert.isTrue(Preferences.resolve("booking.approved", "in_app", org, []).enabled, "another channel")
  })

  it("the email of a secret link is always on, and cannot be set", () => {
    const own = [off("mission.invitation", "email")]
    assert.deepStrictEqual(Preferences.resolve("mission.invitation", "email", own, own).source, "mandatory")
    assert.deepStrictEqual(
      Preferences.unsettable([
        { event: "booking.approved", channel: "email", enabled: false },
        { event: "password_reset", channel: "email", enabled: false },
        { event: "invitation", channel: "in_app", enabled: true }
      ]),
      [1, 2]
    )
    const all = Preferences.resolveAll([], [])
    assert.isFalse(all.some((setting) => setting.event === "password_reset" && setting.channel === "in_app"))
    assert.strictEqual(all.length, Events.EventKind.literals.length * 2 - Events.emailOnlyKinds.size)
  })
})
