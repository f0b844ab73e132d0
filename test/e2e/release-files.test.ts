// What `make dist` writes next to the binaries (scripts/build.ts writeReleaseFiles): both installers,
// SHA256SUMS over everything, and with CCSSO_SIGNING_KEY a signature that OpenSSH verifies, with the
// installers pinned to the key that signed. Binaries are small stand-ins; building them is make dist's job.
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SIGNATURE_NAMESPACE, writeReleaseFiles } from "../../scripts/build";
import { repoRoot } from "../helpers/ccsso";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

let sbx: Sandbox;
let dir: string;
const binaries = ["ccsso-linux-x64", "ccsso-windows-x64.exe"];

beforeEach(() => {
  sbx = makeSandbox();
  dir = sbx.home;
  for (const b of binaries) writeFileSync(join(dir, b), `stand-in for ${b}\n`);
});
afterEach(() => sbx.cleanup());

function keypair(name: string): { key: string; pub: string } {
  const key = join(dir, name);
  const r = Bun.spawnSync(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "someone@somewhere", "-f", key]);
  if (r.exitCode !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
  return { key, pub: readFileSync(`${key}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" ") };
}

function sha256sumCheck(): { code: number | null; out: string } {
  const r = Bun.spawnSync(["sha256sum", "-c", "SHA256SUMS"], { cwd: dir });
  return { code: r.exitCode, out: r.stdout.toString() };
}

describe("make dist's release files", () => {
  it("without a signing key: the installers as in the repository, SHA256SUMS over all of them, no signature", async () => {
    await writeReleaseFiles(dir, binaries);
    for (const name of ["install.sh", "install.ps1"])
      expect(readFileSync(join(dir, name), "utf8")).toBe(readFileSync(join(repoRoot, "scripts", name), "utf8"));
    const check = sha256sumCheck();
    expect(check.code).toBe(0);
    expect(check.out.trim().split("\n").sort()).toEqual([
      "ccsso-linux-x64: OK",
      "ccsso-windows-x64.exe: OK",
      "install.ps1: OK",
      "install.sh: OK",
    ]);
    expect(existsSync(join(dir, "SHA256SUMS.sig"))).toBe(false);
  });

  it("with a signing key: SHA256SUMS.sig verifies with ssh-keygen for that key and namespace, and both installers pin the key", async () => {
    const { key, pub } = keypair("release");
    await writeReleaseFiles(dir, binaries, { signingKey: key });
    expect(sha256sumCheck().code).toBe(0);
    writeFileSync(join(dir, "allowed_signers"), `${SIGNATURE_NAMESPACE} namespaces="${SIGNATURE_NAMESPACE}" ${pub}\n`);
    const verify = Bun.spawnSync(
      [
        "ssh-keygen",
        "-Y",
        "verify",
        "-f",
        join(dir, "allowed_signers"),
        "-I",
        SIGNATURE_NAMESPACE,
        "-n",
        SIGNATURE_NAMESPACE,
        "-s",
        join(dir, "SHA256SUMS.sig"),
      ],
      { stdin: readFileSync(join(dir, "SHA256SUMS")) },
    );
    expect(verify.exitCode).toBe(0);
    expect(readFileSync(join(dir, "install.sh"), "utf8")).toContain(`\nBUILTIN_RELEASE_KEY='${pub}'\n`);
    expect(readFileSync(join(dir, "install.ps1"), "utf8")).toContain(`\n$BuiltinReleaseKey = '${pub}'\n`);
    // The comment of the key (user@host) stays out of the released scripts.
    expect(readFileSync(join(dir, "install.sh"), "utf8")).not.toContain("someone@somewhere");
  });

  it("a signature for another namespace does not verify as a release signature", async () => {
    const { key, pub } = keypair("release");
    await writeReleaseFiles(dir, binaries, { signingKey: key });
    rmSync(join(dir, "SHA256SUMS.sig"));
    expect(Bun.spawnSync(["ssh-keygen", "-q", "-Y", "sign", "-f", key, "-n", "file", join(dir, "SHA256SUMS")]).exitCode).toBe(0);
    writeFileSync(join(dir, "allowed_signers"), `${SIGNATURE_NAMESPACE} namespaces="${SIGNATURE_NAMESPACE}" ${pub}\n`);
    const verify = Bun.spawnSync(
      [
        "ssh-keygen",
        "-Y",
        "verify",
        "-f",
        join(dir, "allowed_signers"),
        "-I",
        SIGNATURE_NAMESPACE,
        "-n",
        SIGNATURE_NAMESPACE,
        "-s",
        join(dir, "SHA256SUMS.sig"),
      ],
      { stdin: readFileSync(join(dir, "SHA256SUMS")) },
    );
    expect(verify.exitCode).not.toBe(0);
  });

  it("refuses to sign with a key other than the one an installer in the repository pins", async () => {
    const pinned = keypair("pinned");
    const other = keypair("other");
    // The day the project commits its release key to scripts/install.sh, only that key may sign.
    const text = readFileSync(join(repoRoot, "scripts", "install.sh"), "utf8").replace(
      "BUILTIN_RELEASE_KEY=''",
      `BUILTIN_RELEASE_KEY='${pinned.pub}'`,
    );
    expect(text).toContain(pinned.pub);
    await expect(writeReleaseFiles(dir, binaries, { signingKey: other.key, installers: { "install.sh": text } })).rejects.toThrow(
      `scripts/install.sh pins release key "${pinned.pub}", but the release is signed with "${other.pub}"`,
    );
  });
});
