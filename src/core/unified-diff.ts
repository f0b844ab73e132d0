// A unified diff (`diff -u` layout) of two texts, for `configure populate --dry-run`: the user sees
// exactly which lines of their AWS config would change. The edit script comes from the `diff` package
// (jsdiff's Myers diff; docs/decisions.md §2.5); this file only lays it out the way GNU `diff -u` does,
// which test/unit/populate.test.ts checks against the real `diff -u`.
import { structuredPatch } from "diff";

/**
 * Unified diff with `context` lines around each change; "" when the texts are equal. Headers name the
 * file as `--- path` / `+++ path (after populate)`.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return "";
  // Compared as lines without their final newline; a text that differs only there says so below.
  const complete = (text: string) => (text === "" || text.endsWith("\n") ? text : `${text}\n`);
  const a = complete(before);
  const b = complete(after);
  const out: string[] = [`--- ${labels.from}`, `+++ ${labels.to}`];
  const { hunks } = structuredPatch(labels.from, labels.to, a, b, undefined, undefined, { context });
  // diff -u numbers an empty range by the line before it, and leaves out a count of one.
  const range = (start: number, count: number) => `${count === 0 ? start - 1 : start}${count === 1 ? "" : `,${count}`}`;
  for (const h of hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`, ...h.lines);
  }
  // Only the final newline differs (the editor completes a last line that lacks one).
  if (hunks.length === 0) out.push("\\ a newline is added at the end of the file");
  return out.join("\n") + "\n";
}
