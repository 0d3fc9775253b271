/**
 * Deterministic pseudo-randomness as a pure function of its inputs (no generator state), so any sample of the
 * synthetic metrics can be computed on its own, in any order, and always comes out the same.
 */
export function hashString(text: string, seed = 0): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** Uniform in [0, 1) from a 32-bit key and an integer index (splitmix-style mixing). */
export function unitNoise(key: number, index: number): number {
  let x =
    (key ^ Math.imul(index | 0, 0x9e3779b1) ^ Math.imul(Math.floor(index / 4294967296), 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  return x / 4294967296;
}
