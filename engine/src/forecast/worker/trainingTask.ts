import type { ForecastConfig } from '../config.js';
import { fitForecaster, type ForecasterSpec } from '../Forecaster.js';
import { backtest, type BacktestResult } from '../backtest.js';
import { prepareSeries, type PreparationReport } from '../series/prepareSeries.js';
import { encodeArtifacts, type EncodedModel } from '../persistence/artifactsCodec.js';
import { lstmNetwork } from '../persistence/restoreForecaster.js';
import { initTf, type tf } from '../tf/initTf.js';

/** What a training (or backtest) run needs and gives back; plain data so it crosses a worker boundary. */
export interface TrainingTask {
  kind: 'train' | 'backtest';
  timestamps: number[];
  values: number[];
  stepSeconds: number;
  counter: boolean;
  config: ForecastConfig;
  /** Grid end (the query's end), so a missing tail counts as missing. */
  end?: number;
  /** For backtests: steps at the end that are scored, not fitted. */
  testSteps?: number;
}

export interface TrainingOutcome {
  spec: ForecasterSpec;
  lstm?: EncodedModel;
  backtest?: BacktestResult;
  preparation: PreparationReport;
  backend: string;
  seconds: number;
}

export async function runTrainingTask(
  task: TrainingTask,
  onProgress: (fraction: number, message: string) => void,
): Promise<TrainingOutcome> {
  const started = performance.now();
  const backend = await initTf();
  const series = prepareSeries(task.timestamps, task.values, {
    stepSeconds: task.stepSeconds,
    transform: task.config.transform,
    outageMinMinutes: task.config.outageMinMinutes,
    outageMaxZeroShare: task.config.outageMaxZeroShare,
    counter: task.counter,
    end: task.end,
  });
  onProgress(
    0.02,
    `history: ${series.z.length} steps, ${series.report.missingSteps} missing, ${series.report.outageSteps} in outages`,
  );
  const fitEnd = task.kind === 'backtest' ? series.z.length - (task.testSteps ?? 0) : series.z.length;
  const forecaster = await fitForecaster(series, {
    config: task.config,
    end: fitEnd,
    onProgress: (f, m) => onProgress(0.02 + f * 0.93, m),
  });
  try {
    let lstm: EncodedModel | undefined;
    const net = lstmNetwork(forecaster);
    if (net && task.kind === 'train') {
      await net.save({
        save: async (artifacts: tf.io.ModelArtifacts) => {
          lstm = encodeArtifacts(artifacts);
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        },
      });
    }
    const result = task.kind === 'backtest' ? await backtest(forecaster, series, fitEnd) : undefined;
    onProgress(1, `chose ${forecaster.chosen}`);
    return {
      spec: forecaster.toJSON(),
      ...(lstm ? { lstm } : {}),
      ...(result ? { backtest: result } : {}),
      preparation: series.report,
      backend,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    forecaster.dispose();
  }
}
