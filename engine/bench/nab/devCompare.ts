// Development harness (not a benchmark): `node --import tsx bench/nab/devCompare.ts '<json array of partial settings>'`
// Runs each variant, prints full-corpus scores and single-candidate leave-one-category-out per fold.
import { join } from 'node:path';
import { sharedDatasets } from '../lib.js';
import { leaveOneCategoryOut } from './leaveOneCategoryOut.js';
import {
  TailEnsembleDetector,
  type TailEnsembleSettings,
} from '../../src/alerts/anomaly/detectors/TailEnsembleDetector.js';
import { loadNabCorpus } from '../../src/alerts/anomaly/nab/NabCorpus.js';
import { runNabDetector } from '../../src/alerts/anomaly/nab/runNabDetector.js';
import { scoreNabCorpus } from '../../src/alerts/anomaly/nab/scoreNabCorpus.js';

const variants = JSON.parse(process.argv[2] ?? '[{}]') as Array<Partial<TailEnsembleSettings>>;
const corpus = loadNabCorpus(join(sharedDatasets, 'nab'));
for (const v of variants) {
  const t0 = performance.now();
  const output = runNabDetector(
    corpus.files,
    ({ probationRows }) => new TailEnsembleDetector({ ...v, probationRows }),
  );
  const full = scoreNabCorpus(corpus, corpus.files, output);
  const loco = leaveOneCategoryOut(corpus, [{ label: 'x', settings: v, output }]);
  const f = (x: number) => x.toFixed(1);
  const st = full.standard;
  const fp = st.files.reduce((s, r) => s + r.fp, 0);
  const folds = loco.folds.map(
    (x) =>
      `${x.category.replace(/^(real|artificial)/, '').slice(0, 8)}=${f(x.windows > 0 ? x.heldOut.standard : x.heldOutRaw.standard)}`,
  );
  console.log(
    `${JSON.stringify(v)}\n  full std ${f(st.normalized)} fp ${f(full.reward_low_FP_rate.normalized)} fn ${f(full.reward_low_FN_rate.normalized)} thr ${st.threshold.toFixed(3)} fpRows ${fp} | LOCO ${f(loco.composite.standard)} / ${f(loco.composite.reward_low_FP_rate)} / ${f(loco.composite.reward_low_FN_rate)} | ${folds.join(' ')} | ${((performance.now() - t0) / 1000).toFixed(0)}s`,
  );
}
