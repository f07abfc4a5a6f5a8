import { assert, describe, it } from "@effect/vitest"
import { Option, Result } from "effect"
import { HttpServerRequest } from "effect/http"
import * as fc from "fast-check"
import * as ClientAddress from "../src/server/edge/ClientAddress.ts"

const trusted = (...cidrs: ReadonlyArray<string>): ClientAddress.TrustedProxies =>
  Result.getOrThrow(ClientAddress.parseTrustedProxies(cidrs))

const proxies = trusted("10.0.0.0/8", "fd00::/8")

const resolve = (peer: string | undefined, forwardedFor?: string, trustedProxies = proxies) =>
  ClientAddress.resolve({ peer, forwardedFor, trustedProxies })

describe("parseTrustedProxies", () => {
  it("accepts IPv4 and IPv6 CIDRs and bare addresses as single hosts", () => {
    const parsed = trusted("10.0.0.0/8", "fd00::/8", "192.0.2.7", "2001:db8::1")
    assert.strictEqual(parsed.length, 4)
    assert.strictEqual(resolve("192.0.2.7", "198.51.100.1", parsed), "198.51.100.1")
    assert.strictEqual(resolve("192.0.2.8", "198.51.100.1", parsed), "192.0.2.8")
    assert.strictEqual(resolve("2001:db8::1", "198.51.100.1", parsed), "198.51.100.1")
    assert.strictEqual(resolve("2001:db8::2", "198.51.100.1", parsed), "2001:db8::2")
  })

  it("refuses garbage and CIDRs with host bits set instead of guessing", () => {
    assert.isTrue(Result.isFailure(ClientAddress.parseTrustedProxies(["10.0.0.0/8", "proxy.internal"])))
    assert.isTrue(Result.isFailure(ClientAddress.parseTrustedProxies(["10.0.0.1/8"])))
    assert.isTrue(Result.isFailure(ClientAddress.parseTrustedProxies(["10.0.0.0/33"])))
  })

  it("treats an empty list as trusting no proxy", () => {
    assert.strictEqual(resolve("10.0.0.1", "198.51.100.7", trusted()), "10.0.0.1")
  })
})

describe("resolve", () => {
  it("uses the peer when there is no X-Forwarded-For", () => {
    assert.strictEqual(resolve("198.51.100.7"), "198.51.100.7")
    assert.strictEqual(resolve("10.0.0.1"), "10.0.0.1")
  })

  it("ignores X-Forwarded-For from an untrusted peer", () => {
    assert.strictEqual(resolve("203.0.113.5", "1.2.3.4"), "203.0.113.5")
    assert.strictEqual(resolve("2001:db8::5", "1.2.3.4, 10.0.0.1"), "2001:db8::5")
  })

  it("believes X-Forwarded-For from a peer inside a trusted IPv4 CIDR", () => {
    assert.strictEqual(resolve("10.1.2.3", "198.51.100.7"), "198.51.100.7")
  })

  it("believes X-Forwarded-For from a peer inside a trusted IPv6 CIDR", () => {
    assert.strictEqual(resolve("fd00::1", "2001:db8::42"), "2001:db8::42")
    assert.strictEqual(resolve("fd12:3456::9", "198.51.100.7"), "198.51.100.7")
  })

  it("ignores spoofed left-most entries: the right-most untrusted address wins", () => {
    assert.strictEqual(resolve("10.0.0.1", "6.6.6.6, 198.51.100.7"), "198.51.100.7")
    // A client posing as one of our own proxies gains nothing either.
    assert.strictEqual(resolve("10.0.0.1", "10.9.9.9, 198.51.100.7"), "198.51.100.7")
  })

  it("skips trusted proxies along a chain of hops", () => {
    assert.strictEqual(resolve("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.5, fd00::3"), "198.51.100.7")
  })

  it("uses the left-most entry when every hop is a trusted proxy", () => {
    assert.strictEqual(resolve("10.0.0.1", "10.0.0.9, 10.0.0.5"), "10.0.0.9")
  })

  it("stops at the nearest trusted hop when an entry is not an address", () => {
    assert.strictEqual(resolve("10.0.0.1", "198.51.100.7, unknown"), "10.0.0.1")
    assert.strictEqual(resolve("10.0.0.1", "unknown, 10.0.0.5"), "10.0.0.5")
  })

  it("matches IPv4-mapped IPv6 peers against IPv4 CIDRs and reports them as IPv4", () => {
    assert.strictEqual(resolve("::ffff:10.0.0.1", "198.51.100.7"), "198.51.100.7")
    assert.strictEqual(resolve("::ffff:203.0.113.5", "198.51.100.7"), "203.0.113.5")
    assert.strictEqual(resolve("10.0.0.1", "::ffff:198.51.100.7"), "198.51.100.7")
  })

  it("matches IPv4 peers against IPv4-mapped IPv6 CIDRs", () => {
    const mapped = trusted("::ffff:10.0.0.0/104")
    assert.strictEqual(resolve("10.0.0.1", "198.51.100.7", mapped), "198.51.100.7")
    assert.strictEqual(resolve("::ffff:10.0.0.1", "198.51.100.7", mapped), "198.51.100.7")
    assert.strictEqual(resolve("11.0.0.1", "198.51.100.7", mapped), "11.0.0.1")
  })

  it("reads entries with ports, brackets and odd spacing, and formats addresses canonically", () => {
    assert.strictEqual(resolve("10.0.0.1", " 198.51.100.7:5555 "), "198.51.100.7")
    assert.strictEqual(resolve("10.0.0.1", "[2001:DB8:0:0::1]:443"), "2001:db8::1")
    assert.strictEqual(resolve("10.0.0.1", "6.6.6.6,,198.51.100.7,"), "198.51.100.7")
    assert.strictEqual(resolve("2001:0DB8::0:1"), "2001:db8::1")
  })

  it("knows no client when the peer is unknown or not an IP address", () => {
    assert.isUndefined(resolve(undefined, "198.51.100.7"))
    assert.isUndefined(resolve("/run/rota.sock", "198.51.100.7"))
  })

  it("answers the peer, whatever an untrusted client puts in X-Forwarded-For", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())), (peer, entries) => {
        fc.pre(!peer.startsWith("10."))
        assert.strictEqual(
          resolve(peer, entries.join(", ")),
          ClientAddress.resolve({
            peer,
            forwardedFor: undefined,
            trustedProxies: proxies
          })
        )
      })
    )
  })

  it("answers the address our proxy appended, whatever the client prepended", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string())), fc.ipV4(), (spoofed, client) => {
        fc.pre(!client.startsWith("10."))
        const forwardedFor = [...spoofed, client].join(", ")
        assert.strictEqual(resolve("10.0.0.1", forwardedFor), resolve(client))
      })
    )
  })
})

describe("fromRequest", () => {
  const request = (peer: string | undefined, headers: Record<string, string> = {}) =>
    HttpServerRequest.fromWeb(new Request("http://rota.test/v1/auth/login", { headers })).modify({
      remoteAddress: Option.fromUndefinedOr(peer)
    })

  it("reads the socket peer and X-Forwarded-For of a request", () => {
    assert.strictEqual(ClientAddress.fromRequest(request("203.0.113.5"), proxies), "203.0.113.5")
    assert.strictEqual(
      ClientAddress.fromRequest(request("10.0.0.1", { "x-forwarded-for": "6.6.6.6, 198.51.100.7" }), proxies),
      "198.51.100.7"
    )
    assert.strictEqual(
      ClientAddress.fromRequest(request("203.0.113.5", { "x-forwarded-for": "198.51.100.7" }), proxies),
      "203.0.113.5"
    )
  })

  it("decides trust on the transport peer even when a middleware rewrote remoteAddress", () => {
    const rewritten = request("203.0.113.5", { "x-forwarded-for": "198.51.100.7" }).modify({
      remoteAddress: Option.some("198.51.100.7"),
      peerAddress: Option.some("203.0.113.5")
    })
    assert.strictEqual(ClientAddress.fromRequest(rewritten, proxies), "203.0.113.5")
  })

  it("knows no client when the request has no peer address", () => {
    assert.isUndefined(ClientAddress.fromRequest(request(undefined), proxies))
  })
})

describe("limitKey", () => {
  it("keys an IPv4 client by its address, mapped or not", () => {
    assert.strictEqual(ClientAddress.limitKey("198.51.100.7"), "198.51.100.7")
    assert.strictEqual(ClientAddress.limitKey("::ffff:198.51.100.7"), "198.51.100.7")
  })

  it("keys an IPv6 client by its /64, so rotating within it gains no quota", () => {
    assert.strictEqual(
      ClientAddress.limitKey("2001:db8:1:2::1"),
      ClientAddress.limitKey("2001:db8:1:2:ffff::9")
    )
    assert.strictEqual(ClientAddress.limitKey("2001:db8:1:2::1"), "2001:db8:1:2::/64")
    assert.notStrictEqual(
      ClientAddress.limitKey("2001:db8:1:2::1"),
      ClientAddress.limitKey("2001:db8:1:3::1")
    )
  })

  it("keys anything unparsable by its own text", () => {
    assert.strictEqual(ClientAddress.limitKey(" unknown "), "unknown")
  })
})
