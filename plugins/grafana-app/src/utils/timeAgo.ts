import i18next from 'i18next';
import { DEFAULT_LANGUAGE } from '@grafana/i18n';
import pluginJson from '../plugin.json';

/*
 * Grafana's dateTimeFormatTimeAgo is moment's fromNow in moment's global locale. Grafana sets that locale to the
 * user's language, but moment has no 'zh-Hans' (only zh-cn, zh-tw, ...): moment.locale('zh-Hans') stays 'en', so a
 * 简体中文 user read '25 minutes ago发生'. Intl.RelativeTimeFormat knows every language the browser does.
 */

/**
 * The language the plugin's text is in: the first of i18next's lookup order (the user's language, then its
 * fallbacks) that the plugin ships a catalog for, as t() resolves it. A German user reads the plugin's English
 * defaults, so 'opened 25 minutes ago', not 'opened vor 25 Minuten'. i18next is Grafana's shared instance (external).
 */
export function pluginLanguage(): string {
  return (i18next.languages ?? []).find((language) => pluginJson.languages.includes(language)) ?? DEFAULT_LANGUAGE;
}

// moment's fromNow steps, so English reads as it did: under 45 s in seconds, under 45 min in minutes, under 22 h in
// hours, under 26 days in days, under 11 months in months, then years; each value rounded.
const STEPS: Array<[Intl.RelativeTimeFormatUnit, number, number]> = [
  ['second', 1000, 45],
  ['minute', 60_000, 45],
  ['hour', 3_600_000, 22],
  ['day', 86_400_000, 26],
  // moment's average month and year: 146097 days per 4800 months.
  ['month', (146_097 / 4800) * 86_400_000, 11],
  ['year', (146_097 / 400) * 86_400_000, Infinity],
];

/** How long before or after now an engine time is, in the plugin's language: '25 minutes ago', '25分钟前', 'in 2 hours'. */
export function timeAgo(at: number | string, now: number = Date.now()): string {
  const ms = new Date(at).getTime() - now;
  const [unit, size] =
    STEPS.find(([, stepMs, below]) => Math.round(Math.abs(ms) / stepMs) < below) ?? STEPS[STEPS.length - 1]!;
  const value = Math.round(Math.abs(ms) / size);
  // A past time is negative ('ago'); exactly now reads as past, not 'in 0 seconds'.
  return new Intl.RelativeTimeFormat(pluginLanguage()).format(ms > 0 ? value : -value, unit);
}
