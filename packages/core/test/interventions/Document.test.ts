import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Document } from "../../src/index.ts"

const bytes = (...values: ReadonlyArray<number | string>) =>
  new Uint8Array(
    values.flatMap((value) =>
      typeof value === "string" ? Array.from(value, (char) => char.charCodeAt(0)) : [value]
    )
  )

describe("Document", () => {
  it("recognises each allowed type by its first bytes", () => {
    assert.strictEqual(Document.sniff(bytes("%PDF-1.7\n", 0, 1, 2)), "application/pdf")
    assert.strictEqual(Document.sniff(bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0)), "image/png")
    assert.strictEqual(Document.sniff(bytes(0xff, 0xd8, 0xff, 0xe0, 0)), "image/jpeg")
    assert.strictEqual(Document.sniff(bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 ")), "image/webp")
    assert.strictEqual(
      Document.sniff(new TextEncoder().encode("Pump replaced.\r\nAll good: ✓\n")),
      "text/plain"
    )
  })

  it("recognises nothing else: executables, binary text, empty files", () => {
    assert.isUndefined(Document.sniff(bytes("MZ", 0x90, 0)))
    assert.isUndefined(Document.sniff(bytes(0x7f, "ELF", 2, 1)))
    assert.isUndefined(Document.sniff(bytes("<html>", 0, "</html>")))
    assert.isUndefined(Document.sniff(bytes(0xc3, 0x28)))
    assert.isUndefined(Document.sniff(new Uint8Array()))
  })

  it.effect("accepts the declared type only when the bytes are of that type", () =>
    Effect.gen(function* () {
      const png = bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0)
      assert.strictEqual(yield* Document.typeOf("image/PNG; charset=binary", png), "image/png")
      const mismatch = yield* Effect.flip(Document.typeOf("application/pdf", png))
      assert.deepStrictEqual([mismatch.declared, mismatch.detected], ["application/pdf", "image/png"])
      const unknown = yield* Effect.flip(Document.typeOf("application/x-msdownload", bytes("MZ", 0)))
      assert.isNull(unknown.detected)
      assert.strictEqual(yield* Document.typeOf("image/jpg", bytes(0xff, 0xd8, 0xff, 0)), "image/jpeg")
    })
  )

  it("keeps only a safe last path segment of the name", () => {
    assert.strictEqual(Document.sanitizeFilename("../../etc/passwd"), "passwd")
    assert.strictEqual(Document.sanitizeFilename("C:\\Users\\x\\report.pdf"), "report.pdf")
    assert.strictEqual(Document.sanitizeFilename("..."), "document")
    assert.strictEqual(Document.sanitizeFilename(".bashrc"), "bashrc")
    assert.strictEqual(Document.sanitizeFilename("in\u0000voice\r\n.pdf"), "invoice.pdf")
    assert.strictEqual(Document.sanitizeFilename("photo\u202Egnp.exe"), "photognp.exe")
    assert.strictEqual(Document.sanitizeFilename('a"b<c>.txt'), "abc.txt")
    const long = Document.sanitizeFilename(`${"x".repeat(500)}.pdf`)
    assert.strictEqual(long.length, Document.maxFilenameLength)
    assert.isTrue(long.endsWith(".pdf"))
  })
})
