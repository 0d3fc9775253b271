import type { BacktestResultDto } from '../../api/types';

export interface ModelScore {
  model: string;
  /** Mean MASE over the horizons that had test points (below 1 beats a seasonal-naive forecast). */
  mase: number;
  /** Mean share of test points inside the model's interval, when it gives one. */
  coverage: number | null;
  chosen: boolean;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** One score per model from a backtest's per-horizon metrics, best (lowest MASE) first; models with none dropped. */
export function backtestSummary(result: BacktestResultDto): ModelScore[] {
  return Object.entries(result.models)
    .map(([model, horizons]) => {
      const coverage = horizons.map((h) => h.coverage).filter((c): c is number => c !== null && Number.isFinite(c));
      return {
        model,
        mase: mean(horizons.map((h) => h.mase).filter((m): m is number => m !== null && Number.isFinite(m))),
        coverage: coverage.length ? mean(coverage) : null,
        chosen: model === result.chosen,
      };
    })
    .filter((m) => Number.isFinite(m.mase))
    .sort((a, b) => a.mase - b.mase || a.model.localeCompare(b.model));
}
