import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTheme, OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import { ForecastPage } from './ForecastPage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes } from '../test/FakeBackendSrv';
import { installRecordingCanvas } from '../test/recordingCanvas';
import type { ForecastResponse, ScalePlanResponse, SignalCatalog } from '../api/types';
import appJson from '../plugin.json';
import appZh from '../locales/zh-Hans/aicloudops-cloudops-app.json';
import { resetTranslations, switchLanguage } from '../locales/testTranslations';

const T0 = 1_764_064_800; // 2025-11-25T10:00:00Z

const forecastBody = {
  seriesKey: 'shop/cart/request_rate',
  model: 'seasonal-naive',
  reason: 'too little history for Holt-Winters',
  source: 'cold-start',
  stepSeconds: 600,
  coverage: 0.874,
  points: [0, 1, 2, 3, 4].map((i) => ({ t: T0 + i * 600, value: 100 + i, lower: 90 + i, upper: 110 + i })),
  history: [
    { t: T0 - 1200, value: 98 },
    { t: T0 - 600, value: 99 },
  ],
} satisfies ForecastResponse;

/**
 * jsdom does no layout. Grafana's VizLayout draws the plot only once its legend has been measured (a ResizeObserver
 * through react-use's useMeasure), so this stand-in reports every observed box as 800 × 40 px, as a browser would
 * report a one-line legend.
 */
class SizedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const rect = { x: 0, y: 0, top: 0, left: 0, right: 800, bottom: 40, width: 800, height: 40 };
    setTimeout(
      () => this.callback([{ target, contentRect: rect } as unknown as ResizeObserverEntry], this as never),
      0
    );
  }
  unobserve() {}
  disconnect() {}
}

describe('ForecastPage', () => {
  // jsdom has no canvas: the chart (uPlot) draws on the recording stand-in, so the test can see what it stroked.
  let canvas: ReturnType<typeof installRecordingCanvas>;
  const inert = global.ResizeObserver;
  beforeEach(() => {
    canvas = installRecordingCanvas();
    global.ResizeObserver = SizedResizeObserver as unknown as typeof ResizeObserver;
  });
  afterEach(async () => {
    await resetTranslations();
    canvas.restore();
    global.ResizeObserver = inert;
  });

  test('asks for the chosen service and signal and draws history, band and replica plan in one chart', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
          status: 200,
          body: {
            serviceLabel: 'service',
            window: '5m',
            items: [
              { name: 'request_rate', query: 'q', unit: 'req/s', badDirection: 'both' },
              { name: 'latency_p99', query: 'q2', unit: 's', badDirection: 'up' },
            ],
          } satisfies SignalCatalog,
        }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => ({ status: 200, body: forecastBody }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/scale-plan`]: () => ({
          status: 200,
          body: {
            workload: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
            cluster: 'simulated',
            forecast: forecastBody,
            capacitySource: 'learned',
            plan: {
              capacityPerReplica: 40,
              currentReplicas: 2,
              recommendedReplicas: 3,
              reason: '3 replicas cover the peak',
              steps: forecastBody.points.map((p) => ({ t: p.t, demand: p.value, needed: 3, replicas: 3 })),
            },
          } satisfies ScalePlanResponse,
        }),
      })
    ).install();

    render(<ForecastPage />);
    const service = screen.getByTestId(testIds.forecast.service);
    await userEvent.clear(service);
    await userEvent.type(service, 'cart');
    await userEvent.clear(screen.getByTestId(testIds.forecast.horizon));
    await userEvent.type(screen.getByTestId(testIds.forecast.horizon), '50');
    const signal = screen.getByRole('combobox', { name: 'Signal' });
    expect(signal).toHaveValue('request_rate');
    await userEvent.click(signal);
    await userEvent.click(await screen.findByRole('option', { name: 'latency_p99' }));
    expect(signal).toHaveValue('latency_p99');
    await userEvent.click(screen.getByTestId(testIds.forecast.run));

    const result = await screen.findByTestId(testIds.forecast.result);
    expect(result).toHaveTextContent(
      'Model seasonal-naive fitted now (no trained model yet); shaded band: 87% prediction interval'
    );
    // The engine's reason is collapsed under a short label, shown on a click.
    expect(result).not.toHaveTextContent('too little history for Holt-Winters');
    await userEvent.click(within(result).getByText('Why this model'));
    expect(result).toHaveTextContent('too little history for Holt-Winters');
    // One chart: its legend names observed, forecast, planned capacity and replicas (the band edges are hidden).
    const chart = screen.getByTestId(testIds.forecast.chart);
    await waitFor(() => expect(chart.querySelector('[data-testid="uplot-main-div"] canvas')).not.toBeNull(), {
      timeout: 10000,
    });
    for (const name of ['observed', 'forecast', 'planned capacity', 'replicas']) {
      expect(within(chart).getByText(name)).toBeInTheDocument();
    }
    expect(within(chart).queryByText('interval lower')).not.toBeInTheDocument();
    // The replica step line stroked in its own colour; the right axis labelled in replicas.
    const green = createTheme().visualization.getColorByName('green');
    await waitFor(() => expect(canvas.calls.some((c) => c.method === 'stroke' && c.strokeStyle === green)).toBe(true));
    expect(canvas.calls.some((c) => c.method === 'fillText' && c.args[0] === 'replicas')).toBe(true);
    expect(screen.getByTestId(testIds.forecast.plan)).toHaveTextContent(
      'Replica plan for Deployment cart: 3 replicas (now 2) · capacity per replica 40.0 s (learned from CPU)3 replicas cover the peak'
    );
    // A one-line plan reason is shown as it is, not collapsed.
    expect(within(screen.getByTestId(testIds.forecast.plan)).queryByText('Why this plan')).not.toBeInTheDocument();
    const rows = within(result).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      '2025-11-25 10:00:00 UTC100.090.00 – 110.0',
      '2025-11-25 10:20:00 UTC102.092.00 – 112.0',
      '2025-11-25 10:40:00 UTC104.094.00 – 114.0',
    ]);
    expect(within(result).getByText('Forecast (s)')).toBeInTheDocument();

    const sent = srv.requests.find((r) => r.path.endsWith('/api/v1/forecast'))!;
    expect(sent.data).toEqual({
      namespace: 'shop',
      service: 'cart',
      signal: 'latency_p99',
      horizonMinutes: 50,
      historyHours: 3,
    });
    const planned = srv.requests.find((r) => r.path.endsWith('/api/v1/scale-plan'))!;
    expect(planned.data).toMatchObject({ service: 'cart', workload: { name: 'cart' }, mode: 'recommend' });
  });

  test('a plan reason longer than a line is collapsed under its headline, shown on a click', async () => {
    const reason =
      '5 replicas for the forecast demand 72.2 in 75s (pod start-up 60s + one 15s sync) times the learnt margin 1 at 16.1 per replica (target utilisation 0.8); unchanged while within the HPA tolerance of 3';
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
          status: 200,
          body: { serviceLabel: 'service', window: '5m', items: [] },
        }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => ({ status: 200, body: forecastBody }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/scale-plan`]: () => ({
          status: 200,
          body: {
            workload: { kind: 'Deployment', namespace: 'shop', name: 'frontend' },
            cluster: 'simulated',
            forecast: forecastBody,
            capacitySource: 'learned',
            plan: {
              capacityPerReplica: 16.1,
              currentReplicas: 3,
              recommendedReplicas: 5,
              reason,
              steps: forecastBody.points.map((p) => ({ t: p.t, demand: p.value, needed: 5, replicas: 5 })),
            },
          } satisfies ScalePlanResponse,
        }),
      })
    ).install();
    render(<ForecastPage />);
    await userEvent.click(screen.getByTestId(testIds.forecast.run));
    const plan = await screen.findByTestId(testIds.forecast.plan);
    expect(plan).toHaveTextContent('Replica plan for Deployment frontend: 5 replicas (now 3)');
    expect(plan).not.toHaveTextContent('pod start-up');
    await userEvent.click(within(plan).getByText('Why this plan'));
    expect(within(plan).getByText(reason)).toBeInTheDocument();
  });

  test('in zh-Hans the replica plan reads as Chinese phrases: no space after the colon, full-width brackets', async () => {
    await switchLanguage(appJson.id, 'zh-Hans', appZh);
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
          status: 200,
          body: { serviceLabel: 'service', window: '5m', items: [] },
        }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => ({ status: 200, body: forecastBody }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/scale-plan`]: () => ({
          status: 200,
          body: {
            workload: { kind: 'Deployment', namespace: 'shop', name: 'frontend' },
            cluster: 'simulated',
            forecast: forecastBody,
            capacitySource: 'learned',
            plan: {
              capacityPerReplica: 16.1,
              currentReplicas: 3,
              recommendedReplicas: 3,
              reason: '3 replicas cover the peak',
              steps: forecastBody.points.map((p) => ({ t: p.t, demand: p.value, needed: 3, replicas: 3 })),
            },
          } satisfies ScalePlanResponse,
        }),
      })
    ).install();
    render(<ForecastPage />);
    await userEvent.click(screen.getByTestId(testIds.forecast.run));
    // It read 'Deployment frontend 的副本计划： 3 个副本' and '单副本容量 16.1 (从 CPU 学习得出)': a space after the
    // full-width colon, English brackets around Chinese.
    const plan = await screen.findByTestId(testIds.forecast.plan);
    expect(plan.textContent).toMatch(
      /^Deployment frontend 的副本计划：3 个副本（当前 3） · 单副本容量 16.1（从 CPU 学习得出）/
    );
  });

  test('a Viewer gets the forecast without asking for a replica plan, and cannot start a backtest', async () => {
    config.bootData.user.orgRole = OrgRole.Viewer;
    try {
      const srv = new FakeBackendSrv(
        routes({
          [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
            status: 200,
            body: { serviceLabel: 'service', window: '5m', items: [] },
          }),
          [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => ({ status: 200, body: forecastBody }),
        })
      ).install();
      render(<ForecastPage />);
      // A Grafana Button with a tooltip is disabled through aria-disabled (and drops its click), so the tooltip can say why.
      expect(screen.getByTestId(testIds.forecast.backtest)).toHaveAttribute('aria-disabled', 'true');
      await userEvent.click(screen.getByTestId(testIds.forecast.run));
      await screen.findByTestId(testIds.forecast.chart);
      expect(screen.queryByTestId(testIds.forecast.plan)).not.toBeInTheDocument();
      expect(srv.requests.map((r) => r.path).filter((p) => p.endsWith('/scale-plan'))).toEqual([]);
    } finally {
      config.bootData.user.orgRole = OrgRole.Admin;
    }
  });

  test('says what to do before the first forecast, and that it is fitting while the engine works', async () => {
    let answer: (reply: { status: number; body: unknown }) => void = () => undefined;
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
          status: 200,
          body: { serviceLabel: 'service', window: '5m', items: [] },
        }),
        // Held until the test answers, as a fit of several models on days of history takes seconds.
        [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => new Promise((resolve) => (answer = resolve)),
        [`POST ${ENGINE_PROXY_URL}/api/v1/scale-plan`]: () => ({
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'no workload' } },
        }),
      })
    ).install();

    render(<ForecastPage />);
    expect(screen.getByText(/Pick a service and a signal, then Forecast/)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.forecast.loading)).not.toBeInTheDocument();

    await userEvent.click(screen.getByTestId(testIds.forecast.run));
    expect(await screen.findByTestId(testIds.forecast.loading)).toHaveTextContent('Fitting the models to the history');
    expect(screen.queryByText(/Pick a service and a signal/)).not.toBeInTheDocument();

    answer({ status: 200, body: forecastBody });
    await screen.findByTestId(testIds.forecast.result);
    expect(screen.queryByTestId(testIds.forecast.loading)).not.toBeInTheDocument();
  });

  test('explains a missing endpoint instead of failing silently', async () => {
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
          status: 200,
          body: { serviceLabel: 'service', window: '5m', items: [] },
        }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => ({
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'Route POST:/api/v1/forecast not found' } },
        }),
      })
    ).install();

    render(<ForecastPage />);
    await userEvent.click(screen.getByTestId(testIds.forecast.run));

    const alert = await screen.findByTestId(testIds.forecast.error);
    expect(alert).toHaveTextContent('NOT_FOUND: Route POST:/api/v1/forecast not found');
    expect(alert).toHaveTextContent('does not serve this endpoint yet');
  });

  test('Enter in a field asks for the forecast, as on the Overview and Repairs pages', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
          status: 200,
          body: { serviceLabel: 'service', window: '5m', items: [] },
        }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => ({ status: 200, body: forecastBody }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/scale-plan`]: () => ({
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'no workload' } },
        }),
      })
    ).install();
    render(<ForecastPage />);
    const service = screen.getByTestId(testIds.forecast.service);
    await userEvent.clear(service);
    await userEvent.click(service);
    await userEvent.paste('cart');
    await userEvent.keyboard('{Enter}');
    await screen.findByTestId(testIds.forecast.result);
    expect(srv.requests.find((r) => r.path.endsWith('/api/v1/forecast'))!.data).toMatchObject({ service: 'cart' });
  });

  test('a horizon beyond the engine’s week is named at the field and not sent', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/signals`]: () => ({
          status: 200,
          body: { serviceLabel: 'service', window: '5m', items: [] },
        }),
      })
    ).install();
    render(<ForecastPage />);
    const horizon = screen.getByTestId(testIds.forecast.horizon);
    await userEvent.clear(horizon);
    await userEvent.click(horizon);
    await userEvent.paste('100000');
    // The engine's limit (a 400 on body.horizonMinutes above it), said before asking.
    expect(screen.getByText('A whole number of minutes from 1 to 10080 (a week)')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.forecast.run)).toBeDisabled();
    expect(srv.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
