/**
 * Every error the API answers with, as RFC 9457 problem+json. Each problem has a stable `code`
 * (what clients branch on), a `type` URI derived from it, and the `requestId` to quote when
 * reporting it. Declaring them as schemas puts them in the OpenAPI document and gives the SDK
 * typed errors.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * from "./AuthProblems.ts"
/** @since 0.1.0 */
export * from "./DomainProblems.ts"
/** @since 0.1.0 */
export * from "./RequestProblems.ts"
/** @since 0.1.0 */
export * from "./ServiceProblems.ts"
