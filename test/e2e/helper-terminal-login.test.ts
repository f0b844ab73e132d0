// credential_helper.allow_login for real: the compiled helper, with git's request on a pipe and its
// answer read from a pipe, but a controlling terminal (a pseudo-terminal) as a person at `git pull`
// would have. The sign-in must talk to that terminal (/dev/tty here; the console device on Windows,
// test/unit/console.test.ts) and never to git's stdout. The Identity Center stand-in and a BROWSER
// script play the rest.
import { afterEach, beforeAll, expect, it } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ccssoCommand, compiledBinary } from "../helpers/ccsso";
import { createFakeAwsApis } from "../fakes/aws-apis";
import { e2eWorld, helperAnswer, helperRequest, type E2eWorld } from "../helpers/sso-e2e";
import { SSO_CONFIG } from "../helpers/sso-stand-in";

let w: E2eWorld | undefined;
let stopSts: (() => void) | undefined;
afterEach(async () => {
  await w?.close();
  stopSts?.();
  w = stopSts = undefined;
});

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
});

// python3: the child gets a new session whose controlling terminal is the pty, but stdin and stdout are
// pipes (git's); the parent writes the request, collects the helper's stdout and everything shown on
// the terminal, and prints both as JSON.
const driver = `
import json, os, pty, select, sys
spec = json.loads(sys.stdin.read())
in_r, in_w = os.pipe()
out_r, out_w = os.pipe()
pid, master = pty.fork()
if pid == 0:
    os.dup2(in_r, 0); os.dup2(out_w, 1)
    for fd in (in_r, in_w, out_r, out_w): os.close(fd)
    os.execve(spec["argv"][0], spec["argv"], spec["env"])
os.close(in_r); os.close(out_w)
os.write(in_w, spec["stdin"].encode()); os.close(in_w)
tty, out = b"", b""
open_fds = {master, out_r}
while open_fds:
    ready, _, _ = select.select(list(open_fds), [], [], 60)
    if not ready: break
    for fd in ready:
        try: data = os.read(fd, 65536)
        except OSError: data = b""
        if not data: open_fds.discard(fd); continue
        if fd == master: tty += data
        else: out += data
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "stdout": out.decode(), "tty": tty.decode(errors="replace")}))
`;

async function helperOnTerminal(profile: string) {
  w!.browserScript('curl -fsSL "$1" >/dev/null');
  mkdirSync(w!.sbx.path(".config", "ccsso"), { recursive: true });
  writeFileSync(join(w!.sbx.env.XDG_CONFIG_HOME!, "ccsso", "config.toml"), "[credential_helper]\nallow_login = true\n");
  const env = { ...w!.sbx.env, GIT_TERMINAL_PROMPT: "1", TERM: "xterm-256color" };
  const p = Bun.spawn(["python3", "-c", driver], {
    stdin: new TextEncoder().encode(
      JSON.stringify({
        argv: [...ccssoCommand({ compiled: true }), "credential-helper", "--profile", profile, "get"],
        env,
        stdin: helperRequest,
      }),
    ),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  expect(err).toBe("");
  expect(code).toBe(0);
  return JSON.parse(out) as { code: number; stdout: string; tty: string };
}

it("signs in on the terminal when the session has ended, then answers git on stdout", async () => {
  w = e2eWorld();
  const r = await helperOnTerminal("dev");
  expect(r.tty).toContain("ccsso: the SSO session for profile dev has ended; signing in again for git");
  expect(r.stdout).toMatch(helperAnswer);
  expect(r.code).toBe(0);
  expect(w.fake.counters.CreateToken).toBe(1);
  expect(w.fake.counters.GetRoleCredentials).toBe(1);
});

it("for a role assumed from an SSO profile, signs in to that profile's session, then assumes the role", async () => {
  w = e2eWorld();
  const apis = createFakeAwsApis({ issued: w.fake.issued });
  const server = apis.start();
  stopSts = server.stop;
  w.sbx.env.AWS_ENDPOINT_URL_STS = server.url;
  w.sbx.writeConfig(`${SSO_CONFIG}[profile repo]\nrole_arn = arn:aws:iam::222222222222:role/GitAccess\nsource_profile = dev\n`);
  const r = await helperOnTerminal("repo");
  expect(r.tty).toContain("ccsso: the SSO session for profile dev has ended; signing in again for git");
  expect(r.stdout).toMatch(helperAnswer);
  expect(r.code).toBe(0);
  const akid = /^username=(ASIA[A-Z0-9]+)%/.exec(r.stdout)![1]!;
  expect(apis.issued.get(akid)?.roleName).toBe("GitAccess");
});
