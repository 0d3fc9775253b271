/**
 * mulberry32: a small, fast, seedable PRNG. Everything random in the engine (simulation noise, demo faults, LSTM
 * window sampling, randomized SVD, benchmark data) draws from it so runs with the same seed repeat exactly.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
