import { candidateReason, leadOf } from './candidateReason';

describe('leadOf', () => {
  test('keeps at most three sentences and says when more exist', () => {
    expect(leadOf('One. Two. Three.')).toEqual({ lead: 'One. Two. Three.', truncated: false });
    expect(leadOf('One. Two. Three. Four is more.')).toEqual({ lead: 'One. Two. Three.', truncated: true });
  });

  test('decimals do not end a sentence', () => {
    expect(leadOf('error_ratio went from 0.00334 to 0.3. Done.').lead).toBe(
      'error_ratio went from 0.00334 to 0.3. Done.'
    );
  });

  test('whole sentences that fit come before a clause cut in a later sentence', () => {
    // The demo engine's template narrative (shortened numbers): its first sentence fits in 240 characters, the
    // second does not.
    const first =
      "The incident most likely starts at payment (latency, score 86.5): latency_p99 went from 0.246 to 1.57 s (far above the baseline's range, over 100 robust σ (×6.4), change at 2026-12-07T18:54:04Z).";
    const second =
      'Other suspects: checkout (latency: latency_p99 went from 0.205 to 0.905 s (+88.5 robust σ, change at 2026-12-07T18:54:49Z)); frontend (latency: latency_p99 went from 0.135 to 0.547 s (+36.0 robust σ)).';
    expect(leadOf(`${first} ${second}`)).toEqual({ lead: first, truncated: true });
  });

  test('a long first sentence is cut at a clause boundary', () => {
    const text = `The incident most likely starts at cart (oom, score 0.9): ${'memory went up; '.repeat(20)}end.`;
    const { lead, truncated } = leadOf(text);
    expect(truncated).toBe(true);
    expect(lead.length).toBeLessThanOrEqual(242);
    expect(lead).toMatch(
      /^The incident most likely starts at cart \(oom, score 0\.9\)(: memory went up)*(; memory went up)* …$/
    );
  });
});

describe('candidateReason', () => {
  const base = { service: 'cart', signal: 'restarts', faultType: 'oom', score: 0.8 };
  test('names the move and the earliest change', () => {
    const reason = candidateReason({
      ...base,
      evidence: {
        metrics: [{ signal: 'memory', unit: 'bytes', baselineMedian: 100, incidentValue: 250, deviation: 9 }],
        logs: [],
        events: [],
        changes: [
          { time: 7200, kind: 'config', description: 'limit lowered' },
          { time: 3600, kind: 'rollout', description: 'v2' },
        ],
      },
    });
    expect(reason).toBe('cart: memory went from 100 to 250 bytes (+9 robust σ) after a rollout at 01:00:00 UTC.');
  });

  test('a change after the move did not come before it: not "after a restart" that followed, the warning instead', () => {
    // As the demo's OOM kill read: error_ratio changed at 22:11:55, the restart listed is the last one, at 22:34:39.
    const reason = candidateReason({
      ...base,
      evidence: {
        metrics: [
          { signal: 'error_ratio', baselineMedian: 0.00247, incidentValue: 0.202, deviation: 82, changePoint: 3600 },
        ],
        logs: [],
        events: [{ time: 1, type: 'Warning', reason: 'BackOff', message: 'x', count: 3, object: 'Pod/cart-1' }],
        changes: [{ time: 5000, kind: 'restart', description: 'cart restarted' }],
      },
    });
    expect(reason).toBe(
      'cart: error_ratio went from 0.00247 to 0.202 (+82 robust σ) with BackOff events on Pod/cart-1.'
    );
  });

  test('without a change, the first warning event explains it', () => {
    const reason = candidateReason({
      ...base,
      evidence: {
        metrics: [],
        logs: [],
        events: [{ time: 1, type: 'Warning', reason: 'OOMKilling', message: 'x', count: 3, object: 'Pod/cart-1' }],
        changes: [],
      },
    });
    expect(reason).toBe('cart: restarts moved with OOMKilling events on Pod/cart-1.');
  });
});
