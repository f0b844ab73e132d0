// The layers point one way (docs/architecture.md §1): `core` is pure and imports nothing from the
// layers above it, not even types, so it can be read and tested on its own.
import { describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../helpers/ccsso";

const order = ["core", "aws", "store", "auth", "cli"] as const;
// What each layer may import from src/ (platform is the edge every layer above core may use; version.ts
// is the build stamp).
const allowed: Record<(typeof order)[number], string[]> = {
  core: ["core"],
  aws: ["core", "aws", "platform"],
  store: ["core", "store", "platform"],
  auth: ["core", "aws", "store", "auth", "platform"],
  cli: ["core", "aws", "store", "auth", "cli", "platform", "version"],
};

function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.\.?\/[^"]+)"/g)].map((m) => m[1]!);
}

describe("layering", () => {
  for (const layer of order) {
    it(`keeps src/${layer} to the layers below it`, () => {
      const dir = join(repoRoot, "src", layer);
      const wrong: string[] = [];
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
        for (const spec of importsOf(readFileSync(join(dir, file), "utf8"))) {
          const target = spec.startsWith("../") ? spec.slice(3).split("/")[0]! : layer;
          if (!allowed[layer].includes(target)) wrong.push(`src/${layer}/${file} imports ${spec}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it("sees the imports it checks", () => {
    expect(importsOf('import type { Env } from "../platform/context";\nconst m = await import("../aws/oidc");')).toEqual([
      "../platform/context",
      "../aws/oidc",
    ]);
  });
});
