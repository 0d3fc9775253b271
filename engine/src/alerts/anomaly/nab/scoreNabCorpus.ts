import { NAB_PROFILES, type NabCorpus, type NabFile, type NabProfile } from './NabCorpus.js';
import {
  normalizeScore,
  optimizeThreshold,
  scoreRowsAtThreshold,
  sweepPoints,
  type SweepPoint,
  type ThresholdScore,
} from './NabSweeper.js';

export interface NabFileScore extends ThresholdScore {
  file: string;
}

export interface NabProfileResult {
  threshold: number;
  raw: number;
  normalized: number;
  files: NabFileScore[];
}

export type NabResult = Record<NabProfile, NabProfileResult>;

/** Anomaly scores of one detector, keyed by NAB file name (`category/file.csv`). */
export type DetectorOutput = ReadonlyMap<string, ArrayLike<number>>;

/**
 * NAB's runner for one detector: per profile, optimise one threshold over all the files given (as `optimize`),
 * score each file at it (as `score`) and normalise the total against the null and perfect detectors
 * (as `normalize`). `fixedThresholds` fixes thresholds instead of optimising them (to score held-out data).
 */
export function scoreNabCorpus(
  corpus: Pick<NabCorpus, 'profiles'>,
  files: NabFile[],
  output: DetectorOutput,
  fixedThresholds?: Partial<Record<NabProfile, number>>,
): NabResult {
  const result = {} as NabResult;
  for (const profile of NAB_PROFILES) {
    result[profile] = scoreNabProfile(corpus, files, output, profile, fixedThresholds?.[profile]);
  }
  return result;
}

/** One profile of {@link scoreNabCorpus}. */
export function scoreNabProfile(
  corpus: Pick<NabCorpus, 'profiles'>,
  files: NabFile[],
  output: DetectorOutput,
  profile: NabProfile,
  fixedThreshold?: number,
): NabProfileResult {
  const cost = corpus.profiles[profile];
  const perFile = files.map((f) => ({ file: f.name, points: sweepPoints(f, scoresOf(output, f), cost) }));
  const threshold =
    fixedThreshold ??
    optimizeThreshold(
      perFile.flatMap((f): SweepPoint[] => f.points),
      cost,
    ).threshold;
  const scored = perFile.map((f) => ({ file: f.file, ...scoreRowsAtThreshold(f.points, cost, threshold) }));
  const raw = scored.reduce((s, f) => s + f.score, 0);
  const windows = files.reduce((n, f) => n + f.windows.length, 0);
  return { threshold, raw, normalized: normalizeScore(raw, windows, cost), files: scored };
}

function scoresOf(output: DetectorOutput, file: NabFile): ArrayLike<number> {
  const scores = output.get(file.name);
  if (!scores) throw new Error(`no anomaly scores for ${file.name}`);
  return scores;
}
