import { createApp } from '@backstage/app-defaults';
import { createApiFactory } from '@backstage/core-plugin-api';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import type { ForecastResponse } from '../api/types';
import { timeFormat } from '../hooks/useTimeFormat';
import { ForecastCard } from './ForecastCard';

// A whole Backstage app (its real translation API and language selector) on a busy shared machine.
jest.setTimeout(60_000);

const T0 = 1_700_000_000;
const PEAK = T0 + 600;
const END = T0 + 900;

const forecast: ForecastResponse = {
  seriesKey: 'shop/cart/request_rate',
  model: 'holt-winters',
  reason: '',
  source: 'stored',
  modelVersion: 3,
  stepSeconds: 300,
  coverage: 0.9,
  history: Array.from({ length: 13 }, (_, i) => ({ t: T0 - 3600 + i * 300, value: 40 + 2 * i })),
  points: [
    { t: T0 + 300, value: 66, lower: 60, upper: 72 },
    { t: PEAK, value: 80, lower: 70, upper: 90 },
    { t: END, value: 70, lower: 55, upper: 85 },
  ],
};

const engine = {
  forecast: async () => forecast,
  scalePlan: async () => ({ unavailable: true as const, capability: 'scalePlan', message: 'no plan' }),
} as unknown as CloudOpsApi;

/** The card in an app that offers 中文; `language` as the user chose it before (Backstage keeps it in localStorage). */
function renderInApp(language: 'en' | 'zh') {
  localStorage.setItem('language', language);
  const app = createApp({
    apis: [createApiFactory(cloudOpsApiRef, engine)],
    // backend.baseUrl: the app's default permission API (the Backtest button asks it) reads it, as in a real app.
    configLoader: async () => [
      { context: 'test', data: { app: { title: 'test' }, backend: { baseUrl: 'http://localhost:7007' } } },
    ],
    components: { Router: ({ children: c }) => <MemoryRouter>{c}</MemoryRouter> },
    __experimentalTranslations: { availableLanguages: ['en', 'zh'] },
  });
  const AppProvider = app.getProvider();
  const AppRouter = app.getRouter();
  return render(
    <AppProvider>
      <AppRouter>
        <ForecastCard service="cart" namespace="shop" />
      </AppRouter>
    </AppProvider>,
  );
}

/** Hour:minute on a 24-hour clock in the machine's time zone, built without Intl: what the axis and the card show. */
const hhmm = (t: number) => {
  const d = new Date(t * 1000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

describe('ForecastCard times', () => {
  afterEach(() => localStorage.clear());

  test.each([
    ['en', `80 at ${hhmm(PEAK)} (70–90)`, `70 at ${hhmm(END)} (55–85)`],
    ['zh', `${hhmm(PEAK)} 时为 80（70–90）`, `${hhmm(END)} 时为 70（55–85）`],
  ] as const)(
    'under %s, the peak and end times read as the chart axis does (24-hour)',
    async (language, peak, end) => {
      const { container } = renderInApp(language);
      // jsdom lays out no axis ticks; the browser test reads the axis (entityTab.browser.test.ts).
      await screen.findByTestId('forecast-chart', {}, { timeout: 30_000 });
      expect(screen.getByText(peak)).toBeInTheDocument();
      expect(screen.getByText(end)).toBeInTheDocument();
      expect(container.textContent).not.toMatch(/\b[AP]M\b|上午|下午/);
    },
  );
});

describe('timeFormat', () => {
  const t = Date.UTC(2026, 11, 7, 16, 50) / 1000;

  test('clock and date in the given language, 24-hour', () => {
    expect(timeFormat('en').clock(t)).toBe(hhmm(t));
    expect(timeFormat('zh').clock(t)).toBe(hhmm(t));
    expect(timeFormat('zh').dateTime(t * 1000)).toMatch(/^2026年12月\d+日 \d\d:\d\d$/);
    expect(timeFormat('en').dateTime(new Date(t * 1000).toISOString())).toMatch(/^Dec \d+, 2026, \d\d:\d\d$/);
  });

  test('a language tag Intl refuses formats as English rather than failing the card', () => {
    expect(timeFormat('not a tag!').clock(t)).toBe(hhmm(t));
  });
});
