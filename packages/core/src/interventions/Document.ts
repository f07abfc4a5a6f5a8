/**
 * Documents attached to an intervention (photos, reports, invoices). The bytes live in a
 * `DocumentStore` under a generated key; the name a client gave is kept only as a sanitised
 * display name, and the type is the one the bytes prove, never merely the one declared.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { InterventionId } from "./Intervention.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const DocumentId = Uuid.pipe(Schema.brand("DocumentId"))
/** @since 0.1.0 @category ids */
export type DocumentId = typeof DocumentId.Type

/**
 * The types a document may have, each recognised by its first bytes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DocumentType = Schema.Literals([
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/webp",
  "text/plain"
])
/** @since 0.1.0 @category models */
export type DocumentType = typeof DocumentType.Type

/**
 * @since 0.1.0
 * @category models
 */
export class Document extends Schema.Class<Document>("@rota/core/Document")({
  id: DocumentId,
  orgId: OrgId,
  interventionId: InterventionId,
  /** The sanitised display name. */
  filename: Schema.String,
  contentType: DocumentType,
  size: Schema.Int,
  /** Hex SHA-256 of the bytes. */
  sha256: Schema.String,
  /** Where the bytes are kept: generated, never derived from the client's file name. */
  storageKey: Uuid,
  createdBy: AccountId,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * An upload larger than the server accepts.
 *
 * @since 0.1.0
 * @category errors
 */
export class DocumentTooLarge extends Schema.TaggedError<DocumentTooLarge>()("DocumentTooLarge", {
  limit: Schema.Int
}) {}

/**
 * An upload whose bytes are of no allowed type, or of another type than the one declared.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedDocumentType extends Schema.TaggedError<UnsupportedDocumentType>()(
  "UnsupportedDocumentType",
  {
    declared: Schema.String,
    detected: Schema.NullOr(Schema.String)
  }
) {}

const startsWith = (bytes: Uint8Array, signature: ReadonlyArray<number | undefined>, offset = 0): boolean =>
  bytes.length >= offset + signature.length &&
  signature.every((byte, index) => byte === undefined || bytes[offset + index] === byte)

const ascii = (text: string): ReadonlyArray<number> => Array.from(text, (char) => char.charCodeAt(0))

const utf8 = new TextDecoder("utf-8", { fatal: true })

// Text is valid UTF-8 with no control characters but tab, line feed, form feed and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controlCharacter = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/

const isPlainText = (bytes: Uint8Array): boolean => {
  try {
    return !controlCharacter.test(utf8.decode(bytes))
  } catch {
    return false
  }
}

/**
 * The allowed type the bytes are, by their magic numbers (PDF, PNG, JPEG, WebP), or plain text
 * when they are clean UTF-8; `undefined` for anything else (an executable, HTML with a NUL, ...).
 *
 * @since 0.1.0
 * @category rules
 */
export const sniff = (bytes: Uint8Array): DocumentType | undefined => {
  if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf"
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png"
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg"
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp"
  if (bytes.length > 0 && isPlainText(bytes)) return "text/plain"
  return undefined
}

const aliases: Readonly<Record<string, string>> = { "image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg" }

/**
 * A declared media type compared the way HTTP compares them: lower-case, without parameters.
 *
 * @since 0.1.0
 * @category rules
 */
export const normalizeType = (declared: string): string => {
  const type = declared.split(";")[0]!.trim().toLowerCase()
  return aliases[type] ?? type
}

/**
 * The type of an upload: what its bytes are, when that is allowed and is what the client
 * declared; otherwise `UnsupportedDocumentType`.
 *
 * @since 0.1.0
 * @category rules
 */
export const typeOf = (
  declared: string,
  bytes: Uint8Array
): Effect.Effect<DocumentType, UnsupportedDocumentType> => {
  const detected = sniff(bytes)
  return detected !== undefined && detected === normalizeType(declared)
    ? Effect.succeed(detected)
    : Effect.fail(new UnsupportedDocumentType({ declared, detected: detected ?? null }))
}

/**
 * The longest display name kept, in characters.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxFilenameLength = 120

// Control, format (bidirectional overrides) and separator characters, which could disguise a
// name or break a header; and the characters Windows refuses in names.
const unsafeCharacter = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}"*:<>?|]/gu

/**
 * A name safe to show and to put in a `Content-Disposition` header: the last path segment of
 * what the client sent, without control or format characters, leading dots or surrounding
 * spaces, at most {@link maxFilenameLength} characters (the extension kept), and `document`
 * when nothing is left. It is a label only: bytes are stored under a generated key.
 *
 * @since 0.1.0
 * @category rules
 */
export const sanitizeFilename = (name: string): string => {
  const base = name.split(/[/\\]/).pop() ?? ""
  const cleaned = base
    .replace(unsafeCharacter, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[.\s]+/, "")
  const characters = Array.from(cleaned)
  if (characters.length === 0) return "document"
  if (characters.length <= maxFilenameLength) return cleaned
  const dot = cleaned.lastIndexOf(".")
  const extension = dot > 0 ? Array.from(cleaned.slice(dot)) : []
  const kept = extension.length > 0 && extension.length <= 16 ? extension : []
  return [...characters.slice(0, maxFilenameLength - kept.length), ...kept].join("")
}
