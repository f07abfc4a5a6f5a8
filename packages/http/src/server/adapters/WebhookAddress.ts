/**
 * The SSRF guard of webhooks: which addresses Rota refuses to call (private, loopback,
 * link-local, multicast, reserved, cloud metadata; IPv4 and IPv6, including IPv4 written inside
 * IPv6), checked on every address a host resolves to, at registration and again at each
 * delivery, where the connection is made to the address that was checked (no second lookup a
 * DNS answer could change in between).
 *
 * @since 0.1.0
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns"
import { BlockList, isIP } from "node:net"
import { Errors, WebhookTransport } from "@rota/core"
import { Effect, Layer } from "effect"
import { ServerConfig } from "../ServerConfig.ts"

const v4: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT (and some clouds' metadata, 100.100.100.200)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, with the usual metadata address 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4] // reserved, and the broadcast address
]

const v6: ReadonlyArray<readonly [string, number]> = [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated): an IPv4 address in disguise
  ["64:ff9b::", 96], // NAT64: reaches any IPv4 address
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID...)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds an IPv4 address
  ["fc00::", 7], // unique local (includes the fd00:ec2::254 metadata address)
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8] // multicast
]

const refused = new BlockList()
for (const [network, prefix] of v4) refused.addSubnet(network, prefix, "ipv4")
for (const [network, prefix] of v6) refused.addSubnet(network, prefix, "ipv6")

// `::ffff:a.b.c.d` and `::ffff:xxxx:xxxx` are the IPv4 address a.b.c.d: judged as such.
const mappedV4 = (address: string): string | undefined => {
  const lower = address.toLowerCase()
  const dotted = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower)
  if (dotted !== null) return dotted[1]
  const hex = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower)
  if (hex === null) return undefined
  const high = Number.parseInt(hex[1]!, 16)
  const low = Number.parseInt(hex[2]!, 16)
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`
}

/**
 * Whether Rota refuses to call this IP address (any textual form `net.isIP` accepts; anything
 * else is refused too).
 *
 * @since 0.1.0
 * @category rules
 */
export const isRefused = (address: string): boolean => {
  const unbracketed = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "")
  const family = isIP(unbracketed)
  if (family === 4) return refused.check(unbracketed, "ipv4")
  if (family !== 6) return true
  const embedded = mappedV4(unbracketed)
  return embedded !== undefined ? refused.check(embedded, "ipv4") : refused.check(unbracketed, "ipv6")
}

/**
 * Why a URL may not be called, before any name resolution: its scheme, or an IP literal host
 * (WHATWG parsing normalises `http://0x7f.1/`, `http://2130706433/` and the like to
 * `127.0.0.1` first). `undefined` when only its resolved addresses remain to be checked.
 *
 * @since 0.1.0
 * @category rules
 */
export const refusalOf = (url: string, allowPrivate: boolean): string | undefined => {
  const parsed = URL.parse(url)
  if (parsed === null) return "not an absolute URL"
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return "only http and https URLs are called"
  if (parsed.username !== "" || parsed.password !== "") return "URLs with credentials are not called"
  const host = parsed.hostname.replace(/^\[|\]$/g, "")
  if (!allowPrivate && isIP(host) !== 0 && isRefused(host)) return `address ${host} is not public`
  return undefined
}

const resolveAll = (host: string) =>
  Effect.callback<ReadonlyArray<LookupAddress>, string>((resume) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      resume(error === null ? Effect.succeed(addresses) : Effect.fail(`host ${host} does not resolve`))
    )
  }).pipe(
    Effect.timeoutOrElse({
      duration: "5 seconds",
      orElse: () => Effect.fail(`host ${host} did not resolve in time`)
    })
  )

/**
 * The refusal of a host's resolved addresses: any one of them refused refuses the host, since
 * a client may connect to any.
 *
 * @since 0.1.0
 * @category rules
 */
export const refusalOfAddresses = (
  host: string,
  addresses: ReadonlyArray<string>,
  allowPrivate: boolean
): string | undefined => {
  if (addresses.length === 0) return `host ${host} does not resolve`
  const bad = allowPrivate ? undefined : addresses.find(isRefused)
  return bad === undefined ? undefined : `host ${host} resolves to ${bad}, which is not public`
}

/**
 * Checks a URL completely: scheme, literal address, then every resolved address.
 *
 * @since 0.1.0
 * @category checks
 */
export const check = (url: string, allowPrivate: boolean): Effect.Effect<void, string> =>
  Effect.gen(function* () {
    const early = refusalOf(url, allowPrivate)
    if (early !== undefined) return yield* Effect.fail(early)
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "")
    if (isIP(host) !== 0) return
    const addresses = yield* resolveAll(host)
    const late = refusalOfAddresses(
      host,
      addresses.map((entry) => entry.address),
      allowPrivate
    )
    if (late !== undefined) return yield* Effect.fail(late)
  })

/**
 * A `lookup` for `http.request` that refuses hosts resolving to a refused address, so the
 * connection goes to an address that was checked.
 *
 * @since 0.1.0
 * @category checks
 */
export const guardedLookup =
  (allowPrivate: boolean) =>
  (
    host: string,
    options: { readonly family?: number | string | undefined; readonly all?: boolean | undefined },
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number
    ) => void
  ): void => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error !== null) return callback(error, [])
      const refusal = refusalOfAddresses(
        host,
        addresses.map((entry) => entry.address),
        allowPrivate
      )
      if (refusal !== undefined) {
        return callback(Object.assign(new Error(refusal), { code: "EREFUSEDADDRESS" }), [])
      }
      if (options.all === true) return callback(null, addresses)
      const first = addresses[0]!
      callback(null, first.address, first.family)
    })
  }

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WebhookTransport.WebhookTargets, never, ServerConfig> = Layer.effect(
  WebhookTransport.WebhookTargets,
  Effect.map(Effect.service(ServerConfig), (config) =>
    WebhookTransport.WebhookTargets.of({
      check: (url) =>
        check(url, config.webhookAllowPrivate).pipe(
          Effect.mapError(
            (message) => new Errors.ValidationFailed({ errors: [{ path: ["body", "url"], message }] })
          )
        )
    })
  )
)
