import { backtestSummary } from './backtestSummary';
import type { BacktestHorizonMetrics, BacktestResultDto } from '../../api/types';

const h = (horizon: number, mase: number | null, coverage: number | null = null): BacktestHorizonMetrics => ({
  horizon,
  n: 10,
  mae: 1,
  rmse: 1,
  mase,
  smape: 0.1,
  coverage,
});

test('averages MASE over horizons, ranks best first, marks the chosen model and drops models with no score', () => {
  const result: BacktestResultDto = {
    seriesKey: 'shop/frontend/request_rate',
    chosen: 'holt-winters',
    reason: 'lowest validation MASE',
    testStart: 0,
    end: 10,
    scale: 1,
    predictMsPerOrigin: 1,
    baselines: ['seasonal-naive'],
    models: {
      'seasonal-naive': [h(1, 1), h(2, 1.2)],
      'holt-winters': [h(1, 0.5, 0.8), h(2, 0.7, 1), h(3, null)],
      empty: [h(1, null)],
    },
  };
  const scores = backtestSummary(result);
  expect(scores.map((s) => s.model)).toEqual(['holt-winters', 'seasonal-naive']);
  expect(scores[0]!.mase).toBeCloseTo(0.6);
  expect(scores[0]!.coverage).toBeCloseTo(0.9);
  expect(scores[0]!.chosen).toBe(true);
  expect(scores[1]!.coverage).toBeNull();
});
