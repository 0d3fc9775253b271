import { describe, expect, it } from 'vitest';
import { labelsFingerprint } from './fingerprint.js';

/** The arithmetic as written in the specification, with BigInt: the reference the limb version must match. */
function referenceFingerprint(labels: Record<string, string>): string {
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  let hash = 0xcbf29ce484222325n;
  const add = (bytes: Iterable<number>) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * prime) & mask;
  };
  const encoder = new TextEncoder();
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add([0xff]);
    add(encoder.encode(labels[name]!));
    add([0xff]);
  }
  return hash.toString(16).padStart(16, '0');
}

/** A deterministic pseudo-random generator (mulberry32), so a failure names a reproducible label set. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('labelsFingerprint', () => {
  it('gives prometheus/common model.LabelSet.Fingerprint test vectors', () => {
    // prometheus/common model/signature_test.go (TestLabelsToSignature), printed in hex as Alertmanager does.
    expect(labelsFingerprint({})).toBe(14695981039346656037n.toString(16).padStart(16, '0'));
    expect(labelsFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe(
      5799056148416392346n.toString(16).padStart(16, '0'),
    );
  });

  it('matches the BigInt arithmetic on 2,000 label sets, non-ASCII and empty values included', () => {
    const next = random(14);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789-./:= ,"é漢🙂\u00ff\u0080';
    const text = (max: number) =>
      Array.from(
        { length: Math.floor(next() * max) },
        () => [...alphabet][Math.floor(next() * [...alphabet].length)],
      ).join('');
    for (let i = 0; i < 2_000; i++) {
      const labels: Record<string, string> = {};
      const count = Math.floor(next() * 9);
      for (let j = 0; j < count; j++) labels[`l${j}_${text(6).replace(/[^A-Za-z0-9_]/g, '')}`] = text(40);
      expect(labelsFingerprint(labels), JSON.stringify(labels)).toBe(referenceFingerprint(labels));
    }
  });

  it('does not depend on the order the labels came in', () => {
    expect(labelsFingerprint({ b: '2', a: '1', service: 'checkout' })).toBe(
      labelsFingerprint({ service: 'checkout', a: '1', b: '2' }),
    );
  });
});
