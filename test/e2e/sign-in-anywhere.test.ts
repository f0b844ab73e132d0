// Signing in where the browser is not beside ccsso, with the compiled binary against the Identity
// Center stand-in: a CI job refused at once; `--redirect-port` finished through a real TCP forward (a
// loopback proxy playing `ssh -L`, the test playing the workstation's browser); a busy port; the WSL
// the WSL branch opening the Windows browser through a fake `wslview` on PATH; OSC 52's exact bytes on a pty.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createFakeIdentityCenter, type FakeIdentityCenter } from "../fakes/identity-center";
import { ccssoCommand, compiledBinary } from "../helpers/ccsso";
import { corpSessionSection, useStandIn } from "../helpers/populate-fixture";
import { runInPty } from "../helpers/pty";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let fake: FakeIdentityCenter;
let sbx: Sandbox;

beforeAll(() => {
  if (!existsSync(compiledBinary) && !process.env.CCSSO_BIN) throw new Error("dist/ccsso is missing: run `make build` first");
  fake = createFakeIdentityCenter({ autoApprove: true });
});
afterAll(() => fake.close());
beforeEach(() => {
  sbx = makeSandbox();
  useStandIn(sbx, fake);
  sbx.writeConfig(corpSessionSection);
  for (const k of ["DISPLAY", "WAYLAND_DISPLAY", "BROWSER"]) delete sbx.env[k];
});
afterEach(() => sbx.cleanup());

function spawnLogin(args: string[]) {
  return Bun.spawn([...ccssoCommand({ compiled: true }), "sso", "login", "--sso-session", "corp", ...args], {
    env: sbx.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
}

/** A port nothing listens on right now. */
function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** What `ssh -L` does, on one machine: accept on 127.0.0.1:<own port>, pipe each connection to `target`. */
function tcpForward(target: number) {
  let connections = 0;
  type Side = { peer?: import("bun").Socket<Side>; pending: Uint8Array[] };
  const server = Bun.listen<Side>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        connections++;
        client.data = { pending: [] };
        void Bun.connect<Side>({
          hostname: "127.0.0.1",
          port: target,
          socket: {
            open(upstream) {
              upstream.data = { peer: client, pending: [] };
              client.data.peer = upstream;
              for (const chunk of client.data.pending) upstream.write(chunk);
              client.data.pending = [];
            },
            data(upstream, chunk) {
              upstream.data.peer?.write(chunk);
            },
            close(upstream) {
              upstream.data.peer?.end();
            },
          },
        }).catch(() => client.end());
      },
      data(client, chunk) {
        if (client.data.peer) client.data.peer.write(chunk);
        else client.data.pending.push(new Uint8Array(chunk));
      },
      close(client) {
        client.data.peer?.end();
      },
    },
  });
  return { port: server.port, connections: () => connections, stop: () => server.stop(true) };
}

/** Read a stream until `re` matches what has arrived; the text so far, and the rest still flowing. */
async function readUntil(
  stream: ReadableStream<Uint8Array>,
  re: RegExp,
  limitMs = 15_000,
): Promise<{ text: string; match: RegExpMatchArray; rest: () => Promise<string> }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + limitMs;
  for (;;) {
    const m = text.match(re);
    if (m) {
      const rest = async () => {
        let more = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return more;
          more += decoder.decode(value, { stream: true });
        }
      };
      return { text, match: m, rest };
    }
    if (Date.now() > deadline) throw new Error(`never saw ${re} in:\n${text}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${re}:\n${text}`);
    text += decoder.decode(value, { stream: true });
  }
}

describe("a CI job", () => {
  it("is refused at once with exit 3 and the command to run on a workstation", async () => {
    sbx.env.CI = "true";
    sbx.env.BROWSER = "/bin/false";
    const p = spawnLogin([]);
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    expect(code).toBe(3);
    expect(out).toBe("");
    expect(err).toBe(
      "ccsso: not signing in: this is a CI job (CI=true) and nobody is there to approve a sign-in — on a workstation run: ccsso sso login --sso-session corp; a CI job needs credentials of its own\n",
    );
  });
});

describe("--redirect-port over SSH", () => {
  it("listens before printing, prints the exact ssh -L line, and signs in when the workstation's browser comes through the forward", async () => {
    const port = freePort();
    const forward = tcpForward(port);
    try {
      Object.assign(sbx.env, { SSH_CONNECTION: "10.9.8.1 51234 10.9.8.7 22", USER: "alice" });
      const before = fake.log.length;
      const p = spawnLogin(["--redirect-port", String(port)]);
      const seen = await readUntil(p.stderr, /\n(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)\n/);
      expect(seen.text).toStartWith(
        `ccsso: using the browser flow through port ${port}: this is an SSH session, so your workstation's browser reaches this host's listener through an ssh -L forward.\n` +
          `On your workstation, forward port ${port} to this host first:\n\n  ssh -N -L ${port}:127.0.0.1:${port} alice@10.9.8.7\n\n` +
          `(or, in this SSH session, press Enter, type ~C and enter: -L ${port}:127.0.0.1:${port})\n` +
          "Then open this URL in your workstation's browser:\n\n",
      );
      const authorize = fake.log.slice(before).find((x) => x.operation === "Authorize");
      expect(authorize).toBeUndefined(); // nothing opened a browser here
      // The workstation's browser: the redirect names 127.0.0.1:<port>, which on the workstation is the
      // forward's end; curl's --connect-to sends it there keeping the Host header a browser would send.
      const browser = Bun.spawn(
        [
          "curl",
          "-fsSL",
          "--connect-to",
          `127.0.0.1:${port}:127.0.0.1:${forward.port}`,
          "-o",
          "/dev/null",
          "-w",
          "%{http_code}",
          seen.match[1]!,
        ],
        { stdout: "pipe", stderr: "pipe" },
      );
      expect(await new Response(browser.stdout).text()).toBe("200");
      const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
      await seen.rest();
      expect(code).toBe(0);
      expect(out).toBe("Successfully logged into Start URL: https://corp-example.awsapps.com/start\n");
      expect(forward.connections()).toBeGreaterThanOrEqual(1);
      const auth = fake.log.slice(before).find((x) => x.operation === "Authorize");
      expect(auth?.query.redirect_uri).toBe(`http://127.0.0.1:${port}/oauth/callback`);
      const register = fake.log.slice(before).find((x) => x.operation === "RegisterClient");
      expect((register?.body as { redirectUris?: string[] } | undefined)?.redirectUris ?? ["http://127.0.0.1/oauth/callback"]).toEqual([
        "http://127.0.0.1/oauth/callback",
      ]);
    } finally {
      forward.stop();
    }
  });

  it("with a BROWSER that reaches the listener only through the forward, the [login] redirect_port setting signs in", async () => {
    const port = freePort();
    const forward = tcpForward(port);
    try {
      const { mkdirSync } = await import("node:fs");
      mkdirSync(sbx.path(".config/ccsso"), { recursive: true });
      writeFileSync(sbx.path(".config/ccsso/config.toml"), `[login]\nredirect_port = ${port}\n`);
      // The browser is on the far side of the forward: every connection to 127.0.0.1:<port> goes to port A.
      const browser = sbx.path("browser.sh");
      writeFileSync(browser, `#!/bin/sh\ncurl -fsSL --connect-to 127.0.0.1:${port}:127.0.0.1:${forward.port} -o /dev/null "$1"\n`, {
        mode: 0o755,
      });
      sbx.env.BROWSER = browser;
      const before = fake.log.length;
      const p = spawnLogin([]);
      const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      expect(err).toStartWith("Attempting to open your default browser.");
      expect(code).toBe(0);
      expect(out).toBe("Successfully logged into Start URL: https://corp-example.awsapps.com/start\n");
      expect(forward.connections()).toBe(1);
      expect(fake.log.slice(before).find((x) => x.operation === "Authorize")?.query.redirect_uri).toBe(
        `http://127.0.0.1:${port}/oauth/callback`,
      );
    } finally {
      forward.stop();
    }
  });

  it("says in one line that a busy port is busy, naming it", async () => {
    const busy = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      sbx.env.SSH_CONNECTION = "10.9.8.1 51234 10.9.8.7 22";
      const p = spawnLogin(["--redirect-port", String(busy.port)]);
      const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
      expect(code).toBe(1);
      expect(err.trim().split("\n").at(-1)).toBe(
        `ccsso: port ${busy.port} on 127.0.0.1 is already in use, so the sign-in callback cannot listen there — choose another with --redirect-port (and forward that one), or stop what listens on it`,
      );
    } finally {
      busy.stop(true);
    }
  });

  it("refuses a port that is not a number with a usage error", async () => {
    const p = spawnLogin(["--redirect-port", "http"]);
    const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
    expect(code).toBe(2);
    expect(err).toBe('ccsso: --redirect-port must be a port number from 1 to 65535 (got "http") — for example: --redirect-port 8400\n');
  });
});

describe("in a terminal", () => {
  it("WSL: opens the Windows browser through wslview, keeps the browser flow, and says why", async () => {
    const bin = sbx.path("winbin");
    mkdirSync(bin);
    const calls = sbx.path("wslview-calls");
    // wslview hands the URL to Windows; here "Windows' browser" is curl reaching 127.0.0.1, as WSL 2's
    // localhost forwarding lets it.
    writeFileSync(`${bin}/wslview`, `#!/bin/sh\nprintf '%s\\n' "$#" "$1" >> '${calls}'\ncurl -fsSL "$1" >/dev/null\n`, { mode: 0o755 });
    Object.assign(sbx.env, { PATH: `${bin}:${sbx.env.PATH}`, WSL_DISTRO_NAME: "Ubuntu", WSL_INTEROP: "/run/WSL/1_interop" });
    const r = await runInPty([...ccssoCommand({ compiled: true }), "sso", "login", "--sso-session", "corp"], {
      env: sbx.env,
      steps: [{ expect: "Successfully logged into Start URL", timeout: 20 }],
      timeoutSeconds: 30,
    });
    expect(r.failed).toBeNull();
    expect(r.code).toBe(0);
    expect(r.screen).toStartWith(
      "ccsso: this is WSL: opening the Windows browser, which comes back to this listener through localhost.\nAttempting to open your default browser.",
    );
    const [argc, url] = readFileSync(calls, "utf8").split("\n");
    expect(argc).toBe("1");
    expect(url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/authorize\?response_type=code&client_id=[^&]+&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth%2Fcallback&/,
    );
  }, 30_000);

  it("--copy writes ESC ] 52 ; c ; <base64 of the autofill URL> BEL to the terminal", async () => {
    const browser = sbx.path("browser.sh");
    writeFileSync(browser, '#!/bin/sh\n(sleep 0.5; curl -fsSL "$1" >/dev/null) </dev/null >/dev/null 2>&1 &\n', { mode: 0o755 });
    Object.assign(sbx.env, { BROWSER: browser, NO_COLOR: "1" });
    const r = await runInPty(
      [...ccssoCommand({ compiled: true }), "sso", "login", "--sso-session", "corp", "--use-device-code", "--copy"],
      {
        env: sbx.env,
        steps: [{ expect: "Successfully logged into Start URL", timeout: 20 }],
        timeoutSeconds: 30,
      },
    );
    expect(r.failed).toBeNull();
    expect(r.code).toBe(0);
    const code = /Then enter the code:\n\n(\S+)/.exec(r.screen)![1]!;
    const complete = `${fake.url}/device?user_code=${code}`;
    expect(r.output).toContain(`\x1b]52;c;${Buffer.from(complete).toString("base64")}\x07`);
    expect(r.screen).toContain("ccsso: asked your terminal to copy the URL (it fills in the code) to the clipboard (OSC 52).");
  }, 30_000);

  it("--copy without a terminal writes no escape sequence", async () => {
    const browser = sbx.path("browser.sh");
    writeFileSync(browser, '#!/bin/sh\ncurl -fsSL "$1" >/dev/null\n', { mode: 0o755 });
    sbx.env.BROWSER = browser;
    const p = spawnLogin(["--use-device-code", "--copy"]);
    const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
    expect(code).toBe(0);
    expect(err).not.toContain("\x1b]52");
    expect(err).not.toContain("OSC 52");
  });
});
