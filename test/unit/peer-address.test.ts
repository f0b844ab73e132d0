// Which listen addresses `ccsso serve` accepts and which peers it answers.
import { describe, expect, it } from "bun:test";
import { isAllowedPeer, isIpLiteral, isLoopback, isPrivate, isWildcard } from "../../src/core/peer-address";

describe("serve's address rules", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["172.17.0.1", false],
    ["128.0.0.1", false],
    ["::2", false],
  ])("loopback %s: %p", (a, want) => expect(isLoopback(a)).toBe(want));

  it.each([
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.1.10", true],
    ["169.254.170.2", true],
    ["::ffff:172.17.0.2", true],
    ["fd00:ec2::23", true],
    ["fe80::1", true],
    ["8.8.8.8", false],
    ["192.0.2.2", false],
    ["2001:db8::1", false],
  ])("private %s: %p", (a, want) => expect(isPrivate(a)).toBe(want));

  it.each([
    ["0.0.0.0", true],
    ["::", true],
    ["0:0:0:0:0:0:0:0", true],
    ["127.0.0.1", false],
  ])("wildcard %s: %p", (a, want) => expect(isWildcard(a)).toBe(want));

  it.each([
    ["127.0.0.1", true],
    ["fd00::1", true],
    ["localhost", false],
    ["999.1.1.1", false],
    ["host.docker.internal", false],
  ])("IP literal %s: %p", (a, want) => expect(isIpLiteral(a)).toBe(want));

  it.each([
    // bound to loopback: only loopback peers
    ["127.0.0.1", "127.0.0.1", true],
    ["172.17.0.2", "127.0.0.1", false],
    // bound to a bridge: its containers (private), loopback, never a public peer
    ["172.17.0.2", "172.17.0.1", true],
    ["127.0.0.1", "172.17.0.1", true],
    ["203.0.113.7", "172.17.0.1", false],
    ["192.0.2.2", "192.0.2.2", false],
  ])("peer %s on an endpoint bound to %s: %p", (peer, bound, want) => expect(isAllowedPeer(peer, bound)).toBe(want));
});
