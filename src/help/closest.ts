/**
 * The known names closest to a mistyped one, by commander's own rule for "(Did you mean …?)" after
 * an unknown command or option (commander does not export it: lib/suggestSimilar.js): the optimal
 * string alignment distance (a swap of two neighbouring letters counts as one edit), at most 3
 * edits, and more than 40 % of the longer name unchanged. All names at the best distance, sorted;
 * none when nothing is that close, so a wild guess gets no suggestion rather than a wrong one.
 */
const MAX_DISTANCE = 3;
const MIN_SIMILARITY = 0.4;

export function closestMatches(word: string, candidates: Iterable<string>): string[] {
  let best = MAX_DISTANCE;
  let similar: string[] = [];
  for (const candidate of new Set(candidates)) {
    // One letter is no name to guess at.
    if (candidate.length <= 1 || candidate === word) continue;
    const distance = editDistance(word, candidate);
    const length = Math.max(word.length, candidate.length);
    if ((length - distance) / length <= MIN_SIMILARITY) continue;
    if (distance < best) {
      best = distance;
      similar = [candidate];
    } else if (distance === best) {
      similar.push(candidate);
    }
  }
  return similar.sort((a, b) => a.localeCompare(b));
}

/** Optimal string alignment distance; the worst case at once when the lengths alone differ by too much. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > MAX_DISTANCE) return Math.max(a.length, b.length);
  // d[i][j]: the distance between the first i letters of a and the first j of b.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(a.length, b.length);
}
