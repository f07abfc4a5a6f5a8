/**
 * The client address of a request, as rate limits and logs should see it. `X-Forwarded-For` is
 * believed only when the TCP peer is a proxy the operator trusts (`ROTA_TRUSTED_PROXIES`), and
 * then it is read from the right: each proxy appends the address it saw, so the right-most entry
 * that is not one of our proxies is the last hop we can vouch for. Everything left of it was
 * written by the client itself and may be forged.
 *
 * @since 0.1.0
 */
import { Option, Result } from "effect"
import type { HttpServerRequest } from "effect/http"
import { IpNetwork, NetAddress } from "effect/net"

/**
 * Parsed trusted proxy networks; build them once at start-up with {@link parseTrustedProxies}.
 *
 * @since 0.1.0
 * @category models
 */
export type TrustedProxies = ReadonlyArray<IpNetwork.IpNetwork>

// Addresses are compared in canonical form (IPv4-mapped IPv6 becomes IPv4, which is what Node
// reports for IPv4 clients on a dual-stack socket), so a mapped network must become IPv4 too.
const canonicalNetwork = (network: IpNetwork.IpNetwork): IpNetwork.IpNetwork => {
  const address = network.address
  if (!NetAddress.isIpv6Address(address) || network.prefixLength < 96) return network
  return Option.match(NetAddress.fromIpv4Mapped(address), {
    onNone: () => network,
    onSome: (ipv4) => IpNetwork.makeUnsafe(ipv4, network.prefixLength - 96)
  })
}

/**
 * Parses CIDRs such as `10.0.0.0/8`, `fd00::/8` or `::ffff:10.0.0.0/104`; a bare address means
 * that one host. A CIDR with host bits set (`10.0.0.1/8`) is refused rather than guessed at, as
 * it is usually a typo in what the operator meant to trust.
 *
 * @since 0.1.0
 * @category constructors
 */
export const parseTrustedProxies = (
  cidrs: ReadonlyArray<string>
): Result.Result<TrustedProxies, NetAddress.NetAddressError> => {
  const networks: Array<IpNetwork.IpNetwork> = []
  for (const cidr of cidrs) {
    const input = cidr.trim()
    const parsed = input.includes("/")
      ? IpNetwork.fromString(input)
      : Result.flatMap(NetAddress.ipFromString(input), (address) =>
          IpNetwork.make(address, NetAddress.width(address))
        )
    if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
    networks.push(canonicalNetwork(parsed.success))
  }
  return Result.succeed(networks)
}

/**
 * Parses one address as a peer or an `X-Forwarded-For` entry may spell it: bare, in brackets,
 * with a port (`1.2.3.4:80`, `[::1]:80`) or an IPv6 zone. The result is canonical, so
 * `::ffff:1.2.3.4` and `1.2.3.4` are the same client.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseAddress = (input: string): NetAddress.IpAddress | undefined => {
  const trimmed = input.trim()
  const unbracketed = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed
  // A zone names the peer's interface, not a different host.
  const zone = unbracketed.indexOf("%")
  const bare = zone === -1 ? unbracketed : unbracketed.slice(0, zone)
  const ip = NetAddress.ipFromString(bare)
  if (Result.isSuccess(ip)) return NetAddress.toCanonical(ip.success)
  const inet = NetAddress.inetAddressFromString(trimmed)
  return Result.isSuccess(inet) ? NetAddress.toCanonical(inet.success.address) : undefined
}

/**
 * @since 0.1.0
 * @category predicates
 */
export const isTrusted = (trusted: TrustedProxies, address: NetAddress.IpAddress): boolean =>
  trusted.some((network) => IpNetwork.contains(network, address))

/**
 * The client address from the TCP peer and the `X-Forwarded-For` header, formatted canonically;
 * `undefined` when the peer is unknown or not an IP address.
 *
 * When every forwarded entry is a trusted proxy the left-most is the client (a request from
 * inside our network). An entry that is not an address stops the walk at the nearest trusted
 * hop, since nothing left of it can be vouched for.
 *
 * @since 0.1.0
 * @category resolving
 */
export const resolve = (options: {
  readonly peer: string | undefined
  readonly forwardedFor: string | undefined
  readonly trustedProxies: TrustedProxies
}): string | undefined => {
  const peer = options.peer === undefined ? undefined : parseAddress(options.peer)
  if (peer === undefined) return undefined
  if (options.forwardedFor === undefined || !isTrusted(options.trustedProxies, peer)) {
    return NetAddress.formatIp(peer)
  }
  const entries = options.forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
  let nearest = peer
  for (let index = entries.length - 1; index >= 0; index--) {
    const address = parseAddress(entries[index] ?? "")
    if (address === undefined) break
    nearest = address
    if (!isTrusted(options.trustedProxies, address)) break
  }
  return NetAddress.formatIp(nearest)
}

/**
 * The client address of a request. It reads `peerAddress`, the transport peer, which equals
 * `remoteAddress` unless a forwarding middleware already rewrote the latter, so the trust
 * decision is always made about the socket itself.
 *
 * @since 0.1.0
 * @category resolving
 */
export const fromRequest = (
  request: HttpServerRequest.HttpServerRequest,
  trustedProxies: TrustedProxies
): string | undefined =>
  resolve({
    peer: Option.getOrUndefined(request.peerAddress),
    forwardedFor: request.headers["x-forwarded-for"],
    trustedProxies
  })

/**
 * The rate-limit bucket of a client address: the address itself for IPv4, its /64 for IPv6,
 * because one IPv6 subscriber is usually handed a whole /64 and could otherwise rotate through
 * it to get a fresh quota per request. Anything unparsable is its own bucket.
 *
 * @since 0.1.0
 * @category resolving
 */
export const limitKey = (ip: string): string => {
  const address = parseAddress(ip)
  if (address === undefined) return ip.trim()
  if (NetAddress.isIpv4Address(address)) return NetAddress.formatIp(address)
  return IpNetwork.format(IpNetwork.fromAddressUnsafe(address, 64))
}
