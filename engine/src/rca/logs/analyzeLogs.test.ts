import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../config.js';
import { analyzeLogs } from './analyzeLogs.js';
import type { LogRecord } from '../types.js';

const window = { baselineStart: 0, start: 600, end: 900 };

/** `perMinute` lines of two steady templates per minute over [from, to), plus what `extra` adds. */
function lines(from: number, to: number, perMinute: number): LogRecord[] {
  const out: LogRecord[] = [];
  for (let t = from; t < to; t += 60 / perMinute) {
    const i = out.length;
    out.push({ service: 'cart', timestamp: t, message: `served cart ${i} in ${i % 13} ms` });
    out.push({ service: 'cart', timestamp: t + 0.5, message: `cache hit for user u${i}` });
  }
  return out;
}

describe('analyzeLogs', () => {
  const busier = [...lines(0, 600, 2), ...lines(600, 900, 8)];
  const failing = [
    ...busier,
    ...Array.from({ length: 12 }, (_, i) => ({ service: 'cart', timestamp: 610 + i * 20, message: `ERROR redis timeout after ${i} retries` })),
  ];

  it('does not call more traffic a burst when counts scale with the service volume', () => {
    const settings = rcaConfigSchema.parse({}).logs;
    expect(settings.normalizeByVolume).toBe(true);
    expect(analyzeLogs(busier, window, settings).get('cart')).toBeUndefined();
    // By elapsed time alone, four times the traffic looks like every template bursting.
    const byTime = analyzeLogs(busier, window, { ...settings, normalizeByVolume: false }).get('cart');
    expect(byTime?.evidence.length).toBe(2);
  });

  it('still finds a new failure template in a busier period', () => {
    const settings = rcaConfigSchema.parse({}).logs;
    const result = analyzeLogs(failing, window, settings).get('cart');
    expect(result?.evidence[0]?.template).toContain('redis timeout');
    expect(result?.evidence[0]?.isNew).toBe(true);
    expect(result?.evidence).toHaveLength(1);
  });
});
