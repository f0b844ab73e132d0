// The remembered sign-in flow is written into the person's own settings file: every other line, comment
// and table must survive, and loading the file must read back exactly what was written.
import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse } from "smol-toml";
import { editLoginFlow, loadSettings, rememberLoginFlow, tomlKey } from "../../src/store/settings";
import { settingsPath } from "../../src/platform/paths";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
afterEach(() => sbx?.cleanup());
const toml = (t: string) => parse(t) as Record<string, unknown>;

const personal = `# my ccsso settings
[login]
if_needed_threshold = "2h"   # long days

[[repository]]
url = "https://git-codecommit.*.amazonaws.com/v1/repos/team-*"
profile = "team"
`;

describe("remembering the device-code flow in the settings file", () => {
  it.each(["corp", "my.corp", 'we"ird\\name', "x y", "ünïcode", "tab\there", "del\x7f"])("round-trips the session name %p", (name) => {
    const on = editLoginFlow(personal, name, "device-code", toml);
    expect(on.startsWith(personal)).toBe(true);
    const doc = toml(on) as { sso_session: Record<string, { login_flow: string }> };
    expect(Object.keys(doc.sso_session)).toEqual([name]);
    expect(doc.sso_session[name]!.login_flow).toBe("device-code");
    expect(editLoginFlow(on, name, "device-code", toml)).toBe(on);
    expect(editLoginFlow(on, name, undefined, toml)).toBe(personal);
  });

  it("edits an existing table however its header is spelt, keeping comments and other sessions", () => {
    const text = `[sso_session."corp"] # work\n# why: the browser is on my laptop\n\n[ sso_session . other ]\nlogin_flow = "device-code"\n`;
    const on = editLoginFlow(text, "corp", "device-code", toml);
    expect(on).toBe(
      `[sso_session."corp"] # work\nlogin_flow = "device-code"\n# why: the browser is on my laptop\n\n[ sso_session . other ]\nlogin_flow = "device-code"\n`,
    );
    const off = editLoginFlow(on, "corp", undefined, toml);
    expect(off).toBe(text);
    expect(editLoginFlow(off, "other", undefined, toml)).toBe(`[sso_session."corp"] # work\n# why: the browser is on my laptop\n`);
  });

  it("tomlKey quotes what a bare key cannot hold", () => {
    expect(tomlKey("corp-1_x")).toBe("corp-1_x");
    expect(tomlKey("a.b")).toBe('"a.b"');
  });

  it("writes through the atomic writer, loads back, and forgets", async () => {
    sbx = makeSandbox();
    const p = settingsPath(sbx.env);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, personal, { mode: 0o644 });
    expect(await rememberLoginFlow(sbx.env, "corp", "device-code")).toBe(true);
    expect((await loadSettings(sbx.env)).ssoSessions).toEqual({ corp: { loginFlow: "device-code" } });
    expect((await loadSettings(sbx.env)).login.ifNeededThresholdMs).toBe(2 * 3_600_000);
    expect(statSync(p).mode & 0o777).toBe(0o644);
    expect(await rememberLoginFlow(sbx.env, "corp", "device-code")).toBe(false);
    expect(await rememberLoginFlow(sbx.env, "corp", undefined)).toBe(true);
    expect(readFileSync(p, "utf8")).toBe(personal);
    expect((await loadSettings(sbx.env)).ssoSessions).toEqual({});
  });

  it("creates the file when there is none", async () => {
    sbx = makeSandbox();
    const p = settingsPath(sbx.env);
    expect(existsSync(p)).toBe(false);
    await rememberLoginFlow(sbx.env, "corp", "device-code");
    expect(readFileSync(p, "utf8")).toBe(`[sso_session.corp]\nlogin_flow = "device-code"\n`);
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });

  it("refuses to write rather than change another setting (a session table spelt as dotted keys)", async () => {
    sbx = makeSandbox();
    const p = settingsPath(sbx.env);
    mkdirSync(dirname(p), { recursive: true });
    const text = `[sso_session]\nother.login_flow = "device-code"\ncorp = {}\n`;
    writeFileSync(p, text);
    await expect(rememberLoginFlow(sbx.env, "corp", "device-code")).rejects.toThrow("without changing other settings");
    expect(readFileSync(p, "utf8")).toBe(text);
  });

  it("reads redirect_port and copy_url, and rejects bad values with the file and line", async () => {
    sbx = makeSandbox();
    const p = settingsPath(sbx.env);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, `[login]\nredirect_port = 8400\ncopy_url = true\n`);
    expect((await loadSettings(sbx.env)).login).toMatchObject({ redirectPort: 8400, copyUrl: true });
    writeFileSync(p, `[login]\nredirect_port = 70000\n`);
    await expect(loadSettings(sbx.env)).rejects.toThrow(`${p}:2: login.redirect_port must be a port number from 1 to 65535`);
    writeFileSync(p, `[sso_session.corp]\nlogin_flow = "browser"\n`);
    await expect(loadSettings(sbx.env)).rejects.toThrow('login_flow must be "device-code"');
  });
});
