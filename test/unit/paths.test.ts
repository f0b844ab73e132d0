// Where ccsso looks for the AWS files, per OS, with the platform injected: the same home as the AWS CLI
// (Python's os.path.expanduser), so the two tools share ~/.aws. Each case is also checked against
// CPython's own ntpath/posixpath.expanduser, run by python3 with the same environment.
import { beforeAll, describe, expect, it } from "bun:test";
import { posix, win32 } from "node:path";
import { awsConfigPath, awsCredentialsPath, cliCacheDir, expandHome, homeDir, settingsPath, ssoCacheDir } from "../../src/platform/paths";

type Case = { name: string; env: Record<string, string>; home: string };

const windows: Case[] = [
  {
    name: "USERPROFILE, HOME ignored (Git Bash, corporate HOME)",
    env: { USERPROFILE: "C:\\Users\\alice", HOME: "/c/Users/alice", HOMEDRIVE: "D:", HOMEPATH: "\\home" },
    home: "C:\\Users\\alice",
  },
  {
    name: "HOMEDRIVE + HOMEPATH without USERPROFILE",
    env: { HOMEDRIVE: "D:", HOMEPATH: "\\Users\\bob", HOME: "/home/bob" },
    home: "D:\\Users\\bob",
  },
  { name: "HOMEPATH alone", env: { HOMEPATH: "\\Users\\carol" }, home: "\\Users\\carol" },
  { name: "a profile path with spaces and non-ASCII", env: { USERPROFILE: "C:\\Users\\Zoë Smith" }, home: "C:\\Users\\Zoë Smith" },
];

const posixCases: Case[] = [
  { name: "HOME", env: { HOME: "/home/alice", USERPROFILE: "/elsewhere" }, home: "/home/alice" },
  { name: "HOME with a trailing slash", env: { HOME: "/home/alice/" }, home: "/home/alice" },
  { name: "an empty HOME is the root, as in Python", env: { HOME: "" }, home: "/" },
];

describe("home directory on Windows", () => {
  for (const c of windows) {
    it(c.name, () => {
      expect(homeDir(c.env, "win32")).toBe(c.home);
      expect(awsConfigPath(c.env, "win32")).toBe(win32.join(c.home, ".aws", "config"));
      expect(awsCredentialsPath(c.env, "win32")).toBe(win32.join(c.home, ".aws", "credentials"));
      expect(ssoCacheDir(c.env, "win32")).toBe(win32.join(c.home, ".aws", "sso", "cache"));
      expect(cliCacheDir(c.env, "win32")).toBe(win32.join(c.home, ".aws", "cli", "cache"));
    });
  }

  it("expands both ~/ and ~\\ in AWS_CONFIG_FILE", () => {
    const env = { USERPROFILE: "C:\\Users\\alice", HOME: "/c/Users/alice" };
    expect(awsConfigPath({ ...env, AWS_CONFIG_FILE: "~/work/config" }, "win32")).toBe("C:\\Users\\alice\\work\\config");
    expect(awsConfigPath({ ...env, AWS_CONFIG_FILE: "~\\work\\config" }, "win32")).toBe("C:\\Users\\alice\\work\\config");
    expect(awsConfigPath({ ...env, AWS_CONFIG_FILE: "D:\\aws\\config" }, "win32")).toBe("D:\\aws\\config");
  });

  it("keeps the settings file under the same home", () => {
    expect(settingsPath({ USERPROFILE: "C:\\Users\\alice", HOME: "/c/Users/alice" }, "win32")).toBe(
      "C:\\Users\\alice\\.config\\ccsso\\config.toml",
    );
  });
});

describe("home directory on Linux and macOS", () => {
  for (const platform of ["linux", "darwin"]) {
    for (const c of posixCases) {
      it(`${platform}: ${c.name}`, () => {
        expect(homeDir(c.env, platform)).toBe(c.home);
        expect(awsConfigPath(c.env, platform)).toBe(posix.join(c.home, ".aws", "config"));
        expect(ssoCacheDir(c.env, platform)).toBe(posix.join(c.home, ".aws", "sso", "cache"));
      });
    }
  }

  it("does not treat ~\\ as the home directory", () => {
    expect(expandHome("~\\config", { HOME: "/home/alice" }, "linux")).toBe("~\\config");
    expect(expandHome("~/config", { HOME: "/home/alice" }, "linux")).toBe("/home/alice/config");
    expect(expandHome("~bob/config", { HOME: "/home/alice" }, "linux")).toBe("~bob/config");
  });
});

describe("the same answer as CPython's expanduser", () => {
  // python3 here is the AWS CLI's own interpreter; ntpath and posixpath are importable on any OS and read
  // os.environ at call time, so the Windows rules are checked without Windows. One python3 for all cases.
  const paths = ["~/.aws/config", "~", "~/.aws/sso/cache"];
  const script = `
import json, ntpath, os, posixpath, sys
out = []
for platform, env in json.loads(sys.argv[1]):
    os.environ.clear()
    os.environ.update(env)
    mod = ntpath if platform == "win32" else posixpath
    out.append([mod.normpath(mod.expanduser(p)) for p in ${JSON.stringify(paths)}])
print(json.dumps(out))
`;
  const all = [...windows.map((c) => ["win32", c] as const), ...posixCases.map((c) => ["linux", c] as const)];
  let answers: string[][] = [];
  beforeAll(() => {
    const r = Bun.spawnSync(["python3", "-c", script, JSON.stringify(all.map(([p, c]) => [p, c.env]))], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    if (r.exitCode !== 0) throw new Error(r.stderr.toString());
    answers = JSON.parse(r.stdout.toString()) as string[][];
  });

  all.forEach(([platform, c], i) => {
    it(`${platform}: ${c.name}`, () => {
      const mod = platform === "win32" ? win32 : posix;
      expect(paths.map((p) => mod.normalize(expandHome(p, c.env, platform)))).toEqual(answers[i]!);
    });
  });
});
