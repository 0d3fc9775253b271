import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { cloudOpsApiRef, type CloudOpsApi } from '../api/CloudOpsApi';
import type { ForecastResponse } from '../api/types';
import { ForecastCard } from './ForecastCard';
import { ForecastChart, forecastRows, tooltipValue } from './ForecastChart';
import { backtestRows, meanMase } from './ForecastBacktestChart';

const T0 = 1_700_000_000;

/** request_rate: an hour of history rising 40 → 64, then a 3-step forecast with a widening interval. */
const forecast: ForecastResponse = {
  seriesKey: 'shop/cart/request_rate',
  model: 'holt-winters',
  reason: 'lowest backtest error',
  source: 'stored',
  modelVersion: 3,
  stepSeconds: 300,
  coverage: 0.9,
  history: Array.from({ length: 13 }, (_, i) => ({ t: T0 - 3600 + i * 300, value: 40 + 2 * i })),
  points: [
    { t: T0 + 300, value: 66, lower: 60, upper: 72 },
    { t: T0 + 600, value: 80, lower: 70, upper: 90 },
    { t: T0 + 900, value: 70, lower: 55, upper: 85 },
  ],
};

/** The one call the card makes, answered as the engine would. */
class ForecastOnlyApi {
  readonly requests: unknown[] = [];
  async forecast(request: unknown) {
    this.requests.push(request);
    return forecast;
  }
  /** An engine whose workloads cannot be planned: the forecast still shows, with the reason. */
  async scalePlan(request: unknown) {
    this.requests.push(request);
    return {
      unavailable: true as const,
      capability: 'scalePlan' as const,
      message: 'no route POST /api/v1/scale-plan',
    };
  }
}

/** An engine that plans cart's replicas and names request_rate's unit in its signal catalog. */
class PlannedApi {
  async forecast() {
    return forecast;
  }
  async scalePlan() {
    return {
      workload: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
      capacitySource: 'learned',
      plan: {
        currentReplicas: 2,
        recommendedReplicas: 3,
        capacityPerReplica: 30,
        reason: 'fits',
        steps: [{ t: T0 + 300, replicas: 3 }],
      },
    };
  }
  async signals() {
    return {
      items: [{ name: 'request_rate', unit: 'req/s', query: '', badDirection: 'up' }],
      serviceLabel: 'service',
      window: '5m',
    };
  }
}

describe('ForecastCard', () => {
  it('draws history, forecast and its interval in one chart, with the peak in words', async () => {
    const api = new ForecastOnlyApi();
    const { container } = await renderInTestApp(
      <TestApiProvider
        apis={[
          [cloudOpsApiRef, api as unknown as CloudOpsApi],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <ForecastCard service="cart" namespace="shop" />
      </TestApiProvider>,
    );
    const figure = await screen.findByRole('figure', { name: 'cart request_rate' }, { timeout: 30_000 });
    // Two lines (history, forecast) and the interval band, each an SVG path with points.
    const lines = figure.querySelectorAll('.recharts-line-curve');
    expect(lines).toHaveLength(2);
    lines.forEach((l) => expect(l.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+/));
    expect(figure.querySelector('.recharts-area-area')?.getAttribute('d')).toMatch(/^M/);
    expect(
      within(figure).getByText(/history \(solid\), forecast \(dashed\) with its 90% interval/),
    ).toBeInTheDocument();
    expect(screen.getByText(/^80 at .* \(70–90\)$/)).toBeInTheDocument();
    // The forecast's peak, said so: beside the observed `now` a bare "peak" below it read as a contradiction.
    expect(container.textContent).toContain('forecast peak 80 at');
    // A short model line; the engine's reason collapsed under "why this model" until clicked.
    expect(screen.getByTestId('aicloudops-forecast-model').textContent).toBe(
      'model holt-winters, trained v3; band: 90% interval',
    );
    const why = screen.getByRole('button', { name: 'why this model' });
    expect(why).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByText('lowest backtest error')).not.toBeVisible();
    fireEvent.click(why);
    expect(why).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() => expect(screen.getByText('lowest backtest error')).toBeVisible());
    const scope = { service: 'cart', signal: 'request_rate', horizonMinutes: 60, namespace: 'shop' };
    expect(api.requests).toEqual([{ ...scope, historyHours: 2 }, scope]);
    expect(screen.getByTestId('aicloudops-forecast-plan').textContent).toBe(
      'No replica plan: Replica planning is not available on this engine: no route POST /api/v1/scale-plan',
    );
    expect(container.querySelector('table')).toBeNull();
  }, 60_000);

  it("prints the forecast's numbers and the plan's capacity with the unit the engine's signal catalog names", async () => {
    const api = new PlannedApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [cloudOpsApiRef, api as unknown as CloudOpsApi],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <ForecastCard service="cart" namespace="shop" />
      </TestApiProvider>,
    );
    const figure = await screen.findByRole('figure', { name: 'cart request_rate' }, { timeout: 30_000 });
    expect(screen.getByText('64 req/s')).toBeInTheDocument();
    expect(screen.getByText(/^80 req\/s at .* \(70–90\)$/)).toBeInTheDocument();
    expect(screen.getByTestId('aicloudops-forecast-plan').textContent).toBe(
      'Replica plan for Deployment/cart: 2 → 3 replicas at 30 req/s per replica (learned from CPU).',
    );
    expect(
      within(figure).getByText(/capacity of the planned replicas at 30 req\/s per replica/),
    ).toBeInTheDocument();
    // The demand axis names the unit; its ticks stay bare numbers.
    const labels = [...figure.querySelectorAll('text.recharts-label')].map((l) => l.textContent);
    expect(labels).toEqual(['req/s']);
  }, 60_000);

  it("names the unit in the chart's tooltip for demand, not for the replica count", () => {
    expect(tooltipValue(64.123, 'forecast', 'req/s')).toBe('64.1 req/s');
    expect(tooltipValue([70, 90], 'band', 'req/s')).toBe('70–90 req/s');
    expect(tooltipValue(3, 'replicas', 'req/s')).toBe('3');
    expect(tooltipValue(64, 'history', '')).toBe('64');
  });

  it('adds the replica plan as a step line on its own axis', async () => {
    const plan = [
      { t: T0, replicas: 2 },
      { t: T0 + 600, replicas: 3 },
      { t: T0 + 900, replicas: 3 },
    ];
    await renderInTestApp(<ForecastChart forecast={forecast} plan={plan} label="cart request_rate" />);
    const figure = await screen.findByRole('figure', { name: 'cart request_rate' }, { timeout: 30_000 });
    expect(figure.querySelectorAll('.recharts-line-curve')).toHaveLength(3);
    expect(figure.querySelectorAll('.recharts-yAxis')).toHaveLength(2);
    expect(within(figure).getByText(/replicas planned \(step, right axis\)/)).toBeInTheDocument();
  }, 60_000);
});

describe('forecastRows', () => {
  it('joins the forecast to the last observed point and keeps one row per time', () => {
    const rows = forecastRows(forecast, [{ t: T0 + 600, replicas: 3 }]);
    expect(rows).toHaveLength(13 + 3);
    expect(rows[12]).toEqual({ t: T0, history: 64, forecast: 64, band: [64, 64] });
    expect(rows[14]).toEqual({ t: T0 + 600, forecast: 80, band: [70, 90], replicas: 3 });
    expect(rows.map((r) => r.t)).toEqual([...rows.map((r) => r.t)].sort((a, b) => a - b));
  });
});

describe('backtestRows', () => {
  const m = (horizon: number, mase: number | null) => ({
    horizon,
    n: 10,
    mae: null,
    rmse: null,
    mase,
    smape: null,
    coverage: null,
  });
  const result = {
    seriesKey: 'shop/cart/request_rate',
    chosen: 'holt_winters',
    reason: '',
    testStart: 0,
    end: 1,
    scale: 1,
    predictMsPerOrigin: 0.1,
    baselines: ['naive', 'holt_winters'],
    models: { naive: [m(1, 0.5), m(2, 1.5)], holt_winters: [m(1, 0.25), m(2, null)] },
  };

  it('puts horizons in minutes ahead, one MASE column per model, leaving out unscored horizons', () => {
    expect(backtestRows(result, 300)).toEqual([
      { minutes: 5, naive: 0.5, holt_winters: 0.25 },
      { minutes: 10, naive: 1.5 },
    ]);
  });

  it('averages MASE over the scored horizons only', () => {
    expect(meanMase(result.models.naive)).toBe(1);
    expect(meanMase(result.models.holt_winters)).toBe(0.25);
    expect(meanMase([m(1, null)])).toBeNull();
  });
});
