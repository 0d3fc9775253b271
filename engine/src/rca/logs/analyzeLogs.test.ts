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
    ...Array.from({ length: 12 }, (_, i) => ({
      service: 'cart',
      timestamp: 610 + i * 20,
      message: `ERROR redis timeout after ${i} retries`,
    })),
  ];

  it('does not call more traffic a burst when counts scale with the service volume', () => {
    const settings = rcaConfigSchema.parse({}).logs;
    expect(settings.normalizeByVolume).toBe(true);
    expect(analyzeLogs(busier, window, settings).get('cart')).toBeUndefined();
    // By elapsed time alone, four times the traffic looks like every template bursting.
    const byTime = analyzeLogs(busier, window, { ...settings, normalizeByVolume: false }).get('cart');
    expect(byTime?.evidence.length).toBe(2);
  });

  it('masks a password or token in the template and sample it returns (results are served to every viewer)', () => {
    const settings = rcaConfigSchema.parse({}).logs;
    const leaking = [
      ...busier,
      ...Array.from({ length: 12 }, (_, i) => ({
        service: 'cart',
        timestamp: 610 + i * 20,
        message: `ERROR login to redis://cache:6379 failed password=hunter2xyz attempt ${i}`,
      })),
    ];
    const evidence = analyzeLogs(leaking, window, settings).get('cart')!.evidence[0]!;
    expect(evidence.template).toContain('failed password=');
    expect(`${evidence.template} ${evidence.sample}`).not.toContain('hunter2xyz');
    expect(evidence.sample).toContain('ERROR login to redis://cache:6379 failed');
  });

  it('still finds a new failure template in a busier period', () => {
    const settings = rcaConfigSchema.parse({}).logs;
    const result = analyzeLogs(failing, window, settings).get('cart');
    expect(result?.evidence[0]?.template).toContain('redis timeout');
    expect(result?.evidence[0]?.isNew).toBe(true);
    expect(result?.evidence).toHaveLength(1);
  });

  it('calls a new state word a new template although Drain merged it into a known one', () => {
    const settings = rcaConfigSchema.parse({}).logs;
    // The same sentence with another state word: `Stopped` appears only after the onset. Plain Drain turns the state
    // into `<*>` and sees no new event; the event keys of the miner (few-valued words split off) see one.
    const vm = (t: number, state: string) => ({
      service: 'nova',
      timestamp: t,
      message: `[instance: b9000564-fe1a] VM ${state} (Lifecycle Event)`,
    });
    const logs = [
      ...Array.from({ length: 60 }, (_, i) => vm(i * 10, 'Started')),
      ...Array.from({ length: 30 }, (_, i) => vm(600 + i * 10, 'Started')),
      ...Array.from({ length: 10 }, (_, i) => vm(605 + i * 20, 'Stopped')),
    ];
    const result = analyzeLogs(logs, window, settings).get('nova');
    expect(result?.evidence[0]?.template).toContain('VM Stopped');
    expect(result?.evidence[0]?.isNew).toBe(true);
  });
});
