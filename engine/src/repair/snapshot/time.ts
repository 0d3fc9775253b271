/**
 * Timestamps arrive as RFC 3339 strings (YAML, JSON) or Date objects (client-node deserializes them); every reader
 * goes through these two helpers so detectors never care which.
 */
export function toMillis(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

export function toIso(value: unknown): string | undefined {
  const ms = toMillis(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Seconds from `from` to `now`, never negative; undefined when `from` is unknown. */
export function secondsSince(from: unknown, now: Date): number | undefined {
  const ms = toMillis(from);
  return ms === undefined ? undefined : Math.max(0, (now.getTime() - ms) / 1000);
}
