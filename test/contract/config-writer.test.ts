// Every fixture in test/fixtures/config is edited byte-for-byte as its `after` file says — in memory and
// through updateAwsConfig on disk. test/interop/config-botocore.test.ts proves the `after` files against
// the AWS CLI's own writer and botocore's reader.
import { afterEach, describe, expect, it } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { updateIniText } from "../../src/core/ini";
import { updateAwsConfig } from "../../src/store/aws-config-files";
import { loadConfigFixtures } from "../helpers/config-fixtures";
import { makeSandbox, type Sandbox } from "../helpers/sandbox";

const fixtures = loadConfigFixtures();
let sbx: Sandbox | undefined;
afterEach(() => {
  sbx?.cleanup();
  sbx = undefined;
});

describe("the config-file corpus", () => {
  it("has at least 15 cases, each described", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    for (const f of fixtures) expect(f.description.length).toBeGreaterThan(10);
  });

  it("covers CRLF, a BOM, no final newline, credentials files, services blocks and quoted names", () => {
    expect(fixtures.some((f) => f.before.includes("\r\n"))).toBe(true);
    expect(fixtures.some((f) => f.before.startsWith("\ufeff"))).toBe(true);
    expect(fixtures.some((f) => f.before !== "" && !f.before.endsWith("\n"))).toBe(true);
    expect(fixtures.some((f) => f.file === "credentials")).toBe(true);
    expect(fixtures.some((f) => f.before.includes("[services "))).toBe(true);
    expect(fixtures.some((f) => f.before.includes("[profile '"))).toBe(true);
  });
});

describe("ccsso's config editor on the corpus", () => {
  for (const f of fixtures) {
    it(`${f.name}: ${f.description}`, () => {
      expect(updateIniText(f.before, f.section, f.values)).toBe(f.after);
    });
  }
});

describe("updateAwsConfig on the corpus, on disk", () => {
  for (const f of fixtures) {
    it(`${f.name}: writes exactly the expected bytes`, () => {
      sbx = makeSandbox();
      const path = f.file === "credentials" ? sbx.awsCredentials : sbx.awsConfig;
      if (f.before !== "") writeFileSync(path, f.before);
      updateAwsConfig(sbx.env, f.section, f.values, { path });
      expect(readFileSync(path).toString("utf8")).toBe(f.after);
    });
  }
});
