// Copying through the terminal (src/core/osc52.ts): only when stderr is one, since the escape sequence
// in a log file or a pipe would be noise, and only where the person asked for it.
import { osc52Sequence, type Multiplexer } from "../core/osc52";
import type { Context } from "./context";

export function multiplexer(env: Context["env"]): Multiplexer {
  if (env.TMUX) return "tmux";
  if (env.STY) return "screen";
  return "none";
}

/** Write the OSC 52 sequence for `text` to the terminal; false (nothing written) when stderr is not one. */
export function copyThroughTerminal(ctx: Context, text: string): boolean {
  if (!ctx.stderr.isTTY) return false;
  ctx.stderr.write(osc52Sequence(text, multiplexer(ctx.env)));
  return true;
}
