// The AWS CLI's cache file names (docs/protocols.md §2.3–2.5): every upstream vector, and
// Python's own json.dumps as the oracle for the escaping rules the vectors do not reach.
import { describe, expect, it } from "bun:test";
import { registrationCacheKey, roleCredentialsCacheKey, sha1Hex, tokenCacheKey } from "../../src/core/cache-keys";
import { pythonJsonDumps } from "../../src/core/python-json";
import type { SsoLogin } from "../../src/core/types";

const startUrl = "https://my-sso-portal.awsapps.com/start";
const session = (scopes?: string[]): SsoLogin => ({ kind: "session", sessionName: "my-sso", startUrl, region: "us-east-1", scopes });
const legacy: SsoLogin = { kind: "legacy", startUrl, region: "us-east-1" };

describe("the token cache key (docs/protocols.md §2.3)", () => {
  it("is sha1 of the session name for an sso-session", () => {
    expect(tokenCacheKey(session())).toBe("0ad374308c5a4e22f723adf10145eafad7c4031c");
  });
  it("is sha1 of the start URL for a legacy profile", () => {
    expect(tokenCacheKey(legacy)).toBe("c7aaaf71fcc8777ae2475525ed049d39fe16c484");
  });
  it("takes the start URL byte for byte, so a trailing slash is another file", () => {
    expect(tokenCacheKey({ ...legacy, startUrl: startUrl + "/" })).not.toBe("c7aaaf71fcc8777ae2475525ed049d39fe16c484");
  });
});

describe("the client registration cache key (docs/protocols.md §2.4)", () => {
  it("matches the vector for a session with scopes", () => {
    expect(registrationCacheKey(session(["sso:account:access"]))).toBe("c5cfae6e3e4f067423a532368c8b514b6a4b0ace");
  });
  it("matches the vector for a session without sso_registration_scopes (scopes null)", () => {
    expect(registrationCacheKey(session())).toBe("5d2ad48f7ce068c072924f44a42fb81ca0fd6b99");
  });
  it("matches the vector for a legacy profile (scopes and session_name null)", () => {
    expect(registrationCacheKey(legacy)).toBe("0e093f10f65cee6c5c1898a8e240f5726875bf08");
  });
  it("hashes the exact text of the vector's json.dumps", () => {
    expect(
      sha1Hex(
        '{"region": "us-east-1", "scopes": ["sso:account:access"], "session_name": "my-sso", "startUrl": "https://my-sso-portal.awsapps.com/start", "tool": "botocore"}',
      ),
    ).toBe("c5cfae6e3e4f067423a532368c8b514b6a4b0ace");
  });
});

describe("the role credentials cache key (docs/protocols.md §2.5)", () => {
  it("matches the vector for an sso-session profile", () => {
    expect(roleCredentialsCacheKey({ login: session(), accountId: "123456789012", roleName: "ReadOnly" })).toBe(
      "31b260dab331b2af063485cea75f7b8b3cf54c71",
    );
  });
  it("matches the vector for a legacy profile", () => {
    expect(roleCredentialsCacheKey({ login: legacy, accountId: "123456789012", roleName: "ReadOnly" })).toBe(
      "107af63d78e24f5ce0fbb60ccb8244f20f6e19e6",
    );
  });
});

describe("Python json.dumps compatibility", () => {
  const odd: Array<Record<string, unknown>> = [
    { session_name: "équipe-開発", scopes: ["a", "b c"], startUrl: 'https://x/\u0001\t"\\', n: null },
    { emoji: "deploy 🚀", del: "\u007f", empty: [], nested: { z: 1, a: true } },
  ];
  it("produces the same text as Python for non-ASCII, control characters and nesting, with both separator styles", () => {
    const script = `import json,sys
for v in json.loads(sys.stdin.read()):
    print(json.dumps(v, sort_keys=True))
    print(json.dumps(v, sort_keys=True, separators=(',', ':')))`;
    const py = Bun.spawnSync(["python3", "-c", script], { stdin: new TextEncoder().encode(JSON.stringify(odd)) });
    expect(py.exitCode).toBe(0);
    const expected = py.stdout.toString().trimEnd().split("\n");
    const ours = odd.flatMap((v) => [
      pythonJsonDumps(v as never, { sortKeys: true }),
      pythonJsonDumps(v as never, { sortKeys: true, separators: [",", ":"] }),
    ]);
    expect(ours).toEqual(expected);
  });
  it("keeps insertion order without sort_keys, like a Python dict", () => {
    expect(pythonJsonDumps({ b: "1", a: "2" })).toBe('{"b": "1", "a": "2"}');
  });
});
