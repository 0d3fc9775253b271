import { dateTimeFormat } from '@grafana/data';

/*
 * Absolute times on every page, in UTC and named so; a relative time ('5 minutes ago', timeAgo.ts, which has no
 * zone) shows its utcDateTime on hover. The Root cause and Forecast pages draw their charts in UTC and
 * the engine's narrative writes '2026-12-07 18:54:04 UTC'; the walk found a table in the browser's zone with no zone
 * named, a tooltip with seconds and 'changed at 19:43:00' beside 'onset 19:43:00 UTC'. The zone is an abbreviation,
 * the same in every language.
 */

/** Epoch milliseconds or an ISO time from the engine as '2026-12-07 18:54:04 UTC', the engine narrative's format. */
export function utcDateTime(at: number | string): string {
  return `${dateTimeFormat(at, { timeZone: 'utc', format: 'YYYY-MM-DD HH:mm:ss' })} UTC`;
}

/** Unix seconds as UTC wall-clock time without the zone, for a range or a sentence that names it once. */
export function wallClock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(11, 19);
}

/** Unix seconds as UTC wall-clock time, named so: '18:54:04 UTC'. */
export function utcClock(seconds: number): string {
  return `${wallClock(seconds)} UTC`;
}
