// "Did you mean …?" for a mistyped command, option, profile or region, ranked the way git ranks its
// suggestions for an unknown command (help.c, help_unknown_cmd), so a person used to git gets the same
// kind of answer: a weighted edit distance where the mistakes people make at a keyboard are cheap.

/**
 * The weights git uses: swapping two neighbouring letters is free (the commonest slip), a letter the
 * person left out costs 1, a wrong letter 2, and a letter they typed that is not in the candidate 3 —
 * a shortened word is more likely meant than one that needs letters taken away.
 */
const SWAP = 0;
const SUBSTITUTE = 2;
const INSERT = 1;
const DELETE = 3;

/**
 * git suggests only candidates whose score (distance + 1, with 0 kept for a prefix match) is below 7,
 * a figure its authors chose by trying it; past that the guesses stop looking like the word typed.
 */
const SIMILARITY_FLOOR = 7;

/**
 * Weighted optimal-string-alignment distance from what was typed to a candidate (the Damerau variant:
 * a swap of two neighbours counts once, and a swapped pair is not edited again).
 */
export function editDistance(typed: string, candidate: string): number {
  const m = typed.length;
  const n = candidate.length;
  // Three rows: two rows back (for swaps), the previous row, and the row being filled.
  let before: number[] = new Array<number>(n + 1).fill(0);
  let previous: number[] = Array.from({ length: n + 1 }, (_, j) => j * INSERT);
  let current: number[] = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    current[0] = i * DELETE;
    for (let j = 1; j <= n; j++) {
      const same = typed[i - 1] === candidate[j - 1];
      let best = previous[j - 1]! + (same ? 0 : SUBSTITUTE);
      best = Math.min(best, previous[j]! + DELETE, current[j - 1]! + INSERT);
      if (i > 1 && j > 1 && typed[i - 1] === candidate[j - 2] && typed[i - 2] === candidate[j - 1]) {
        best = Math.min(best, before[j - 2]! + SWAP);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[n]!;
}

/**
 * The candidates closest to `input`, best first, ties kept in the order given; empty when nothing is
 * close enough, or when `input` is itself a candidate. A candidate that starts with what was typed wins
 * outright (git does this for its common commands), unless several candidates exist and every one of them
 * does — then the prefix says nothing (an empty word, say) and no guess is made.
 */
export function didYouMean(input: string, candidates: readonly string[]): string[] {
  const unique = [...new Set(candidates)];
  if (unique.length === 0 || unique.includes(input)) return [];
  const scored = unique.map((candidate) => ({
    candidate,
    score: candidate.startsWith(input) ? 0 : editDistance(input, candidate) + 1,
  }));
  const prefixes = scored.filter((s) => s.score === 0);
  if (prefixes.length > 0) return prefixes.length === scored.length && scored.length > 1 ? [] : prefixes.map((s) => s.candidate);
  const best = Math.min(...scored.map((s) => s.score));
  if (best >= SIMILARITY_FLOOR) return [];
  return scored.filter((s) => s.score === best).map((s) => s.candidate);
}
