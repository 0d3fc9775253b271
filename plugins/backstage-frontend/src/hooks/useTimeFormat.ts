import { useEffect, useMemo, useState } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { appLanguageApiRef } from '@backstage/core-plugin-api/alpha';

/**
 * Every time the plugin shows, formatted one way: in the app's language (the one its texts are in, not the
 * browser's), on a 24-hour clock (the forecast chart's axis, and so the card's words beside it), in the browser's
 * time zone.
 */
export interface TimeFormat {
  /** Hour and minute of a time in epoch seconds, as the forecast chart's axis labels it: 16:50. */
  clock(epochSeconds: number): string;
  /** The same, with the time zone's name, for a tooltip: 16:50 UTC. */
  clockWithZone(epochSeconds: number): string;
  /** Date, hour and minute of an ISO timestamp (or epoch milliseconds): Dec 7, 2026, 16:50 / 2026年12月7日 16:50. */
  dateTime(value: string | number): string;
}

const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** Formats for `language`; a tag Intl does not accept formats as English, the language the texts then fall back to. */
export function timeFormat(language: string | undefined): TimeFormat {
  const format = (options: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat(language, options);
    } catch {
      return new Intl.DateTimeFormat('en', options);
    }
  };
  const clock = format(CLOCK);
  const clockWithZone = format({ ...CLOCK, timeZoneName: 'short' });
  const dateTime = format({ ...CLOCK, year: 'numeric', month: 'short', day: 'numeric' });
  return {
    clock: (t) => clock.format(new Date(t * 1000)),
    clockWithZone: (t) => clockWithZone.format(new Date(t * 1000)),
    dateTime: (v) => dateTime.format(new Date(v)),
  };
}

/** The app's language, following the user's choice; undefined in an app without a language API. */
export function useAppLanguage(): string | undefined {
  const languageApi = useApiHolder().get(appLanguageApiRef);
  const [language, setLanguage] = useState(() => languageApi?.getLanguage().language);
  useEffect(() => {
    if (!languageApi) return undefined;
    setLanguage(languageApi.getLanguage().language);
    const subscription = languageApi.language$().subscribe(({ language: l }) => setLanguage(l));
    return () => subscription.unsubscribe();
  }, [languageApi]);
  return language;
}

/** {@link timeFormat} in the app's language. */
export function useTimeFormat(): TimeFormat {
  const language = useAppLanguage();
  return useMemo(() => timeFormat(language), [language]);
}
