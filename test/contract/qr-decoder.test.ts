// The QR code `ccsso sso login --use-device-code` prints, checked by a real decoder: zbarimg (Debian
// zbar-tools, installed by .ci/run) must read back exactly the URL from the half-block text, for the
// URL lengths Identity Center sends and well beyond, in both renderings. The encoder is the uqr package
// (docs/decisions.md §2.2); this proves our use of it and our drawing, end to end.
import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderQr } from "../../src/platform/qr-text";

const dir = mkdtempSync(join(tmpdir(), "ccsso-qr-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** A plain PBM image of a module matrix, 4 pixels per module, 4 light modules of quiet zone. */
function toPbm(modules: boolean[][]): string {
  const scale = 4;
  const quiet = 4;
  const size = modules.length;
  const n = (size + quiet * 2) * scale;
  const rows: string[] = [`P1`, `${n} ${n}`];
  for (let py = 0; py < n; py++) {
    let row = "";
    for (let px = 0; px < n; px++) {
      const x = Math.floor(px / scale) - quiet;
      const y = Math.floor(py / scale) - quiet;
      row += x >= 0 && y >= 0 && x < size && y < size && modules[y]![x] ? "1" : "0";
    }
    rows.push(row);
  }
  return rows.join("\n") + "\n";
}

async function decode(modules: boolean[][]): Promise<string> {
  const file = join(dir, `qr-${fileNo++}.pbm`);
  writeFileSync(file, toPbm(modules));
  const proc = Bun.spawn(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`zbarimg found no QR code (exit ${code}): ${err.trim()}`);
  return out.replace(/\n$/, "");
}

/** Read the half-block rendering back into modules, the way a camera would see it. */
function modulesFromHalfBlocks(text: string, inverted: boolean): boolean[][] {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const grid: boolean[][] = [];
  for (const line of plain.split("\n").filter((l) => l.length > 0)) {
    const chars = [...line];
    // A glyph is "ink": dark modules when drawn in colour, light modules when inverted.
    const top = chars.map((c) => c === "█" || c === "▀");
    const bottom = chars.map((c) => c === "█" || c === "▄");
    grid.push(
      top.map((ink) => ink !== inverted),
      bottom.map((ink) => ink !== inverted),
    );
  }
  return grid;
}

function textOfLength(n: number): string {
  const alphabet = "https://device.sso.eu-west-1.amazonaws.com/?user_code=WXYZ-2345&";
  let s = "";
  for (let i = 0; s.length < n; i++) s += alphabet[i % alphabet.length];
  return s;
}

describe("QR codes read back by zbarimg", () => {
  // A classic verification URL is ~60 bytes, a dual-stack one ~110; the rest is headroom.
  it.each([20, 64, 110, 200, 400, 800])("a %i-byte URL printed for a dark terminal scans", async (length) => {
    const text = textOfLength(length);
    expect(await decode(modulesFromHalfBlocks(renderQr(text), true))).toBe(text);
  });

  it("keeps non-ASCII text intact as UTF-8 bytes", async () => {
    const text = "https://portal.example/✓?name=Zoë";
    expect(await decode(modulesFromHalfBlocks(renderQr(text), true))).toBe(text);
  });

  it("the coloured half-block text scans on any terminal theme", async () => {
    const text = "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH";
    const rendered = renderQr(text, { color: true });
    expect(rendered).toContain("\x1b[30;47m");
    expect(await decode(modulesFromHalfBlocks(rendered, false))).toBe(text);
  });
});
