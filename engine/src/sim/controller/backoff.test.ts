import { describe, expect, it } from 'vitest';
import { goDuration, nextBackoffSeconds, ticksFor } from './backoff.js';
import { DEFAULT_TUNING } from './ControllerContext.js';

describe('kubelet back-off', () => {
  it('waits 10 s after the first failure and doubles to the 5-minute cap', () => {
    const waits: number[] = [];
    let wait = 0;
    for (let i = 0; i < 8; i++) waits.push((wait = nextBackoffSeconds(wait, DEFAULT_TUNING)));
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('counts the wait in whole ticks of cluster time, at least one', () => {
    expect(ticksFor(10, { secondsPerTick: 1 })).toBe(10);
    expect(ticksFor(10, { secondsPerTick: 10 })).toBe(1);
    expect(ticksFor(300, { secondsPerTick: 60 })).toBe(5);
    expect(ticksFor(10, { secondsPerTick: 60 })).toBe(1);
    expect(ticksFor(20, { secondsPerTick: 15 })).toBe(2);
  });

  it('prints waits the way Go prints a time.Duration', () => {
    expect([10, 40, 80, 160, 300, 3725].map(goDuration)).toEqual([
      '10s',
      '40s',
      '1m20s',
      '2m40s',
      '5m0s',
      '1h2m5s',
    ]);
  });
});
