// The config-file corpus against the real thing: the AWS CLI's ConfigFileWriter (awscli v1 from pip,
// the same writer as v2) as the oracle for every `after` file, and botocore's config loader reading each
// result exactly as ccsso's model does — the same as before the edit, apart from the keys written.
import { beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { parseAwsConfig } from "../../src/core/aws-config";
import type { IniValue } from "../../src/core/ini";
import { shlexSplit } from "../../src/core/shlex";
import { loadConfigFixtures, type ConfigFixture } from "../helpers/config-fixtures";

type Parsed = Record<string, Record<string, Record<string, unknown>>>;
interface OracleResult {
  oracle: string | null;
  oracle_error: string | null;
  before: Parsed | null;
  before_error: string | null;
  ours: Parsed | null;
  ours_error: string | null;
}

const fixtures = loadConfigFixtures();
const BOM = "\ufeff";
const stripBom = (s: string) => (s.startsWith(BOM) ? s.slice(1) : s);
let results: OracleResult[] = [];
let bomRefusal: OracleResult;

function runOracle(cases: unknown[]): OracleResult[] {
  const proc = Bun.spawnSync(["python3", join(import.meta.dir, "config-oracle.py")], {
    stdin: new TextEncoder().encode(JSON.stringify(cases)),
    stdout: "pipe",
    stderr: "pipe",
  });
  if (proc.exitCode !== 0) throw new Error(`config-oracle.py failed (are awscli and botocore installed?): ${proc.stderr.toString()}`);
  return JSON.parse(proc.stdout.toString());
}

beforeAll(() => {
  results = runOracle(
    fixtures.map((f) => ({
      file: f.file,
      before: f.before,
      ours: f.after,
      section: f.section,
      values: f.values,
      // botocore cannot read a file that starts with a BOM (asserted below); compare what it reads without it.
      parse_before: stripBom(f.before),
      parse_ours: stripBom(f.after),
    })),
  );
  const withBom = fixtures.find((f) => f.before.startsWith(BOM))!;
  bomRefusal = runOracle([{ file: "config", before: withBom.before, ours: withBom.after, section: withBom.section, values: {} }])[0]!;
});

/** Our model in botocore's shape: load_config's profiles/sso_sessions/services, or raw_config_parse's sections. */
function oursAsBotocore(f: ConfigFixture, text: string): Parsed {
  if (f.file === "credentials") return Object.fromEntries(parseAwsConfig(undefined, text).credentialProfiles) as unknown as Parsed;
  const cfg = parseAwsConfig(text);
  const profiles: Record<string, Record<string, unknown>> = {};
  for (const [name, values] of cfg.profiles) profiles[name] = { ...values, ...cfg.nested.get(name) };
  return {
    profiles,
    sso_sessions: Object.fromEntries(cfg.ssoSessions),
    services: Object.fromEntries(cfg.services) as Record<string, Record<string, unknown>>,
  };
}

/** botocore's view of `before` with the edit applied: what the file must read as afterwards. */
function applyEdit(f: ConfigFixture, before: Parsed): Parsed {
  const out = structuredClone(before);
  let table: Record<string, unknown>;
  if (f.file === "credentials") table = out[f.section] ??= {};
  else {
    const [type, name] = f.section === "default" ? ["profile", "default"] : shlexSplit(f.section);
    const group = type === "profile" ? "profiles" : type === "sso-session" ? "sso_sessions" : "services";
    table = out[group]![name!] ??= {};
  }
  for (const [key, value] of Object.entries(f.values) as [string, IniValue][]) {
    const k = key.toLowerCase();
    if (value === null) delete table[k];
    else if (typeof value === "object") {
      const sub = { ...(table[k] as Record<string, string> | undefined) };
      for (const [sk, sv] of Object.entries(value))
        if (sv === null) delete sub[sk];
        else sub[sk] = sv;
      table[k] = sub;
    } else table[k] = value;
  }
  return out;
}

describe("the AWS CLI's ConfigFileWriter as the oracle", () => {
  fixtures.forEach((f, i) => {
    const verdict = f.oracle;
    if (verdict === "identical") {
      it(`${f.name}: writes the same bytes as ccsso`, () => {
        expect(results[i]!.oracle_error).toBeNull();
        expect(results[i]!.oracle).toBe(f.after);
      });
    } else if (verdict.compare === "crlf-to-lf") {
      it(`${f.name}: writes the same text once CRLF is LF (${verdict.differs})`, () => {
        expect(results[i]!.oracle).toBe(f.after.replace(/\r\n/g, "\n"));
        expect(f.after).toContain("\r\n");
      });
    } else {
      it(`${f.name}: differs from ccsso where ccsso is deliberately better: ${verdict.differs}`, () => {
        // Still true: if the writer ever agrees, the fixture should say "identical".
        expect(results[i]!.oracle).not.toBe(f.after);
      });
    }
  });
});

describe("botocore reading every edited file", () => {
  fixtures.forEach((f, i) => {
    it(`${f.name}: reads the result exactly as ccsso's model does`, () => {
      expect(results[i]!.ours_error).toBeNull();
      expect(results[i]!.ours).toEqual(oursAsBotocore(f, f.after));
    });
    it(`${f.name}: reads the same as before, apart from the keys written`, () => {
      expect(results[i]!.before_error).toBeNull();
      expect(results[i]!.ours).toEqual(applyEdit(f, results[i]!.before!));
    });
  });

  it("botocore itself refuses a file that starts with a BOM, which is why ccsso reads past it", () => {
    expect(bomRefusal.before_error).toContain("ConfigParseError");
  });
});
