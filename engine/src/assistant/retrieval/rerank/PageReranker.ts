import type { CostlyField, RerankCandidate, RerankFeature, RerankQuery } from './RerankFeature.js';

/**
 * The second stage: each candidate page's fused score, normalised by the best one, plus the weighted features.
 * Features are in [-1, 1], so a weight of 0.1 moves a page past one fused up to 10% higher. Pages past the
 * candidates keep their fused score.
 */
export class PageReranker {
  private readonly active: Array<{ feature: RerankFeature; weight: number }>;

  constructor(features: readonly RerankFeature[], weights: Readonly<Record<string, number>>) {
    this.active = features
      .map((feature) => ({ feature, weight: weights[feature.name] ?? 0 }))
      .filter((f) => f.weight !== 0);
  }

  /** Whether an active feature reads this field of the candidates. */
  needs(field: CostlyField): boolean {
    return this.active.some(({ feature }) => feature.needs?.includes(field));
  }

  /** Rescored pages: fused[i] with candidate(i) for the first `depth`, best first. */
  rerank(
    query: RerankQuery,
    fused: Array<{ index: number; score: number }>,
    depth: number,
    candidate: (page: number) => RerankCandidate,
  ): Map<number, number> {
    const scores = new Map(fused.map((f) => [f.index, f.score]));
    if (fused.length === 0 || this.active.length === 0) return scores;
    const top = fused[0]!.score || 1;
    for (const { index, score } of fused.slice(0, depth)) {
      const page = candidate(index);
      let s = score / top;
      for (const { feature, weight } of this.active) s += weight * feature.score(query, page);
      scores.set(index, top * s);
    }
    return scores;
  }
}
