/** The simple rules every model is measured against; the served forecast falls back to the best of them. */
export const BASELINES: ReadonlySet<string> = new Set([
  'naive',
  'seasonal_naive_day',
  'seasonal_naive_week',
  'holt_winters',
]);
