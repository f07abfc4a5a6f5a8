/**
 * `/v1/notifications`: the caller's in-app notifications in the current organisation, and
 * which channels of which events reach them (`/v1/me/notification-preferences`), with the
 * organisation's defaults (`/v1/notification-defaults`, set by admins).
 *
 * @since 0.1.0
 */
import { Notification, NotificationPreferences, Pagination } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { BooleanFlag, page } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * Every switch, resolved.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Preferences = Schema.Struct({ items: Schema.Array(NotificationPreferences.EffectiveSetting) })

const Changes = Schema.Struct({ items: NotificationPreferences.SettingChanges })

/**
 * @since 0.1.0
 * @category groups
 */
export class NotificationsApi extends HttpApiGroup.make("notifications")
  .add(
    HttpApiEndpoint.get("list", "/v1/notifications", {
      query: { ...page, unread: Schema.optionalKey(BooleanFlag) },
      success: Pagination.Page(Notification.Notification)
    })
      .annotate(Requires, "org.read")
      .annotate(OpenApi.Summary, "List my notifications")
      .annotate(
        OpenApi.Description,
        "The caller's in-app notifications in this organisation, newest first; `unread=true` keeps the unread ones."
      ),
    HttpApiEndpoint.get("unreadCount", "/v1/notifications/unread-count", {
      success: Schema.Struct({ count: Schema.Int })
    })
      .annotate(Requires, "org.read")
      .annotate(OpenApi.Summary, "Count my unread notifications")
      .annotate(
        OpenApi.Description,
        "How many of the caller's notifications in this organisation are unread."
      ),
    HttpApiEndpoint.post("readAll", "/v1/notifications/read-all", {
      success: Schema.Struct({ updated: Schema.Int })
    })
      .annotate(Requires, "org.read")
      .annotate(OpenApi.Summary, "Mark all my notifications read")
      .annotate(
        OpenApi.Description,
        "Marks every unread notification of the caller in this organisation read; answers how many were unread."
      ),
    HttpApiEndpoint.post("read", "/v1/notifications/:id/read", {
      params: { id: Notification.NotificationId },
      success: Notification.Notification,
      error: Problems.NotFound
    })
      .annotate(Requires, "org.read")
      .annotate(OpenApi.Summary, "Mark a notification read")
      .annotate(
        OpenApi.Description,
        "Marks one of the caller's notifications read (again is fine: it keeps its first read time). Another account's is a 404."
      ),
    HttpApiEndpoint.get("preferences", "/v1/me/notification-preferences", { success: Preferences })
      .annotate(Requires, "org.read")
      .annotate(OpenApi.Summary, "My notification preferences")
      .annotate(
        OpenApi.Description,
        "Every channel of every event kind, on or off for the caller in this organisation, and whether that is their own choice, the organisation's default, the built-in default or mandatory (secret links by email)."
      ),
    HttpApiEndpoint.put("setPreferences", "/v1/me/notification-preferences", {
      payload: Changes,
      success: Preferences
    })
      .annotate(Requires, "org.read")
      .annotate(OpenApi.Summary, "Set my notification preferences")
      .annotate(
        OpenApi.Description,
        "Turns channels of event kinds on or off for the caller in this organisation; `enabled: null` goes back to the default. Switches not named keep their value; mandatory ones cannot be set (400)."
      ),
    HttpApiEndpoint.get("defaults", "/v1/notification-defaults", { success: Preferences })
      .annotate(Requires, "org.read")
      .annotate(OpenApi.Summary, "The organisation's notification defaults")
      .annotate(
        OpenApi.Description,
        "What members who set nothing themselves get, per channel of each event kind."
      ),
    HttpApiEndpoint.put("setDefaults", "/v1/notification-defaults", {
      payload: Changes,
      success: Preferences
    })
      .annotate(Requires, "org.update")
      .annotate(OpenApi.Summary, "Set the organisation's notification defaults")
      .annotate(
        OpenApi.Description,
        "Admins turn channels of event kinds on or off for every member who did not choose otherwise; `enabled: null` goes back to the built-in default (on)."
      )
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Notifications",
      description:
        "What happened that concerns the caller (an offer, an approval, an assignment, ...), in-app and by email, as their preferences say."
    })
  ) {}
