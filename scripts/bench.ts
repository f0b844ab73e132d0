// make bench: start-up and git-path speed of the compiled binary, side by side with what users run
// today (the AWS CLI's helper) and with the floor (a compiled Bun hello world), in one hyperfine run.
// Writes bench/results.md; anything below the "<!-- notes -->" line of the old file (hand-written
// profile analysis) is kept. Not run in CI: numbers need a quiet machine, and CI asserts behaviour.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { makeSandbox } from "../test/helpers/sandbox";
import { codeCommitRequest, seedWarmChainedRole, warmProfile, warmRole } from "../test/helpers/warm-sso-profile";
import { buildBinary } from "./build";

const root = resolve(import.meta.dir, "..");
const ccsso = join(root, "dist", "ccsso");
const resultsPath = join(root, "bench", "results.md");
// Enough runs for a stable median of a ~5 ms process on 2 cores; the AWS CLI (~0.5 s) is what takes time.
const hyperfineRuns = ["--warmup", "5", "--min-runs", "30"];
// git reads a helper's stdout from a pipe; hyperfine's default /dev/null would time a different path
// (a character device makes ccsso's output use Node's stream: platform/context.ts).
const hyperfineOutput = ["--output", "pipe"];
// Peak RSS varies by a few hundred KiB between runs; the median of 15 is steady.
const rssRuns = 15;

// Targets from the issue (docs/architecture.md §3: the AWS CLI's helper takes ~0.5 s per git operation).
// `ccsso prompt` runs before every shell prompt: it must cost no more than starting ccsso at all.
const targets = { vsAwsCli: 40, vsHello: 1.5, rssMiB: 40, remoteHelperMs: 30, payloadMB: 8, promptVsVersion: 1.5 };

interface HyperfineResult {
  command: string;
  median: number;
  mean: number;
  stddev: number;
  /** Mean user and system CPU seconds of the command and its children. */
  user: number;
  system: number;
}

interface Case {
  id: string;
  name: string;
  argv: string[];
  env: Record<string, string>;
  stdin?: string;
  /** What correct output looks like: a benchmark of an error path would measure the wrong thing. */
  expect?: RegExp;
}

function sh(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

function run(argv: string[], env: Record<string, string>, stdin?: string) {
  const r = Bun.spawnSync(argv, {
    env,
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median peak RSS in KiB, from GNU time's %M (getrusage of the exec'd command itself). */
function peakRssKiB(c: Case): number | undefined {
  if (!existsSync("/usr/bin/time")) return undefined;
  const samples: number[] = [];
  for (let i = 0; i < rssRuns; i++) {
    const r = Bun.spawnSync(["/usr/bin/time", "-f", "%M", ...c.argv], {
      env: c.env,
      stdin: c.stdin === undefined ? "ignore" : new TextEncoder().encode(c.stdin),
      stdout: "ignore",
      stderr: "pipe",
    });
    const last = r.stderr.toString().trim().split("\n").pop() ?? "";
    if (/^\d+$/.test(last)) samples.push(Number(last));
  }
  return samples.length ? median(samples) : undefined;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const bun = run([process.execPath, "--version"], process.env as Record<string, string>).stdout.trim();
  const hf = run(["hyperfine", "--version"], process.env as Record<string, string>).stdout.trim();
  const aws = run(["aws", "--version"], process.env as Record<string, string>);
  const git = run(["git", "--version"], process.env as Record<string, string>).stdout.trim();
  return [
    `- CPU: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `- OS: ${process.platform} ${release()}`,
    `- Bun ${bun}; ${hf}; ${(aws.stdout || aws.stderr).trim().split(" ")[0]}; ${git}`,
  ].join("\n");
}

function commit(): string {
  const r = run(["git", "rev-parse", "--short=12", "HEAD"], process.env as Record<string, string>);
  const dirty = Bun.spawnSync(["git", "diff", "--quiet", "HEAD", "--"], { cwd: root }).exitCode === 1;
  return r.stdout.trim() + (dirty ? "-dirty" : "");
}

/** Up to `rows` syscalls by time in one warm helper run (strace -c): where a few ms can go. */
function syscallProfile(c: Case, rows = 8): string | undefined {
  if (!Bun.which("strace")) return undefined;
  const r = run(["strace", "-f", "-c", "-S", "time", ...c.argv], c.env, c.stdin);
  const lines = r.stderr.split("\n").filter((l) => /^\s*\d/.test(l) || l.startsWith("% time"));
  return lines.slice(0, rows + 1).join("\n");
}

async function main(): Promise<void> {
  if (!existsSync(ccsso)) throw new Error("dist/ccsso is missing: run make build");
  if (!Bun.which("hyperfine")) throw new Error("hyperfine is missing: apt-get install hyperfine");
  const work = mkdtempSync(join(tmpdir(), "ccsso-bench-"));
  const sbx = makeSandbox();
  try {
    // The floor: a compiled Bun program that prints two lines, built with ccsso's own options.
    writeFileSync(
      join(work, "hello.ts"),
      'function main() {\n  console.log("username=hello");\n  console.log("password=world");\n}\nmain();\n',
    );
    const hello = join(work, "hello");
    await buildBinary({ entry: join(work, "hello.ts"), outfile: hello });
    seedWarmChainedRole(sbx.env);
    const base = sbx.env;
    const staticKeys = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
    const cases: Case[] = [
      {
        id: "helper",
        name: "ccsso credential-helper get (SSO profile, warm role-credential cache)",
        argv: [ccsso, "credential-helper", "get"],
        env: { ...base, AWS_PROFILE: warmProfile.profile },
        stdin: codeCommitRequest,
        expect: new RegExp(`^username=${warmProfile.accessKeyId}%`, "m"),
      },
      {
        id: "helper-role",
        name: "ccsso credential-helper get (role assumed from the SSO profile, warm assume-role cache)",
        argv: [ccsso, "credential-helper", "get"],
        env: { ...base, AWS_PROFILE: warmRole.profile },
        stdin: codeCommitRequest,
        expect: new RegExp(`^username=${warmRole.accessKeyId}%`, "m"),
      },
      {
        id: "helper-static",
        name: "ccsso credential-helper get (static keys in env)",
        argv: [ccsso, "credential-helper", "get"],
        env: { ...base, ...staticKeys },
        stdin: codeCommitRequest,
        expect: /^username=AKIAIOSFODNN7EXAMPLE$/m,
      },
      {
        id: "aws",
        name: "aws codecommit credential-helper get (static keys in env)",
        argv: [Bun.which("aws") ?? "aws", "codecommit", "credential-helper", "get"],
        env: { ...base, ...staticKeys },
        stdin: codeCommitRequest,
        expect: /^username=AKIAIOSFODNN7EXAMPLE$/m,
      },
      {
        id: "hello",
        name: "compiled Bun hello world (floor)",
        argv: [hello],
        env: base,
        stdin: codeCommitRequest,
        expect: /^username=hello$/m,
      },
      { id: "version", name: "ccsso --version", argv: [ccsso, "--version"], env: base, expect: /^ccsso / },
      {
        id: "prompt",
        name: "ccsso prompt (SSO profile, token cached)",
        argv: [ccsso, "prompt"],
        env: { ...base, AWS_PROFILE: warmProfile.profile },
        expect: new RegExp(`^${warmProfile.profile} \\d+h`),
      },
    ];

    const measured: Case[] = [];
    const skipped: string[] = [];
    for (const c of cases) {
      const r = run(c.argv, c.env, c.stdin);
      if (r.code === 0 && (!c.expect || c.expect.test(r.stdout))) measured.push(c);
      else
        skipped.push(
          `- not measured: ${c.name} — it did not answer correctly (exit ${r.code}): ${(r.stderr || r.stdout).trim().split("\n")[0]}`,
        );
    }

    // One hyperfine run, every command side by side. Each command carries its own environment through
    // `env -i` (same small exec cost for all), and stdin from a file; hyperfine subtracts the shell.
    const stdinFile = join(work, "request.txt");
    writeFileSync(stdinFile, codeCommitRequest);
    const json = join(work, "hyperfine.json");
    const hfArgs = ["hyperfine", ...hyperfineRuns, ...hyperfineOutput, "--style", "basic", "--export-json", json];
    for (const c of measured) {
      const envArgs = Object.entries(c.env).map(([k, v]) => `${k}=${v}`);
      hfArgs.push("-n", c.name, `${sh(["env", "-i", ...envArgs, ...c.argv])} < ${sh([stdinFile])}`);
    }
    const hf = Bun.spawn(hfArgs, { stdout: "inherit", stderr: "inherit" });
    if ((await hf.exited) !== 0) throw new Error("hyperfine failed");
    const results = JSON.parse(readFileSync(json, "utf8")).results as HyperfineResult[];
    const ms = new Map<string, number>();
    const cpuMs = new Map<string, number>();
    for (const c of measured) {
      const r = results.find((x) => x.command === c.name);
      if (r) {
        ms.set(c.id, r.median * 1000);
        cpuMs.set(c.id, (r.user + r.system) * 1000);
      }
    }

    const rss = new Map<string, number>();
    for (const c of measured) {
      const k = peakRssKiB(c);
      if (k !== undefined) rss.set(c.id, k);
    }

    const ccssoBytes = statSync(ccsso).size;
    const helloBytes = statSync(hello).size;
    const payload = ccssoBytes - helloBytes;

    const rows = measured.map((c) => {
      const t = ms.get(c.id);
      const k = rss.get(c.id);
      const vsHello = t !== undefined && ms.get("hello") ? `${(t / ms.get("hello")!).toFixed(2)}×` : "";
      return `| ${c.name} | ${t?.toFixed(1) ?? "—"} | ${cpuMs.get(c.id)?.toFixed(1) ?? "—"} | ${vsHello} | ${k !== undefined ? (k / 1024).toFixed(1) : "—"} |`;
    });

    const verdicts: string[] = [];
    const verdict = (label: string, value: number | undefined, ok: (v: number) => boolean, show: (v: number) => string, target: string) => {
      if (value === undefined || Number.isNaN(value)) verdicts.push(`| ${label} | ${target} | not measured | — |`);
      else verdicts.push(`| ${label} | ${target} | ${show(value)} | ${ok(value) ? "met" : "**missed**"} |`);
    };
    const helper = ms.get("helper");
    verdict(
      "helper vs AWS CLI helper",
      helper && ms.get("aws") ? ms.get("aws")! / helper : undefined,
      (v) => v >= targets.vsAwsCli,
      (v) => `${v.toFixed(0)}× faster`,
      `≥ ${targets.vsAwsCli}× faster`,
    );
    const cpuRatio = cpuMs.get("helper") && cpuMs.get("hello") ? ` (CPU ${(cpuMs.get("helper")! / cpuMs.get("hello")!).toFixed(2)}×)` : "";
    verdict(
      "helper vs compiled hello world",
      helper && ms.get("hello") ? helper / ms.get("hello")! : undefined,
      (v) => v <= targets.vsHello,
      (v) => `${v.toFixed(2)}×${cpuRatio}`,
      `≤ ${targets.vsHello}×`,
    );
    verdict(
      "helper peak RSS",
      rss.get("helper") !== undefined ? rss.get("helper")! / 1024 : undefined,
      (v) => v <= targets.rssMiB,
      (v) => `${v.toFixed(1)} MiB`,
      `≤ ${targets.rssMiB} MiB`,
    );
    const remote = await remoteHelperOverhead(sbx.env, work);
    verdict(
      "codecommit:// over https+helper (git ls-remote)",
      remote.overheadMs,
      (v) => v <= targets.remoteHelperMs,
      (v) => `+${v.toFixed(1)} ms`,
      `≤ +${targets.remoteHelperMs} ms`,
    );
    const prompt = ms.get("prompt");
    verdict(
      "ccsso prompt vs ccsso --version",
      prompt && ms.get("version") ? prompt / ms.get("version")! : undefined,
      (v) => v <= targets.promptVsVersion,
      (v) => `${v.toFixed(2)}×`,
      `≤ ${targets.promptVsVersion}×`,
    );
    verdict(
      "JS payload (ccsso − hello world binary)",
      payload / 1e6,
      (v) => v <= targets.payloadMB,
      (v) => `${v.toFixed(2)} MB`,
      `≤ ${targets.payloadMB} MB`,
    );

    const profile = measured.find((c) => c.id === "helper") ? syscallProfile(measured.find((c) => c.id === "helper")!) : undefined;
    const old = existsSync(resultsPath) ? readFileSync(resultsPath, "utf8") : "";
    const notesAt = old.indexOf("<!-- notes -->");
    const notes = notesAt >= 0 ? old.slice(notesAt) : "<!-- notes -->\n";

    const md = [
      "# ccsso benchmarks",
      "",
      `Generated by \`make bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${commit()}.`,
      "",
      machine(),
      "",
      `Whole-process wall time, median of ≥ ${hyperfineRuns[3]} hyperfine runs after ${hyperfineRuns[1]} warm-ups (one hyperfine run, side by side);`,
      `peak RSS is the median of ${rssRuns} runs of GNU time's %M. Every command was first checked to answer correctly.`,
      `CPU time (user+sys, all processes) is less sensitive than wall time to other load on the machine (load average at start: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(", ")}).`,
      "",
      "| command | median ms | CPU ms (user+sys, mean) | vs hello world | peak RSS MiB |",
      "|---|---:|---:|---:|---:|",
      ...rows,
      ...(remote.rows ?? []),
      "",
      ...(skipped.length ? [...skipped, ""] : []),
      ...(remote.note ? [`- ${remote.note}`, ""] : []),
      `Binary sizes: dist/ccsso ${(ccssoBytes / 1e6).toFixed(2)} MB, compiled hello world ${(helloBytes / 1e6).toFixed(2)} MB.`,
      "",
      "## Targets",
      "",
      "| target | wanted | measured | |",
      "|---|---|---|---|",
      ...verdicts,
      "",
      ...(profile ? ["## Syscalls of one warm helper run (`strace -f -c`, top by time)", "", "```", profile, "```", ""] : []),
      notes.trimEnd(),
      "",
    ].join("\n");
    writeFileSync(resultsPath, md);
    console.log("\n" + md.slice(0, md.indexOf("<!-- notes -->")));
    console.log(`wrote ${resultsPath}`);
  } finally {
    sbx.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `git ls-remote` of one repository through `codecommit://` (ccsso as git-remote-codecommit) against
 * the same through `https://` with ccsso as the credential helper, at the local CodeCommit stand-in
 * (test/fakes/codecommit-git.ts: TLS + real git http-backend + SigV4 GIT password check), reached under
 * the real host name through its CONNECT proxy. Both use the warm SSO profile; both do the 401 →
 * helper → signed retry round trip. The difference is what the remote helper adds.
 */
async function remoteHelperOverhead(
  env: Record<string, string>,
  work: string,
): Promise<{ overheadMs?: number; rows?: string[]; note?: string }> {
  const { createFakeCodeCommit } = await import("../test/fakes/codecommit-git");
  const p = warmProfile;
  const fake = createFakeCodeCommit({
    repos: ["demo"],
    staticKeys: [{ accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, sessionToken: p.sessionToken }],
  });
  try {
    const links = join(work, "bin");
    mkdirSync(links);
    symlinkSync(ccsso, join(links, "git-remote-codecommit"));
    const host = "git-codecommit.us-east-1.amazonaws.com";
    const gitEnv = {
      ...env,
      AWS_PROFILE: p.profile,
      HTTPS_PROXY: fake.proxyUrl,
      GIT_SSL_CAINFO: fake.caFile,
      PATH: `${links}:${env.PATH ?? ""}`,
    };
    const https = [
      "git",
      "-c",
      "credential.helper=",
      "-c",
      `credential.https://${host}.helper=${ccsso} credential-helper`,
      "-c",
      `credential.https://${host}.useHttpPath=true`,
      "ls-remote",
      `https://${host}/v1/repos/demo`,
    ];
    const grc = ["git", "ls-remote", `codecommit::us-east-1://${p.profile}@demo`];
    for (const argv of [https, grc]) {
      const r = Bun.spawn(argv, { env: gitEnv, stdout: "pipe", stderr: "pipe" });
      const [err, code] = await Promise.all([new Response(r.stderr).text(), r.exited]);
      if (code !== 0) return { note: `not measured: ${argv.slice(-1)[0]} failed (exit ${code}): ${err.trim().split("\n").pop()}` };
    }
    if (fake.counters.authorized < 2)
      return { note: `not measured: the stand-in authorized ${fake.counters.authorized} of 2 requests (${fake.rejections.join("; ")})` };
    const json = join(work, "git.json");
    const names = ["git ls-remote https:// + ccsso credential helper", "git ls-remote codecommit:// (ccsso as git-remote-codecommit)"];
    const envArgs = Object.entries(gitEnv).map(([k, v]) => `${k}=${v}`);
    // Async spawn: the stand-in runs in this process and must keep answering while hyperfine runs.
    const hf = Bun.spawn(
      [
        "hyperfine",
        "--warmup",
        "3",
        "--min-runs",
        "20",
        ...hyperfineOutput,
        "--style",
        "basic",
        "--export-json",
        json,
        "-n",
        names[0]!,
        sh(["env", "-i", ...envArgs, ...https]),
        "-n",
        names[1]!,
        sh(["env", "-i", ...envArgs, ...grc]),
      ],
      { stdout: "inherit", stderr: "inherit" },
    );
    if ((await hf.exited) !== 0) return { note: "not measured: hyperfine failed on the git comparison" };
    const results = JSON.parse(readFileSync(json, "utf8")).results as HyperfineResult[];
    const [a, b] = names.map((n) => results.find((r) => r.command === n)!);
    const wall = (r: HyperfineResult) => r.median * 1000;
    const cpu = (r: HyperfineResult) => (r.user + r.system) * 1000;
    return {
      overheadMs: wall(b!) - wall(a!),
      rows: [
        `| ${names[0]} | ${wall(a!).toFixed(1)} | ${cpu(a!).toFixed(1)} | | |`,
        `| ${names[1]} | ${wall(b!).toFixed(1)} | ${cpu(b!).toFixed(1)} | | |`,
      ],
      note: `codecommit:// adds ${(wall(b!) - wall(a!)).toFixed(1)} ms wall (median) and ${(cpu(b!) - cpu(a!)).toFixed(1)} ms CPU over https:// + helper: one more ccsso start (the remote helper) and git's \`git remote-https\` wrapper exec.`,
    };
  } finally {
    await fake.close();
  }
}

if (import.meta.main) {
  main().catch((e) => {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
