import { describe, expect, it } from 'vitest';
import { narrativePrompt, templateNarrative } from './narrative.js';
import type { RcaCandidate } from './schemas.js';

const payment: RcaCandidate = {
  service: 'payment',
  signal: 'logs',
  faultType: 'latency',
  score: 12.5,
  evidence: { metrics: [], logs: [], events: [], changes: [] },
};
const target = { service: 'frontend', signal: 'latency_p99' };
const quiet =
  'the target frontend/latency_p99 shows no anomaly in the window; listed: the services in its call tree that show its latency';

describe('the RCA narrative', () => {
  it('says first what limits the candidates, so a quiet target is not read as a confident diagnosis', () => {
    const text = templateNarrative([payment], target, quiet);
    expect(text.startsWith('The target frontend/latency_p99 shows no anomaly in the window; listed:')).toBe(
      true,
    );
    expect(text).toContain('most likely starts at payment (latency');
    expect(narrativePrompt([payment], target, quiet)).toContain(`Caveat (say it): ${quiet}`);
  });

  it('leads with the cause when nothing limits the candidates, and gives the reason when there are none', () => {
    expect(
      templateNarrative([payment], target).startsWith(
        'The incident on frontend (latency_p99) most likely starts at payment',
      ),
    ).toBe(true);
    expect(narrativePrompt([payment], target)).not.toContain('Caveat');
    expect(templateNarrative([], target, 'no service shows an anomaly in the window')).toBe(
      'The incident on frontend (latency_p99): no root cause found. No service shows an anomaly in the window.',
    );
  });

  it('writes a change point as people read a time: to the second, in UTC, named so', () => {
    const slow: RcaCandidate = {
      ...payment,
      signal: 'latency_p99',
      evidence: {
        ...payment.evidence,
        metrics: [
          // 2026-12-07T18:54:04.064Z: ISO's `T` and milliseconds read as a machine's, not a sentence's.
          {
            signal: 'latency_p99',
            unit: 's',
            baselineMedian: 0.246,
            incidentValue: 1.57,
            deviation: 120,
            changePoint: 1796669644.064,
          },
        ],
      },
    };
    const text = templateNarrative([slow], target);
    expect(text).toContain('change at 2026-12-07 18:54:04 UTC)');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});
