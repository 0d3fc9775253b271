import { seededRandom } from '../../util/seededRandom.js';

/** Seeded randomness so a simulation with the same seed produces the same names, logs and timings. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export type Random = () => number;

export function createRandom(seed: number): Random {
  return seededRandom(seed);
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes-style name suffixes (no vowels, so no accidental words). */
export function safeSuffix(random: Random, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[Math.floor(random() * SAFE_ALPHABET.length)];
  return out;
}

/** Encodes a 32-bit hash the way pod-template-hash values look (`7d4b9c8f6`). */
export function safeEncode(hash: number): string {
  let out = '';
  let h = hash >>> 0;
  do {
    out += SAFE_ALPHABET[h % SAFE_ALPHABET.length];
    h = Math.floor(h / SAFE_ALPHABET.length);
  } while (h > 0);
  return out;
}

/** Deterministic UUIDs (v4 layout) from a seeded stream, for reproducible object uids. */
export function uuidFrom(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
