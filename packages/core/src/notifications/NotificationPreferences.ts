/**
 * Who wants what: each account turns a channel of an event kind on or off in an organisation;
 * what it did not set follows the organisation's default, else the built-in one (on). The
 * email of a secret link is always on.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Channel, channelsOf, EventKind, isMandatory } from "./NotificationEvents.ts"

/**
 * One switch: a channel of an event kind, on or off.
 *
 * @since 0.1.0
 * @category models
 */
export const Setting = Schema.Struct({ event: EventKind, channel: Channel, enabled: Schema.Boolean })
/** @since 0.1.0 @category models */
export type Setting = typeof Setting.Type

/**
 * A change of a switch; `enabled: null` removes it, so the default applies again.
 *
 * @since 0.1.0
 * @category models
 */
export const SettingChange = Schema.Struct({
  event: EventKind,
  channel: Channel,
  enabled: Schema.NullOr(Schema.Boolean)
})
/** @since 0.1.0 @category models */
export type SettingChange = typeof SettingChange.Type

/**
 * At most one change per event kind and channel pair.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SettingChanges = Schema.Array(SettingChange).pipe(Schema.check(Schema.isMaxLength(100)))

/**
 * A switch as an account sees it: whether it is on, and where that comes from.
 *
 * @since 0.1.0
 * @category models
 */
export const EffectiveSetting = Schema.Struct({
  event: EventKind,
  channel: Channel,
  enabled: Schema.Boolean,
  source: Schema.Literals(["account", "org", "default", "mandatory"])
})
/** @since 0.1.0 @category models */
export type EffectiveSetting = typeof EffectiveSetting.Type

const find = (settings: ReadonlyArray<Setting>, event: EventKind, channel: Channel) =>
  settings.find((setting) => setting.event === event && setting.channel === channel)

/**
 * Whether `channel` of `event` is on for an account with `own` settings in an organisation
 * with `defaults`.
 *
 * @since 0.1.0
 * @category rules
 */
export const resolve = (
  event: EventKind,
  channel: Channel,
  defaults: ReadonlyArray<Setting>,
  own: ReadonlyArray<Setting>
): EffectiveSetting => {
  if (isMandatory(event, channel)) return { event, channel, enabled: true, source: "mandatory" }
  const mine = find(own, event, channel)
  if (mine !== undefined) return { event, channel, enabled: mine.enabled, source: "account" }
  const org = find(defaults, event, channel)
  if (org !== undefined) return { event, channel, enabled: org.enabled, source: "org" }
  return { event, channel, enabled: true, source: "default" }
}

/**
 * Every switch of every event kind, resolved.
 *
 * @since 0.1.0
 * @category rules
 */
export const resolveAll = (
  defaults: ReadonlyArray<Setting>,
  own: ReadonlyArray<Setting>
): ReadonlyArray<EffectiveSetting> =>
  EventKind.literals.flatMap((event) =>
    channelsOf(event).map((channel) => resolve(event, channel, defaults, own))
  )

/**
 * The changes that name a switch that cannot be set: a channel the kind does not use, or a
 * mandatory one. Answers their positions.
 *
 * @since 0.1.0
 * @category rules
 */
export const unsettable = (changes: ReadonlyArray<SettingChange>): ReadonlyArray<number> =>
  changes.flatMap((change, index) =>
    !channelsOf(change.event).includes(change.channel) || isMandatory(change.event, change.channel)
      ? [index]
      : []
  )
