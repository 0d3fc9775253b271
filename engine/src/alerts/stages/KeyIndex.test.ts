import { describe, expect, it } from 'vitest';
import { labelsFingerprint } from '../fingerprint.js';
import type { AlertEvent } from '../types.js';
import { feed, firing, S, T0 } from '../../../test/support/alertPipelineFixture.js';
import { KeyIndex } from './KeyIndex.js';

const resolved = (labels: Record<string, string>, startsAt: number): AlertEvent => ({
  ...firing(labels, startsAt),
  status: 'resolved',
});

describe('KeyIndex', () => {
  it('drops members that lead nowhere (resolved) as a scan meets them, keeps the answer, and takes them back when set again', () => {
    const gone = { alertname: 'HighErrorRate', severity: 'critical', service: 'cart' };
    const live = { alertname: 'HighLatency', severity: 'critical', service: 'cart' };
    const p = feed([], [firing(gone, T0), firing(live, T0 + 10 * S)]);
    p.ingest([resolved(gone, T0)], T0 + 20 * S);
    const index = new KeyIndex();
    index.set(labelsFingerprint(gone), ['cart']);
    index.set(labelsFingerprint(live), ['cart']);

    const found = index.incidentThrough('cart', 'newcomer', p, T0 + 30 * S, T0 + 30 * S);
    expect(found?.via).toBe(labelsFingerprint(live));
    expect([...index.members('cart')]).toEqual([labelsFingerprint(live)]);

    // A new episode is observed again, and the stage set()s it back.
    p.ingest([firing(gone, T0 + 40 * S)], T0 + 40 * S);
    index.set(labelsFingerprint(gone), ['cart']);
    expect([...index.members('cart')]).toEqual([labelsFingerprint(live), labelsFingerprint(gone)]);
  });

  it('orders members as removing and adding did, whether an alert keeps its keys or changes them', () => {
    // The reference: every set() removes the fingerprint from all its keys, then appends it to each new one.
    const reference = new Map<string, string[]>();
    const keysOf = new Map<string, string[]>();
    const index = new KeyIndex();
    let seed = 5;
    const next = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const keySets = [[], ['a'], ['b'], ['a', 'b'], ['b', 'a'], ['c'], ['a', 'c']];
    for (let step = 0; step < 3_000; step++) {
      const fingerprint = `f${next(12)}`;
      const keys = keySets[next(keySets.length)]!;
      for (const key of keysOf.get(fingerprint) ?? [])
        reference.set(
          key,
          (reference.get(key) ?? []).filter((f) => f !== fingerprint),
        );
      for (const key of keys)
        reference.set(key, [...(reference.get(key) ?? []).filter((f) => f !== fingerprint), fingerprint]);
      keysOf.set(fingerprint, keys);
      index.set(fingerprint, keys);
      for (const key of ['a', 'b', 'c'])
        expect([...index.members(key)], `step ${step}, key ${key}`).toEqual(reference.get(key) ?? []);
    }
  });
});
