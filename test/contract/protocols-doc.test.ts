// docs/protocols.md quotes the upstream vectors the code is built to: cache keys, the PKCE challenge,
// CodeCommit passwords. Each value is read from the page and recomputed with ccsso's own code, so the
// page cannot drift from the code (or the code from the page) without this failing.
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { registrationCacheKey, roleCredentialsCacheKey, tokenCacheKey } from "../../src/core/cache-keys";
import { signCodeCommitPassword } from "../../src/core/codecommit-sign";
import { codeChallengeS256 } from "../../src/core/pkce";
import type { SsoLogin } from "../../src/core/types";
import { repoRoot } from "../helpers/ccsso";

const page = readFileSync(join(repoRoot, "docs", "protocols.md"), "utf8");

/** The section `### n ...` of the page, up to the next heading of any level. */
function section(n: string): string {
  const start = page.search(new RegExp(`^### ${n.replace(".", "\\.")} `, "m"));
  if (start < 0) throw new Error(`docs/protocols.md has no §${n}`);
  const body = page.indexOf("\n", start) + 1;
  const end = page.slice(body).search(/^#{2,3} /m);
  return end < 0 ? page.slice(start) : page.slice(start, body + end);
}

function quoted(text: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(text.replace(/\n/g, " "));
  if (!m) throw new Error(`docs/protocols.md no longer states ${what}`);
  return m;
}

const startUrl = "https://my-sso-portal.awsapps.com/start";
const mySso: SsoLogin = { kind: "session", sessionName: "my-sso", startUrl, region: "us-east-1" };
const legacy: SsoLogin = { kind: "legacy", startUrl, region: "us-east-1" };

describe("the vectors quoted in docs/protocols.md", () => {
  it("docs/protocols.md §2.3: the token file names", () => {
    const s = section("2.3");
    expect(tokenCacheKey(mySso)).toBe(quoted(s, /`sha1\("my-sso"\)` =\s*`([0-9a-f]{40})`/, "the session-name token key")[1]!);
    const url = quoted(s, /`sha1\("(https:[^"]+)"\)` =\s*`([0-9a-f]{40})`/, "the start-URL token key");
    expect(tokenCacheKey({ ...legacy, startUrl: url[1]! })).toBe(url[2]!);
  });

  it("docs/protocols.md §2.4: the client-registration file names, in the table's order", () => {
    const keys = [...section("2.4").matchAll(/\| `([0-9a-f]{40})` \|/g)].map((m) => m[1]!);
    expect(keys).toHaveLength(3);
    expect([
      registrationCacheKey({ ...mySso, scopes: ["sso:account:access"] }),
      registrationCacheKey(mySso),
      registrationCacheKey(legacy),
    ]).toEqual(keys);
  });

  it("docs/protocols.md §2.5: the role-credential file names", () => {
    const s = section("2.5");
    const bySession = quoted(
      s,
      /`\{"accountId":"(\d{12})","roleName":"(\w+)","sessionName":"my-sso"\}` →\s*`([0-9a-f]{40})`/,
      "the session role-credential key",
    );
    expect(roleCredentialsCacheKey({ login: mySso, accountId: bySession[1]!, roleName: bySession[2]! })).toBe(bySession[3]!);
    const byUrl = quoted(s, /"startUrl":"(https:[^"]+)"` →\s*`([0-9a-f]{40})`/, "the legacy role-credential key");
    expect(roleCredentialsCacheKey({ login: { ...legacy, startUrl: byUrl[1]! }, accountId: bySession[1]!, roleName: bySession[2]! })).toBe(
      byUrl[2]!,
    );
  });

  it("docs/protocols.md §3.4: the PKCE challenge", () => {
    const challenge = quoted(section("3.4"), /verifier `A`×64 → `([\w-]+)`/, "the PKCE vector")[1]!;
    expect(codeChallengeS256("A".repeat(64))).toBe(challenge);
  });

  it("docs/protocols.md §5.2: the CodeCommit passwords", () => {
    const s = section("5.2");
    // The access key id is not part of the signature (only of the username), so the vectors name none.
    const sign = (path: string, host: string, region: string, _accessKeyId: string, secretAccessKey: string, at: number) =>
      signCodeCommitPassword({ host, path, region, secretAccessKey, now: at });
    const octo8 = Date.UTC(2010, 9, 8);
    const upstream = quoted(s, /`\/\/v1\/repos\/myrepo`\) → `(20101008T000000Z[0-9a-f]{64})`/, "the AWS CLI's vector")[1]!;
    expect(sign("//v1/repos/myrepo", "git-codecommit.us-east-1.amazonaws.com", "us-east-1", "foo", "bar", octo8)).toBe(upstream);
    const realGit = quoted(s, /same inputs give `(20101008T000000Z[0-9a-f]{64})`/, "the real-git vector")[1]!;
    expect(sign("v1/repos/myrepo", "git-codecommit.us-east-1.amazonaws.com", "us-east-1", "foo", "bar", octo8)).toBe(realGit);
    const grc = quoted(s, /`\/v1\/repos\/test_repo` → `(20171224T115320Z[0-9a-f]{64})`/, "git-remote-codecommit's vector")[1]!;
    expect(
      sign(
        "/v1/repos/test_repo",
        "git-codecommit.us-west-2.amazonaws.com",
        "us-west-2",
        "access",
        "secret",
        Date.UTC(2017, 11, 24, 11, 53, 20),
      ),
    ).toBe(grc);
  });
});
