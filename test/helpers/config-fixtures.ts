// The config-file corpus (test/fixtures/config/<case>/): `before`, `edit.json` and the byte-exact `after`
// that ccsso's editor must produce. `edit.json` says whether the AWS CLI's ConfigFileWriter writes the
// same bytes ("identical") or, where ccsso deliberately does better, why it differs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { IniValue } from "../../src/core/ini";
import { repoRoot } from "./ccsso";

export type OracleVerdict = "identical" | { differs: string; compare: "crlf-to-lf" | "none" };

export interface ConfigFixture {
  name: string;
  description: string;
  file: "config" | "credentials";
  section: string;
  values: Record<string, IniValue>;
  oracle: OracleVerdict;
  before: string;
  after: string;
}

export const configFixturesDir = join(repoRoot, "test", "fixtures", "config");

export function loadConfigFixtures(): ConfigFixture[] {
  return readdirSync(configFixturesDir)
    .sort()
    .filter((name) => existsSync(join(configFixturesDir, name, "edit.json")))
    .map((name) => {
      const dir = join(configFixturesDir, name);
      const edit = JSON.parse(readFileSync(join(dir, "edit.json"), "utf8"));
      return {
        name,
        ...edit,
        // Read as bytes → UTF-8 without any newline translation, so CRLF and a BOM arrive as on disk.
        before: readFileSync(join(dir, "before")).toString("utf8"),
        after: readFileSync(join(dir, "after")).toString("utf8"),
      } as ConfigFixture;
    });
}
