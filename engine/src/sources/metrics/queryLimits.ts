/**
 * Limits on what one metrics query may cost, enforced before any work starts so an expensive query is a 400 naming
 * the field instead of minutes of CPU. Measured on the demo source (2-core machine): it generates ~10M samples/s, and
 * `rate(http_requests_total[365d])` read 132M samples (13 s of CPU, 1 GB) before these limits.
 */
export const QUERY_LIMITS = {
  /** PromQL text length; the longest configured signal template is ~250 characters. */
  maxQueryChars: 8_192,
  /**
   * Nesting depth of the PromQL syntax tree. A 3,000-term sum nests 3,000 deep and overflowed the stack (500); the
   * configured signals nest under 20. 128 leaves room for generated queries and stays far from the stack.
   */
  maxQueryDepth: 128,
  /** end − start of a range query: a quarter, beyond the forecast's 30-day history default (forecast.historyDays). */
  maxRangeSpanSeconds: 92 * 86_400,
  /** Range-vector window such as `[30d]` (demo source; Prometheus applies its own limits). */
  maxRangeWindowSeconds: 31 * 86_400,
  /** Points per series; Prometheus refuses more than 11,000 too. */
  maxPointsPerSeries: 11_000,
  /**
   * Samples one demo query may read, summed over its selectors: Prometheus' own default (--query.max-samples). At
   * ~10M samples/s that is ~5 s of work, done in slices with yields so the event loop stays free.
   */
  maxSamples: 50_000_000,
} as const;

/** `2,592,000 s (30 d)` for messages. */
export function describeSeconds(seconds: number): string {
  if (seconds >= 86_400) return `${+(seconds / 86_400).toFixed(2)}d`;
  if (seconds >= 3_600) return `${+(seconds / 3_600).toFixed(2)}h`;
  return `${+seconds.toFixed(3)}s`;
}
