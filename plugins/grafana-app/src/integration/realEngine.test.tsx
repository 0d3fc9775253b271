import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OverviewPage } from '../pages/OverviewPage';
import { RootCausePage } from '../pages/RootCausePage';
import { CloudOpsDataSource } from '../datasource/datasource';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, proxyTo, type Handler } from '../test/FakeBackendSrv';
import { useEngineProcess } from '../test/startEngineProcess';
import type { RangeSeriesDto, Readiness, SignalCatalog, WorkloadHealth } from '../api/types';
import { DS_URL, datasourceSettings, queryRequest } from '../test/fixtures';

/**
 * The plugin against a real engine (demo profile: simulated cluster, synthetic metrics). Grafana's proxy routes
 * are emulated by forwarding to the engine and, like plugin.json's route, adding the bearer token.
 */

const TOKEN = 'grafana-viewer-token-0123456789';

function withToken(handler: Handler, token: string): Handler {
  return (request) => handler({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
}

function datasource(): CloudOpsDataSource {
  return new CloudOpsDataSource(datasourceSettings());
}

describe('against a real engine', () => {
  // Each test is given 90 s and each wait 60 s: at load ~11 on a 2-core CI machine the RCA click alone outlasted
  // jest's 30 s default (clean-clone run of 54566d0), while an idle machine answers in under 2 s.
  const engine = useEngineProcess({
    server: { auth: { enabled: true, tokens: [{ name: 'grafana', token: TOKEN, role: 'viewer' }] } },
  });

  const engineGet = async <T,>(path: string): Promise<T> =>
    (await (await fetch(`${engine.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as T;

  test('the overview lists the workloads and checks the engine reports', async () => {
    new FakeBackendSrv(withToken(proxyTo(ENGINE_PROXY_URL, engine.url), TOKEN)).install();
    const expected = (await engineGet<{ items: WorkloadHealth[] }>('/api/v1/workloads?namespace=shop')).items;
    const readiness = await engineGet<Readiness>('/readyz');
    expect(expected.length).toBeGreaterThan(0);

    render(<OverviewPage />);

    const rows = await screen.findAllByTestId(testIds.overview.workloadRow, undefined, { timeout: 60_000 });
    const shown = rows.map((r) => within(r).getAllByRole('cell')[0].textContent!.split(' ')[0]);
    expect([...shown].sort()).toEqual(expected.map((w) => w.name).sort());
    // The readiness and workload requests are independent: under load the rows can render before the checks.
    const checks = await screen.findAllByTestId(testIds.overview.check, undefined, { timeout: 60_000 });
    expect(checks).toHaveLength(readiness.checks.length);
  }, 90_000);

  test('without the token the engine refuses and the page says so', async () => {
    new FakeBackendSrv(proxyTo(ENGINE_PROXY_URL, engine.url)).install();

    render(<OverviewPage />);

    expect(await screen.findByText(/UNAUTHORIZED/, undefined, { timeout: 60_000 })).toBeInTheDocument();
  }, 90_000);

  test('the datasource connection test passes through the proxy route', async () => {
    new FakeBackendSrv(withToken(proxyTo(`${DS_URL}/engine`, engine.url), TOKEN)).install();
    const result = await datasource().testDatasource();
    expect(result.status).toBe('success');
  }, 90_000);

  test('history and anomaly frames carry the engine series for the service', async () => {
    new FakeBackendSrv(withToken(proxyTo(`${DS_URL}/engine`, engine.url), TOKEN)).install();
    const end = Math.floor(Date.now() / 60_000) * 60;
    const start = end - 3600;
    const signals = await engineGet<SignalCatalog>('/api/v1/signals');
    const template = signals.items.find((s) => s.name === 'request_rate')!.query;
    const promql = template.split('$namespace').join('shop').split('$window').join('5m');
    const direct = await engineGet<{ series: RangeSeriesDto[] }>(
      `/api/v1/metrics/query_range?query=${encodeURIComponent(promql)}&start=${start}&end=${end}&step=60`
    );
    const frontend = direct.series.find((s) => s.labels.service === 'frontend')!;

    const response = await datasource().query(
      queryRequest(
        [
          { refId: 'H', kind: 'history', service: 'frontend', signal: 'request_rate', namespace: 'shop' },
          { refId: 'S', kind: 'anomaly-score', service: 'frontend', signal: 'request_rate', namespace: 'shop' },
        ],
        start * 1000,
        end * 1000
      )
    );

    expect(response.errors).toBeUndefined();
    const history = response.data.find((f) => f.refId === 'H')!;
    expect(history.fields[1].values).toEqual(frontend.values);
    const scores = response.data.find((f) => f.refId === 'S')!;
    expect(scores.fields[0].values[0]).toBeGreaterThanOrEqual(start * 1000);
    expect(scores.fields[1].values.some((v: number | null) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  }, 90_000);

  test('a viewer token cannot start a root-cause analysis and the page says why', async () => {
    new FakeBackendSrv(withToken(proxyTo(ENGINE_PROXY_URL, engine.url), TOKEN)).install();

    render(<RootCausePage />);
    await userEvent.click(screen.getByTestId(testIds.rootCause.start));

    expect(await screen.findByTestId(testIds.rootCause.error, undefined, { timeout: 60_000 })).toHaveTextContent(
      /FORBIDDEN/
    );
  }, 90_000);
});
