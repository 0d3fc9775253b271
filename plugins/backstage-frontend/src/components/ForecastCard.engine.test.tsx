import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import type { BacktestResultDto, JobRecordDto, ScalePlanResponse } from '../api/types';
import { seriousAxeViolations, startRealEngine, type RealEngine } from '../__testUtils__/realEngine';
import { backtestTestIds } from './ForecastBacktestChart';
import { FORECAST_SIGNAL, ForecastCard, forecastCardTestIds } from './ForecastCard';

/** The forecast card on a real engine's forecast, replica plan and backtest (demo shop metrics). */

jest.setTimeout(180_000);

let engine: RealEngine;

beforeAll(async () => {
  engine = await startRealEngine();
});
afterAll(async () => {
  await engine?.stop();
});

async function render(service: string) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [cloudOpsApiRef, engine.client],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <ForecastCard service={service} namespace="shop" />
    </TestApiProvider>,
  );
}

describe('ForecastCard on a real engine', () => {
  it('draws history, forecast, band, replica plan and capacity, then the backtest against the baselines', async () => {
    const { container } = await render('cart');
    const figure = await screen.findByTestId(forecastCardTestIds.chart, {}, { timeout: 60_000 });
    // history, forecast, replicas (step) and capacity (step): four lines with points; the interval band.
    const lines = figure.querySelectorAll('.recharts-line-curve');
    expect(lines).toHaveLength(4);
    lines.forEach((l) => expect(l.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+/));
    expect(figure.querySelector('.recharts-area-area')?.getAttribute('d')).toMatch(/^M/);
    expect(figure.querySelectorAll('.recharts-yAxis')).toHaveLength(2);

    // The plan the card shows is the engine's: same workload, replicas and capacity per replica.
    const plan = await engine.json<ScalePlanResponse>('POST', '/api/v1/scale-plan', {
      namespace: 'shop',
      service: 'cart',
      signal: FORECAST_SIGNAL,
      workload: { name: 'cart' },
      horizonMinutes: 60,
    });
    // The engine learns the capacity from the CPU history up to now: a second call may see one more sample, so the
    // numbers are compared within 2% and the replicas within one, not as the same string.
    const shown =
      /^Replica plan for Deployment\/cart: (\d+) → (\d+) replicas at ([\d.]+) req\/s per replica \(learned from CPU\)\.$/.exec(
        screen.getByTestId(forecastCardTestIds.plan).textContent ?? '',
      );
    expect(shown).not.toBeNull();
    const [current, recommended, capacity] = shown!.slice(1).map(Number);
    expect(current).toBe(plan.plan.currentReplicas);
    expect(Math.abs(recommended! - plan.plan.recommendedReplicas)).toBeLessThanOrEqual(1);
    expect(Math.abs(capacity! / plan.plan.capacityPerReplica - 1)).toBeLessThan(0.02);
    // The engine's plan reason runs past a line: collapsed under "why this plan" until clicked.
    const planReason = screen.getByTestId(forecastCardTestIds.planReason);
    expect(planReason.textContent).toMatch(/^\d+ replicas for the forecast demand .* per replica/);
    expect(planReason).not.toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'why this plan' }));
    await waitFor(() => expect(planReason).toBeVisible());
    expect(screen.getByTestId(forecastCardTestIds.modelReason)).not.toBeVisible();
    expect(
      within(figure).getByText(
        new RegExp(`at ${shown![3]!.replace('.', '\\.')} req/s per replica \\(dotted step\\)`),
      ),
    ).toBeInTheDocument();
    expect(await seriousAxeViolations(container)).toEqual([]);

    const backtestRun = screen.getByTestId(forecastCardTestIds.backtestRun);
    // Disabled until usePermission has the permission API's answer.
    await waitFor(() => expect(backtestRun).toBeEnabled());
    fireEvent.click(backtestRun);
    const backtest = await screen.findByTestId(backtestTestIds.chart, {}, { timeout: 120_000 });
    const jobs = await engine.json<{ items: JobRecordDto[] }>('GET', '/api/v1/jobs?kind=forecast.backtest');
    const result = jobs.items.find((j) => j.status === 'succeeded')!.result as BacktestResultDto;
    const models = Object.keys(result.models);
    // The baselines take part, and every model the engine scored is a line with points.
    expect(models).toEqual(expect.arrayContaining(['naive', 'seasonal_naive_day']));
    const modelLines = backtest.querySelectorAll('.recharts-line-curve');
    expect(modelLines).toHaveLength(models.length);
    modelLines.forEach((l) => expect(l.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+/));
    const summary = screen.getByTestId(backtestTestIds.summary).textContent ?? '';
    for (const m of models) expect(summary).toContain(m);
    expect(summary).toContain(`${result.chosen} (chosen)`);
    // How the engine chose the model, collapsed until clicked.
    const backtestReason = screen.getByTestId(forecastCardTestIds.backtestReason);
    expect(backtestReason.textContent).toBe(result.reason);
    expect(backtestReason).not.toBeVisible();
    fireEvent.click(screen.getByRole('button', { name: 'how the model was chosen' }));
    await waitFor(() => expect(backtestReason).toBeVisible());
    expect(await seriousAxeViolations(container)).toEqual([]);
  });

  it('guides when the service has no series: what the card does, what it needs, a sample', async () => {
    const { container } = await render('no-such-service');
    const empty = await screen.findByTestId(forecastCardTestIds.emptyState, {}, { timeout: 60_000 });
    expect(within(empty).getByText(/Forecasts/)).toBeInTheDocument();
    expect(within(empty).getByText('backstage.io/kubernetes-id')).toBeInTheDocument();
    expect(within(empty).getByText('cart')).toBeInTheDocument();
    // The engine's own reason is shown beside the guide.
    expect(screen.queryByTestId(forecastCardTestIds.chart)).toBeNull();
    expect(container.textContent).toMatch(/no-such-service/);
    expect(await seriousAxeViolations(container)).toEqual([]);
  });
});
