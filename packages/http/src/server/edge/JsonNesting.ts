/**
 * How deeply a JSON text nests, measured by scanning it: nothing recursive (parsers, validators,
 * the idempotency fingerprint, error logging) may see a body nested deeper than any request
 * needs, since each such reader is one stack frame per level away from a crash.
 *
 * @since 0.1.0
 */

/**
 * The deepest nesting of arrays and objects a request body may have: Rota's payloads nest a few
 * levels, so this leaves ample room and still keeps every reader far from the stack's limit.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxDepth = 64

/**
 * Whether `text` opens more than `limit` arrays or objects inside one another. Brackets inside
 * strings do not count; the text need not be valid JSON.
 *
 * @since 0.1.0
 * @category rules
 */
export const exceeds = (text: string, limit: number = maxDepth): boolean => {
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (inString) {
      if (char === 0x5c)
        index++ // a backslash escapes the next character
      else if (char === 0x22) inString = false
    } else if (char === 0x22) {
      inString = true
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) return true
    } else if (char === 0x5d || char === 0x7d) {
      depth--
    }
  }
  return false
}
