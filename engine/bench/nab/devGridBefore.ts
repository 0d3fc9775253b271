// Development harness: leave-one-category-out over nab.bench's 16-setting grid with this round's additions off
// (the previous detector), for before/after per fold.
import { join } from 'node:path';
import { sharedDatasets } from '../lib.js';
import { leaveOneCategoryOut } from './leaveOneCategoryOut.js';
import {
  DEFAULT_TAIL_ENSEMBLE,
  TailEnsembleDetector,
} from '../../src/alerts/anomaly/detectors/TailEnsembleDetector.js';
import { loadNabCorpus } from '../../src/alerts/anomaly/nab/NabCorpus.js';
import { runNabDetector } from '../../src/alerts/anomaly/nab/runNabDetector.js';

const off = { seasonalWarmupDays: 0, fastBaselineRows: 0, sustainWindow: 0 };
const grid = [0, 750].flatMap((baselineRows) =>
  [0.95, 0.98].flatMap((tailQuantile) =>
    [40, 80].flatMap((shiftWindow) =>
      [20, 100].map((tailWarmup) => ({
        ...DEFAULT_TAIL_ENSEMBLE,
        ...off,
        baselineRows,
        tailQuantile,
        shiftWindow,
        tailWarmup,
      })),
    ),
  ),
);
const corpus = loadNabCorpus(join(sharedDatasets, 'nab'));
const candidates = grid.map((s) => ({
  label: `baseline=${s.baselineRows} q=${s.tailQuantile} shift=${s.shiftWindow} warmup=${s.tailWarmup}`,
  settings: s,
  output: runNabDetector(
    corpus.files,
    ({ probationRows }) => new TailEnsembleDetector({ ...s, probationRows }),
  ),
}));
const loco = leaveOneCategoryOut(corpus, candidates);
for (const f of loco.folds)
  console.log(
    f.category,
    f.chosen,
    f.windows > 0 ? f.heldOut.standard.toFixed(1) : `raw ${f.heldOutRaw.standard.toFixed(2)}`,
  );
console.log(
  'composite',
  Object.values(loco.composite)
    .map((x) => x.toFixed(1))
    .join(' / '),
  'majority',
  loco.majority,
);
