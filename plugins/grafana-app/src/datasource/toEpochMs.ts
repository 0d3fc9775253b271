/**
 * Engine times arrive as unix seconds (query_range), and capability payloads may use milliseconds or ISO-8601.
 * Anything below 1e11 is taken as seconds: 1e11 ms is 1973, 1e11 s is the year 5138.
 */
export function toEpochMs(t: number | string): number {
  if (typeof t === 'number') {
    return t < 1e11 ? t * 1000 : t;
  }
  if (/^\d+(\.\d+)?$/.test(t)) {
    return toEpochMs(Number(t));
  }
  const parsed = Date.parse(t);
  if (Number.isNaN(parsed)) {
    throw new Error(`not a time: ${t}`);
  }
  return parsed;
}
