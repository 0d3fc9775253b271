import { describe, expect, it } from 'vitest';
import { describeDeviation } from './describeDeviation.js';

describe('describeDeviation', () => {
  it('gives an ordinary robust z as it is', () => {
    expect(describeDeviation({ deviation: 7.25, baselineMedian: 1, incidentValue: 2 })).toBe('+7.25 robust σ');
    expect(describeDeviation({ deviation: -12, baselineMedian: 1, incidentValue: 0.5 })).toBe('-12 robust σ');
  });

  it('reads a z beyond 100 as the factor the level changed by, since its size mostly measures a flat baseline', () => {
    expect(describeDeviation({ deviation: 4500, baselineMedian: 0.0045, incidentValue: 0.55 })).toBe("far above the baseline's range, over 100 robust σ (×122)");
    expect(describeDeviation({ deviation: -300, baselineMedian: 100, incidentValue: 40 })).toBe("far below the baseline's range, over 100 robust σ (×0.40)");
    expect(describeDeviation({ deviation: 1e6, baselineMedian: 0, incidentValue: 3 })).toBe("far above the baseline's range, over 100 robust σ");
  });

  it('hands its parts to a caller that words them, e.g. in another language', () => {
    const parts: unknown[] = [];
    const words = (d: unknown) => (parts.push(d), 'x');
    describeDeviation({ deviation: 7.25, baselineMedian: 1, incidentValue: 2 }, words);
    describeDeviation({ deviation: -300, baselineMedian: 100, incidentValue: 40 }, words);
    describeDeviation({ deviation: 1e6, baselineMedian: 0, incidentValue: 3 }, words);
    expect(parts).toEqual([
      { kind: 'z', z: '+7.25' },
      { kind: 'far', side: 'below', factor: '0.40' },
      { kind: 'far', side: 'above' },
    ]);
  });
});
