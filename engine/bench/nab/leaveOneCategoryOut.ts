import type { NabCorpus, NabProfile } from '../../src/alerts/anomaly/nab/NabCorpus.js';
import { NAB_PROFILES } from '../../src/alerts/anomaly/nab/NabCorpus.js';
import { normalizeScore } from '../../src/alerts/anomaly/nab/NabSweeper.js';
import { scoreNabProfile, type DetectorOutput } from '../../src/alerts/anomaly/nab/scoreNabCorpus.js';

export interface Candidate<S> {
  label: string;
  settings: S;
  output: DetectorOutput;
}

export interface Fold {
  category: string;
  chosen: string;
  /** Standard score of the chosen setting on the six training categories (threshold optimised there). */
  train: number;
  windows: number;
  /** Held-out raw score and (if the category has windows) normalised score, per profile. */
  heldOutRaw: Record<NabProfile, number>;
  heldOut: Record<NabProfile, number>;
}

export interface LocoResult {
  folds: Fold[];
  /** All held-out categories together: each scored with the setting and thresholds chosen without it. */
  composite: Record<NabProfile, number>;
  /** The setting chosen in most folds (ties: higher mean training score). */
  majority: string;
}

/**
 * Leave-one-category-out over NAB's seven categories: for each category, pick the candidate with the best
 * standard score on the other six (each candidate's threshold optimised there, as NAB does), then score the
 * held-out category with that candidate and those thresholds, untouched by its own data.
 */
export function leaveOneCategoryOut<S>(corpus: NabCorpus, candidates: Array<Candidate<S>>): LocoResult {
  const categories = [...new Set(corpus.files.map((f) => f.category))].sort();
  const folds: Fold[] = [];
  const votes = new Map<string, { count: number; trainSum: number }>();
  for (const category of categories) {
    const trainFiles = corpus.files.filter((f) => f.category !== category);
    const testFiles = corpus.files.filter((f) => f.category === category);
    const trained = candidates.map((c) => ({
      c,
      result: scoreNabProfile(corpus, trainFiles, c.output, 'standard'),
    }));
    const best = trained.reduce((a, b) => (b.result.normalized > a.result.normalized ? b : a));
    const vote = votes.get(best.c.label) ?? { count: 0, trainSum: 0 };
    votes.set(best.c.label, { count: vote.count + 1, trainSum: vote.trainSum + best.result.normalized });
    const windows = testFiles.reduce((n, f) => n + f.windows.length, 0);
    const heldOutRaw = {} as Record<NabProfile, number>;
    const heldOut = {} as Record<NabProfile, number>;
    for (const profile of NAB_PROFILES) {
      const threshold =
        profile === 'standard'
          ? best.result.threshold
          : scoreNabProfile(corpus, trainFiles, best.c.output, profile).threshold;
      const test = scoreNabProfile(corpus, testFiles, best.c.output, profile, threshold);
      heldOutRaw[profile] = test.raw;
      heldOut[profile] = windows > 0 ? test.normalized : Number.NaN;
    }
    folds.push({
      category,
      chosen: best.c.label,
      train: best.result.normalized,
      windows,
      heldOutRaw,
      heldOut,
    });
  }
  const composite = {} as Record<NabProfile, number>;
  for (const profile of NAB_PROFILES) {
    const raw = folds.reduce((s, f) => s + f.heldOutRaw[profile], 0);
    composite[profile] = normalizeScore(raw, corpus.windowCount, corpus.profiles[profile]);
  }
  const majority = [...votes.entries()].sort(
    (a, b) => b[1].count - a[1].count || b[1].trainSum / b[1].count - a[1].trainSum / a[1].count,
  )[0]![0];
  return { folds, composite, majority };
}
