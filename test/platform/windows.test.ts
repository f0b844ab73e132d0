// The release's Windows binary (dist/ccsso-windows-x64.exe), run under Wine against the same stand-ins
// as the Linux e2e suite, and compared byte for byte with the Linux binary under the same frozen clock.
// What this proves and what it cannot (real consoles, real Windows): docs/platforms.md.
// Run with `make platform` (builds both binaries first).
import { afterAll, beforeAll, beforeEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatCacheTimestamp } from "../../src/core/timestamps";
import { writeTokenCache } from "../../src/store/token-cache";
import { createFakeIdentityCenter, type FakeIdentityCenter } from "../fakes/identity-center";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";
import { corp, SSO_CONFIG, START_URL } from "../helpers/sso-stand-in";
import { linuxExe, runLinux, startWine, windowsExe, winPath, type Wine } from "./wine";

setDefaultTimeout(120_000);

let wine: Wine;
let sbx: Sandbox;

beforeAll(async () => {
  for (const f of [windowsExe, linuxExe]) if (!existsSync(f)) throw new Error(`${f} is missing: run make platform`);
  wine = await startWine();
}, 300_000);
afterAll(() => wine?.close());

beforeEach(() => {
  wine.resetHome();
  sbx?.cleanup();
  sbx = makeSandbox();
});
afterAll(() => sbx?.cleanup());

const FROZEN = "2026-01-02 03:04:05";
const STATIC_KEYS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_SESSION_TOKEN: "SmokeSessionToken",
};
const REQUEST = "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/smoke\n\n";

/** The Windows side's config file (a Unix path, and the name ccsso.exe is given). */
function windowsConfig(name = "config") {
  const unix = join(wine.home, ".aws", name);
  return { unix, win: `${wine.winHome}\\.aws\\${name}` };
}

it("prints its version, stamped windows-x64", async () => {
  const r = await wine.run(windowsExe, ["--version"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ccsso [^ ]+ \(commit [0-9a-f]{12}(-dirty)?, windows-x64\)\n$/);
});

describe("credential-helper get", () => {
  it("answers git byte for byte as the Linux binary does under the same frozen clock", async () => {
    const env = { ...STATIC_KEYS, AWS_CONFIG_FILE: windowsConfig().win };
    const win = await wine.run(windowsExe, ["credential-helper", "get"], { env, stdin: REQUEST, faketime: FROZEN });
    const linux = await runLinux(["credential-helper", "get"], { env: { ...sbx.env, ...STATIC_KEYS }, stdin: REQUEST, faketime: FROZEN });
    expect(linux.code).toBe(0);
    expect(linux.stdout).toStartWith("username=AKIAIOSFODNN7EXAMPLE%SmokeSessionToken\npassword=20260102T030405Z");
    expect(win).toEqual(linux);
  });

  it("refuses a request past 1 MiB, as on Linux", async () => {
    const big = `protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=${"a".repeat(2 * 1024 * 1024)}\n\n`;
    const r = await wine.run(windowsExe, ["credential-helper", "get"], { env: STATIC_KEYS, stdin: big });
    expect(r.stderr).toBe("ccsso: credential request is larger than 1 MiB\n");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });
});

describe("configure", () => {
  const steps = [
    ["configure", "sso-session", "--sso-session", "corp", "--start-url", START_URL, "--sso-region", "us-east-1", "--no-input"],
    [
      "configure",
      "sso",
      "--profile",
      "dev",
      "--sso-session",
      "corp",
      "--account-id",
      "111111111111",
      "--role-name",
      "Developer",
      "--region",
      "eu-west-1",
      "--output",
      "json",
      "--no-input",
    ],
  ];

  for (const [name, before] of [
    ["a new config file", undefined],
    ["a CRLF config file, kept CRLF", "# team settings\r\n[default]\r\nregion = eu-west-1\r\n\r\n[profile old]\r\nregion = us-west-2\r\n"],
  ] as const) {
    it(`writes the same bytes as the Linux binary: ${name}`, async () => {
      const w = windowsConfig();
      if (before !== undefined) {
        writeFileSync(w.unix, before);
        writeFileSync(sbx.awsConfig, before);
      }
      for (const args of steps) {
        const win = await wine.run(windowsExe, args, { env: { AWS_CONFIG_FILE: w.win } });
        const linux = await runLinux(args, { env: sbx.env });
        expect(linux.code).toBe(0);
        expect({ code: win.code, stderr: win.stderr }).toEqual({ code: linux.code, stderr: linux.stderr });
      }
      const winText = readFileSync(w.unix, "utf8");
      expect(winText).toBe(readFileSync(sbx.awsConfig, "utf8"));
      expect(winText).toContain("[profile dev]");
      if (before !== undefined) expect(winText.replaceAll("\r\n", "")).not.toContain("\n");
    });
  }
});

describe("with the Identity Center stand-in", () => {
  let fake: FakeIdentityCenter;
  beforeEach(() => {
    fake = createFakeIdentityCenter();
  });
  const close = () => fake.close();

  const ssoEnv = () => ({ AWS_CONFIG_FILE: windowsConfig().win, AWS_ENDPOINT_URL_SSO_OIDC: fake.url, AWS_ENDPOINT_URL_SSO: fake.url });

  it("signs in through BROWSER (a Windows program playing the person), then git gets credentials", async () => {
    try {
      writeFileSync(windowsConfig().unix, SSO_CONFIG);
      const env = { ...ssoEnv(), BROWSER: winPath(wine.browserExe) };
      const login = await wine.run(windowsExe, ["sso", "login", "--profile", "dev"], { env });
      expect(login.stderr).not.toContain("ccsso: ");
      expect(login.stdout).toBe(`Successfully logged into Start URL: ${START_URL}\n`);
      expect(login.code).toBe(0);
      expect(fake.counters.Authorize).toBe(1);
      expect(fake.counters.CreateToken).toBe(1);
      const helper = await wine.run(windowsExe, ["credential-helper", "--profile", "dev", "get"], {
        env,
        stdin: "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n",
      });
      expect(helper.stderr).toBe("");
      expect(helper.stdout).toMatch(/^username=ASIA[A-Z0-9]+%[^\n]+\npassword=\d{8}T\d{6}Z[0-9a-f]{64}\npassword_expiry_utc=\d+\n$/);
      expect(fake.counters.GetRoleCredentials).toBe(1);
    } finally {
      await close();
    }
  });

  it("12 cold helpers at once make exactly one GetRoleCredentials call", async () => {
    try {
      writeFileSync(windowsConfig().unix, SSO_CONFIG);
      const t = fake.mintToken();
      // The cache a previous `sso login` left in the Windows home (written by the Linux code: same format).
      writeTokenCache({ HOME: wine.home }, corp, {
        startUrl: START_URL,
        region: "us-east-1",
        accessToken: t.accessToken,
        expiresAt: formatCacheTimestamp(Date.now() + 8 * 3600_000),
        clientId: t.clientId,
        clientSecret: t.clientSecret,
        registrationExpiresAt: formatCacheTimestamp(Date.now() + 30 * 24 * 3600_000),
      });
      fake.knobs.latencyMs = 1500; // keep the first call in flight while the others start (under the 5 s call timeout)
      const request = "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/demo\n\n";
      const runs = await Promise.all(
        Array.from({ length: 12 }, () =>
          wine.run(windowsExe, ["credential-helper", "--profile", "dev", "get"], { env: ssoEnv(), stdin: request }),
        ),
      );
      for (const r of runs) {
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toStartWith("username=ASIA");
      }
      expect(new Set(runs.map((r) => r.stdout.split("\n")[0])).size).toBe(1);
      expect(fake.counters.GetRoleCredentials).toBe(1);
    } finally {
      await close();
    }
  });
});

describe("replacing a file another Windows process has open", () => {
  const edit = ["configure", "sso-session", "--sso-session", "corp", "--start-url", START_URL, "--sso-region", "us-east-1", "--no-input"];

  /** Start hold.exe on `file`; resolves once it has the file open. `output()` reads it to its end. */
  async function hold(args: string[]) {
    const p = wine.spawn(wine.holdExe, args);
    const reader = (p.stdout as ReadableStream<Uint8Array>).getReader();
    let out = "";
    while (!out.includes("held\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`hold.exe did not take the file: ${await new Response(p.stderr as ReadableStream).text()}`);
      out += new TextDecoder().decode(value);
    }
    return {
      async output() {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          out += new TextDecoder().decode(value);
        }
        await p.exited;
        return out;
      },
    };
  }

  it("succeeds after the holder lets go: the refused rename is retried", async () => {
    const w = windowsConfig();
    writeFileSync(w.unix, "[default]\r\nregion = eu-west-1\r\n");
    // Held until ccsso's replacement file exists (it is then renaming), and 400 ms more: several refusals.
    const h = await hold([w.win, "400", `${wine.winHome}\\.aws\\.config.*.tmp`]);
    const r = await wine.run(windowsExe, edit, { env: { AWS_CONFIG_FILE: w.win } });
    expect(await h.output()).toBe("held\nsaw a replacement waiting\nreleased\n");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readFileSync(w.unix, "utf8")).toContain("[sso-session corp]\r\n");
    expect(readdirSync(join(wine.home, ".aws"))).toEqual(["config"]);
  });

  it("gives up with a message naming the real cause when the file stays open", async () => {
    const w = windowsConfig();
    const before = "[default]\r\nregion = eu-west-1\r\n";
    writeFileSync(w.unix, before);
    const h = await hold([w.win, "6000"]); // well past the 1.8 s of retries, even with a slow Wine start
    const r = await wine.run(windowsExe, edit, { env: { AWS_CONFIG_FILE: w.win } });
    expect(r.stderr).toBe(
      `ccsso: ${w.win} is open in another program, so it could not be replaced; nothing was changed — close the program that has it open (an editor, another AWS tool) and run the command again\n`,
    );
    expect(r.code).toBe(1);
    expect(readFileSync(w.unix, "utf8")).toBe(before);
    expect(readdirSync(join(wine.home, ".aws"))).toEqual(["config"]);
    expect(await h.output()).toBe("held\nreleased\n");
  });
});
