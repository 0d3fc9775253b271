// Development harness: per-file windows caught/missed and false-positive rows at the corpus-optimal threshold.
import { join } from 'node:path';
import { sharedDatasets } from '../lib.js';
import {
  TailEnsembleDetector,
  type TailEnsembleSettings,
} from '../../src/alerts/anomaly/detectors/TailEnsembleDetector.js';
import { loadNabCorpus } from '../../src/alerts/anomaly/nab/NabCorpus.js';
import { runNabDetector } from '../../src/alerts/anomaly/nab/runNabDetector.js';
import { scoreNabCorpus } from '../../src/alerts/anomaly/nab/scoreNabCorpus.js';
import { probationaryLength } from '../../src/alerts/anomaly/nab/NabSweeper.js';

const v = JSON.parse(process.argv[2] ?? '{}') as Partial<TailEnsembleSettings>;
const corpus = loadNabCorpus(join(sharedDatasets, 'nab'));
const output = runNabDetector(
  corpus.files,
  ({ probationRows }) => new TailEnsembleDetector({ ...v, probationRows }),
);
const full = scoreNabCorpus(corpus, corpus.files, output);
const thr = full.standard.threshold;
for (const file of corpus.files) {
  const s = output.get(file.name)!;
  const idx = new Map(file.timestamps.map((t, i) => [t, i]));
  const prob = probationaryLength(file.values.length);
  const wins = file.windows.map(([a, b]) => [idx.get(a)!, idx.get(b)!] as const);
  const marks: string[] = [];
  for (const [a, b] of wins) {
    let first = -1;
    for (let i = a; i <= b; i++)
      if (i >= prob && s[i]! >= thr) {
        first = i;
        break;
      }
    marks.push(first < 0 ? `MISS[${a}-${b}]` : `hit@${((first - a) / (b - a + 1)).toFixed(2)}`);
  }
  let fp = 0;
  const fpAt: number[] = [];
  for (let i = prob; i < s.length; i++) {
    if (s[i]! < thr) continue;
    if (wins.some(([a, b]) => i >= a && i <= b)) continue;
    fp++;
    if (fpAt.length < 6) fpAt.push(i);
  }
  const score = full.standard.files.find((f) => f.file === file.name)!.score;
  console.log(
    `${score.toFixed(2).padStart(6)} ${file.name} n=${s.length} prob=${prob} ${marks.join(' ')} fp=${fp} ${fpAt.join(',')}`,
  );
}
