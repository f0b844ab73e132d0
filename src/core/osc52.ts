// OSC 52 (docs/protocols.md §3.13): the terminal emulator — on the person's own machine, even at the
// far end of SSH — puts text on its clipboard. `ESC ] 52 ; c ; <base64> BEL`, where `c` names the
// clipboard selection. Inside tmux or GNU screen the sequence would be taken by the multiplexer, so it
// is also sent wrapped in their passthrough envelope (DCS … ST).
import { Buffer } from "node:buffer";

export type Multiplexer = "none" | "tmux" | "screen";

const ESC = "\x1b";
const BEL = "\x07";
const ST = `${ESC}\\`;

/** The bytes to write to the terminal to copy `text`. */
export function osc52Sequence(text: string, mux: Multiplexer): string {
  const osc = `${ESC}]52;c;${Buffer.from(text, "utf8").toString("base64")}${BEL}`;
  if (mux === "tmux") {
    // tmux 3.3+ forwards a DCS `tmux;` envelope (with every ESC doubled) when `allow-passthrough` is on;
    // with `set-clipboard on` it acts on the plain sequence itself. Both are sent: whichever the
    // person's tmux allows copies, and copying the same text twice is harmless.
    return osc + `${ESC}Ptmux;${osc.replaceAll(ESC, ESC + ESC)}${ST}`;
  }
  if (mux === "screen") {
    // screen passes a DCS string through to the outer terminal but truncates long ones, so the
    // sequence goes in pieces of 76 characters, each in its own envelope.
    const pieces: string[] = [];
    for (let i = 0; i < osc.length; i += 76) pieces.push(`${ESC}P${osc.slice(i, i + 76)}${ST}`);
    return pieces.join("");
  }
  return osc;
}
