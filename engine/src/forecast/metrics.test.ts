import { describe, expect, it } from 'vitest';
import { conformalQuantile, maseScale, MetricAccumulator } from './metrics.js';

describe('metrics', () => {
  it('computes MAE, RMSE, MASE, sMAPE and coverage by hand', () => {
    const acc = new MetricAccumulator();
    acc.add(10, 8, 7, 9); // e=2, outside
    acc.add(20, 23, 18, 25); // e=-3, inside
    acc.add(0, 0, -1, 1); // e=0, inside, sMAPE term 0
    const m = acc.result(1, 2);
    expect(m.mae).toBeCloseTo(5 / 3, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(13 / 3), 12);
    expect(m.mase).toBeCloseTo(5 / 6, 12);
    expect(m.smape).toBeCloseTo(((200 * 2) / 18 + (200 * 3) / 43 + 0) / 3, 12);
    expect(m.coverage).toBeCloseTo(2 / 3, 12);
  });

  it('scales MASE by the in-sample seasonal naive error, skipping unobserved pairs', () => {
    const values = [1, 2, 3, 5, 6, 9, 100];
    const observed = [1, 1, 1, 1, 1, 1, 0];
    // period 2 needs end > 4: pairs (2,0)=2, (3,1)=3, (4,2)=3, (5,3)=4 → 3
    expect(maseScale(values, observed, 6, 2)).toBe(3);
    // the unobserved last value never enters
    expect(maseScale(values, observed, 7, 2)).toBe(3);
    // too short for the season → naive one-step error
    expect(maseScale([1, 3, 4], [1, 1, 1], 3, 2)).toBe(1.5);
  });

  it('takes the split-conformal rank ceil((n+1)(1-alpha))', () => {
    const r = [5, 1, 4, 2, 3, 9, 7, 6, 8, 10];
    expect(conformalQuantile(r, 0.8)).toBe(9); // ceil(11*0.8)=9th smallest
    expect(conformalQuantile(r, 0.5)).toBe(6);
  });
});
