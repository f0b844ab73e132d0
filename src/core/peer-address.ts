// Which addresses `ccsso serve` listens on and answers (docs/security.md "The credentials endpoint"). Pure:
// the caller passes the literal addresses it was given or saw.

/** An IPv4 address as four numbers, or undefined (IPv4-mapped IPv6 `::ffff:a.b.c.d` counts as IPv4). */
function ipv4(text: string): number[] | undefined {
  const m = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : undefined;
}

/** Lower-case IPv6 without brackets or zone, or undefined when `text` is not one. */
function ipv6(text: string): string | undefined {
  const t = text
    .replace(/^\[|\]$/g, "")
    .replace(/%.*$/, "")
    .toLowerCase();
  return /^[0-9a-f:]+$/.test(t) && t.includes(":") ? t : undefined;
}

export function isIpLiteral(text: string): boolean {
  return ipv4(text) !== undefined || ipv6(text) !== undefined;
}

export function isLoopback(address: string): boolean {
  const v4 = ipv4(address);
  if (v4) return v4[0] === 127;
  const v6 = ipv6(address);
  return v6 !== undefined && /^(0{0,4}:){1,7}0{0,3}1$|^::1$/.test(v6);
}

/** 0.0.0.0 or :: — every interface, the LAN included: never what a credentials endpoint should be on. */
export function isWildcard(address: string): boolean {
  const v4 = ipv4(address);
  if (v4) return v4.every((p) => p === 0);
  const v6 = ipv6(address);
  return v6 !== undefined && /^[0:]+$/.test(v6);
}

/**
 * Addresses no router forwards from the internet: RFC 1918 (docker's bridges live there), link-local
 * (169.254.170.2, the ECS agent's address), IPv6 unique-local and link-local.
 */
export function isPrivate(address: string): boolean {
  const v4 = ipv4(address);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  const v6 = ipv6(address);
  return v6 !== undefined && /^(f[cd][0-9a-f]{0,2}|fe[89ab][0-9a-f]?):/.test(v6);
}

/**
 * Whether a request from `peer` may be answered by an endpoint bound to `bound`. On loopback only loopback
 * peers (a container with --network host); on a bridge address also private peers (the containers on
 * that bridge) — never a public address, whatever the bind.
 */
export function isAllowedPeer(peer: string, bound: string): boolean {
  if (isLoopback(peer)) return true;
  if (isLoopback(bound)) return false;
  return isPrivate(peer);
}
