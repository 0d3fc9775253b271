/**
 * Reciprocal rank fusion (Cormack et al. 2009): score = sum of weight / (k + rank). Uses ranks only, so lexical and
 * dense scores on different scales combine without calibration.
 */
export function reciprocalRankFusion(
  lists: Array<{ items: number[]; weight: number }>,
  k: number,
): Array<{ index: number; score: number }> {
  const scores = new Map<number, number>();
  for (const { items, weight } of lists) {
    items.forEach((item, rank) => scores.set(item, (scores.get(item) ?? 0) + weight / (k + rank + 1)));
  }
  return [...scores.entries()].map(([index, score]) => ({ index, score })).sort((a, b) => b.score - a.score);
}
