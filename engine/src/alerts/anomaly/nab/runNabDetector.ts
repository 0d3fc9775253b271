import type { AnomalyDetectorFactory } from '../AnomalyDetector.js';
import type { NabFile } from './NabCorpus.js';
import { probationaryLength } from './NabSweeper.js';
import type { DetectorOutput } from './scoreNabCorpus.js';

/** Runs a fresh detector over each file in row order, as NAB's runner does; it is told the probationary length. */
export function runNabDetector(files: NabFile[], factory: AnomalyDetectorFactory): DetectorOutput {
  const output = new Map<string, Float64Array>();
  for (const file of files) {
    const detector = factory({ probationRows: probationaryLength(file.values.length) });
    const scores = new Float64Array(file.values.length);
    for (let i = 0; i < scores.length; i++) {
      const score = detector.update(file.timestamps[i]!, file.values[i]!);
      if (!(score >= 0 && score <= 1))
        throw new Error(`${file.name} row ${i}: anomaly score ${score} is not in [0, 1]`);
      scores[i] = score;
    }
    output.set(file.name, scores);
  }
  return output;
}
