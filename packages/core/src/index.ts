/**
 * `@rota/core`: Rota's domain as an embeddable Effect library.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Audit from "./Audit.ts"
/** @since 0.1.0 */
export * as AuditLog from "./AuditLog.ts"
/** @since 0.1.0 */
export * as AuditTrail from "./AuditTrail.ts"
/** @since 0.1.0 */
export * as Catalog from "./Catalog.ts"
/** @since 0.1.0 */
export * as Errors from "./Errors.ts"
/** @since 0.1.0 */
export * as Idempotency from "./Idempotency.ts"
/** @since 0.1.0 */
export * as Ids from "./Ids.ts"
/** @since 0.1.0 */
export * as Account from "./identity/Account.ts"
/** @since 0.1.0 */
export * as Auth from "./identity/Auth.ts"
/** @since 0.1.0 */
export * as IdentityConfig from "./identity/IdentityConfig.ts"
/** @since 0.1.0 */
export * as IdentityErrors from "./identity/IdentityErrors.ts"
/** @since 0.1.0 */
export * as IdentityRepos from "./identity/IdentityRepos.ts"
/** @since 0.1.0 */
export * as Invitations from "./identity/Invitations.ts"
/** @since 0.1.0 */
export * as Members from "./identity/Members.ts"
/** @since 0.1.0 */
export * as Membership from "./identity/Membership.ts"
/** @since 0.1.0 */
export * as Organization from "./identity/Organization.ts"
/** @since 0.1.0 */
export * as Orgs from "./identity/Orgs.ts"
/** @since 0.1.0 */
export * as PasswordHasher from "./identity/PasswordHasher.ts"
/** @since 0.1.0 */
export * as PasswordPolicy from "./identity/PasswordPolicy.ts"
/** @since 0.1.0 */
export * as Permissions from "./identity/Permissions.ts"
/** @since 0.1.0 */
export * as TokenSigner from "./identity/TokenSigner.ts"
/** @since 0.1.0 */
export * as Inventory from "./inventory/Inventory.ts"
/** @since 0.1.0 */
export * as InventoryRepos from "./inventory/InventoryRepos.ts"
/** @since 0.1.0 */
export * as InventoryNames from "./inventory/Names.ts"
/** @since 0.1.0 */
export * as Part from "./inventory/Part.ts"
/** @since 0.1.0 */
export * as Parts from "./inventory/Parts.ts"
/** @since 0.1.0 */
export * as Resource from "./inventory/Resource.ts"
/** @since 0.1.0 */
export * as Resources from "./inventory/Resources.ts"
/** @since 0.1.0 */
export * as ResourceUnit from "./inventory/ResourceUnit.ts"
/** @since 0.1.0 */
export * as Site from "./inventory/Site.ts"
/** @since 0.1.0 */
export * as Sites from "./inventory/Sites.ts"
/** @since 0.1.0 */
export * as Tag from "./inventory/Tag.ts"
/** @since 0.1.0 */
export * as Tags from "./inventory/Tags.ts"
/** @since 0.1.0 */
export * as Units from "./inventory/Units.ts"
/** @since 0.1.0 */
export * as Jobs from "./Jobs.ts"
/** @since 0.1.0 */
export * as Interval from "./ledger/Interval.ts"
/** @since 0.1.0 */
export * as Ledger from "./ledger/Ledger.ts"
/** @since 0.1.0 */
export * as Money from "./Money.ts"
/** @since 0.1.0 */
export * as Outbox from "./Outbox.ts"
/** @since 0.1.0 */
export * as Pagination from "./Pagination.ts"
/** @since 0.1.0 */
export * as Records from "./Records.ts"
/** @since 0.1.0 */
export * as RequestContext from "./RequestContext.ts"
/** @since 0.1.0 */
export * as Role from "./Role.ts"
/** @since 0.1.0 */
export * as Transactor from "./Transactor.ts"
/** @since 0.1.0 */
export * as Versioning from "./Versioning.ts"
