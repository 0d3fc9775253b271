import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PanelRendererProps } from '@grafana/runtime';
import { ForecastPage } from './ForecastPage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes } from '../test/FakeBackendSrv';
import type { ForecastResponse, SignalCatalog } from '../api/types';

// Grafana installs its panel renderer at startup (an internal setter plugins cannot reach), so the runtime's
// PanelRenderer is replaced by a stand-in that shows what the page hands it.
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  PanelRenderer: (props: PanelRendererProps) => mockPanelStandIn(props),
}));

function mockPanelStandIn({ data, pluginId }: PanelRendererProps) {
  return (
    <div data-testid="panel">
      {pluginId}:{' '}
      {(data?.series ?? []).map((f) => `${f.refId}[${f.fields.map((x) => x.name).join(',')}]x${f.length}`).join(' ')}
    </div>
  );
}

const T0 = 1_764_064_800; // 2025-11-25T10:00:00Z

describe('ForecastPage', () => {
  test('asks for the chosen service and signal and shows the band in a panel and a table', async () => {
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
        [`POST ${ENGINE_PROXY_URL}/api/v1/forecast`]: () => ({
          status: 200,
          body: {
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
          } satisfies ForecastResponse,
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
      'Model seasonal-naive fitted now (no trained model yet) (too little history for Holt-Winters); shaded band: 87% prediction interval'
    );
    expect(screen.getByTestId('panel')).toHaveTextContent(
      'timeseries: history[time,value]x2 forecast[time,value,lower,upper]x5'
    );
    const rows = within(result).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      '2025-11-25 10:00100.090.00 – 110.0',
      '2025-11-25 10:20102.092.00 – 112.0',
      '2025-11-25 10:40104.094.00 – 114.0',
    ]);
    expect(within(result).getByText('Forecast (s)')).toBeInTheDocument();

    const sent = srv.requests.find((r) => r.method === 'POST')!;
    expect(sent.data).toEqual({ namespace: 'shop', service: 'cart', signal: 'latency_p99', horizonMinutes: 50 });
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
});
