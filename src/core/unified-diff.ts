// A unified diff (`diff -u` layout) of two texts, for `configure populate --dry-run`: the user sees
// exactly which lines of their AWS config would change. Myers' O(ND) algorithm ("An O(ND) Difference
// Algorithm and Its Variations", 1986) on lines; the edits populate makes are few, so D stays small
// even for a config with thousands of lines.

type Op = { kind: " " | "-" | "+"; line: string };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Shortest edit script between a and b as a list of kept/removed/added lines. */
function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: " ", line: a[x]! });
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "+", line: b[--y]! });
      else ops.push({ kind: "-", line: a[--x]! });
    }
  }
  return ops.reverse();
}

/**
 * Unified diff with `context` lines around each change; "" when the texts are equal. Headers name the
 * file as `--- path` / `+++ path (after populate)`.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = myers(a, b);
  const out: string[] = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Positions (in ops) of changed lines, grouped into hunks that share context.
  const changed = ops.flatMap((op, i) => (op.kind === " " ? [] : [i]));
  let h = 0;
  while (h < changed.length) {
    let end = h;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context + 1) end++;
    const from = Math.max(0, changed[h]! - context);
    const to = Math.min(ops.length - 1, changed[end]! + context);
    // Line numbers at `from`: count lines of a and b consumed before it.
    let aLine = 0;
    let bLine = 0;
    for (let i = 0; i < from; i++) {
      if (ops[i]!.kind !== "+") aLine++;
      if (ops[i]!.kind !== "-") bLine++;
    }
    const body = ops.slice(from, to + 1);
    const aCount = body.filter((o) => o.kind !== "+").length;
    const bCount = body.filter((o) => o.kind !== "-").length;
    // diff -u numbers an empty range by the line before it.
    const range = (start: number, count: number) => `${count === 0 ? start : start + 1}${count === 1 ? "" : `,${count}`}`;
    out.push(`@@ -${range(aLine, aCount)} +${range(bLine, bCount)} @@`);
    for (const op of body) out.push(op.kind + op.line);
    h = end + 1;
  }
  // Only the final newline differs (the editor completes a last line that lacks one).
  if (changed.length === 0) out.push("\\ a newline is added at the end of the file");
  return out.join("\n") + "\n";
}
