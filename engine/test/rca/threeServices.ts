import type { SignalSeries } from '../../src/rca/types.js';

/**
 * Synthetic incidents on frontend → api → store, one minute a point: an hour of baseline, then 20 minutes of
 * incident. Each series is a level, a deterministic wobble of `noise` (k picks its phase) and `shift` from the start.
 */
export const times = Array.from({ length: 80 }, (_, i) => i * 60);
export const window = { baselineStart: 0, start: 3600, end: 4740 };
const wobble = (i: number, k: number) => (((i + 3) * (k + 7) * 7919) % 17) / 17 - 0.5;

export function series(
  service: string,
  signal: string,
  k: number,
  level: number,
  noise: number,
  shift: number,
): SignalSeries {
  return {
    service,
    signal,
    badDirection: 'up',
    timestamps: times,
    values: times.map((t, i) => level + noise * wobble(i, k) + (t >= window.start ? shift : 0)),
  };
}

export const graph = {
  services: ['frontend', 'api', 'store'],
  edges: [
    { from: 'frontend', to: 'api', origin: 'config' as const },
    { from: 'api', to: 'store', origin: 'config' as const },
  ],
};
