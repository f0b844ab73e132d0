// The device verification URL as a QR code on the terminal, so a phone can approve a sign-in started
// over SSH. The encoder is the uqr package (docs/decisions.md §2.2); this file only draws its module
// matrix with half-block characters. Imported by `sso login`'s device flow alone, so no other command
// — least of all the credential helper — loads the encoder.
import { encode } from "uqr";

// Four light modules around the code: the quiet zone ISO/IEC 18004 requires for a reliable scan.
const QUIET_ZONE = 4;

export interface RenderQrOptions {
  /**
   * true: draw with explicit black-on-white colours (correct on any terminal theme).
   * false (default): no escape codes; light modules are drawn as blocks, which reads correctly on the
   * common light-on-dark terminal (the same choice as `qrencode -t UTF8`).
   */
  color?: boolean;
}

/**
 * The QR code for `text` (UTF-8, error-correction level M, the smallest version that holds it) as lines
 * of half-block characters: each character cell holds two modules (top and bottom), so the code stays
 * square-ish and a typical verification URL fits in about 20 lines.
 */
export function renderQr(text: string, opts: RenderQrOptions = {}): string {
  return renderQrMatrix(encode(text, { ecc: "M", border: 0 }).data, opts);
}

/** Half-block lines for a module matrix (modules[y][x], true = dark, no quiet zone). */
export function renderQrMatrix(modules: readonly (readonly boolean[])[], opts: RenderQrOptions = {}): string {
  const size = modules.length;
  const n = size + QUIET_ZONE * 2;
  const dark = (x: number, y: number) => {
    const mx = x - QUIET_ZONE;
    const my = y - QUIET_ZONE;
    return mx >= 0 && my >= 0 && mx < size && my < size && modules[my]![mx]!;
  };
  const lines: string[] = [];
  for (let y = 0; y < n; y += 2) {
    let line = "";
    for (let x = 0; x < n; x++) {
      const top = dark(x, y);
      const bottom = y + 1 < n ? dark(x, y + 1) : false;
      if (opts.color) {
        // Foreground black = dark modules, background white = light modules.
        line += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
      } else {
        // Inverted: the glyph is the light part.
        line += !top && !bottom ? "█" : !top ? "▀" : !bottom ? "▄" : " ";
      }
    }
    lines.push(opts.color ? `\x1b[30;47m${line}\x1b[0m` : line);
  }
  return lines.join("\n") + "\n";
}
