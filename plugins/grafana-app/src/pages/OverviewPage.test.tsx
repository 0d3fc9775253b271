import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { OverviewPage } from './OverviewPage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes } from '../test/FakeBackendSrv';
import { workload } from '../test/fixtures';
import type { Readiness } from '../api/types';

const readyBody = {
  ready: true,
  profile: 'demo',
  checks: [
    { name: 'metrics', ok: true, detail: 'synthetic metrics (seed 42)', latencyMs: 1.4 },
    { name: 'cluster:simulated', ok: true, detail: '11 deployments', latencyMs: 3 },
  ],
} satisfies Readiness;

describe('OverviewPage', () => {
  test('renders readiness checks and the workloads of the response, worst first, per namespace', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({ status: 200, body: readyBody }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({
          status: 200,
          body: { items: [{ name: 'simulated', default: true }] },
        }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: () => ({
          status: 200,
          body: {
            items: [
              workload('cart', 'healthy'),
              workload('checkout', 'unavailable', {
                reasons: ['0/2 replicas ready', 'CrashLoopBackOff in checkout-7d9f8-0'],
                restarts: 7,
              }),
              workload('catalog', 'degraded', { replicas: 3, reasons: ['1 of 3 pods not ready'] }),
            ],
          },
        }),
      })
    ).install();

    render(<OverviewPage />);

    const rows = await screen.findAllByTestId(testIds.overview.workloadRow);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual([
      'checkout Deployment',
      'catalog Deployment',
      'cart Deployment',
    ]);
    const checkout = within(rows[0]);
    expect(checkout.getByText('unavailable')).toBeInTheDocument();
    expect(checkout.getByText('0/2')).toBeInTheDocument();
    expect(checkout.getByText('7')).toBeInTheDocument();
    expect(checkout.getByText('0/2 replicas ready; CrashLoopBackOff in checkout-7d9f8-0')).toBeInTheDocument();
    expect(within(rows[1]).getByText('2/3')).toBeInTheDocument();
    // Unhealthy workloads link to a root-cause analysis of themselves; every workload links to its forecast.
    expect(checkout.getByRole('link', { name: /Root cause/ })).toHaveAttribute(
      'href',
      '/a/aicloudops-cloudops-app/root-cause?namespace=shop&service=checkout'
    );
    expect(within(rows[2]).queryByRole('link', { name: /Root cause/ })).not.toBeInTheDocument();
    expect(within(rows[2]).getByRole('link', { name: /Forecast/ })).toHaveAttribute(
      'href',
      '/a/aicloudops-cloudops-app/forecast?namespace=shop&service=cart'
    );
    expect(screen.getByText('1 healthy, 1 degraded, 1 unavailable')).toBeInTheDocument();

    const checks = screen.getAllByTestId(testIds.overview.check);
    expect(checks).toHaveLength(2);
    expect(within(checks[0]).getByText('metrics')).toBeInTheDocument();
    expect(within(checks[0]).getByText('1 ms')).toBeInTheDocument();
    expect(screen.getByText('ready')).toBeInTheDocument();
    expect(screen.getByText(/demo profile/)).toBeInTheDocument();

    const workloadsCall = srv.requests.find((r) => r.path.endsWith('/api/v1/workloads'))!;
    expect(workloadsCall.query.get('namespace')).toBe('shop');
  });

  test('groups workloads of every namespace when the namespace is cleared', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({ status: 200, body: readyBody }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({ status: 200, body: { items: [] } }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: (r) => ({
          status: 200,
          body: {
            items: r.query.get('namespace')
              ? [workload('cart', 'healthy')]
              : [workload('cart', 'healthy'), workload('coredns', 'healthy', { namespace: 'kube-system' })],
          },
        }),
      })
    ).install();

    render(<OverviewPage />);
    expect(await screen.findAllByTestId(testIds.overview.workloadRow)).toHaveLength(1);

    await userEvent.clear(screen.getByTestId(testIds.overview.namespace));
    await userEvent.click(screen.getByTestId(testIds.overview.refresh));

    expect(await screen.findByRole('heading', { name: /kube-system/ })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: /^shop/ })).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.overview.workloadRow)).toHaveLength(2);
    expect(
      srv.requests
        .filter((r) => r.path.endsWith('/workloads'))
        .at(-1)!
        .query.has('namespace')
    ).toBe(false);
  });

  test('offers a cluster choice when the engine knows several, and reloads the workloads of the chosen one', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({ status: 200, body: readyBody }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({
          status: 200,
          body: { items: [{ name: 'prod', default: true }, { name: 'staging' }] },
        }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: (r) => ({
          status: 200,
          body: {
            items: [
              r.query.get('cluster') === 'staging' ? workload('cart-canary', 'degraded') : workload('cart', 'healthy'),
            ],
          },
        }),
      })
    ).install();

    render(<OverviewPage />);
    expect(await screen.findByRole('cell', { name: /^cart Deployment/ })).toBeInTheDocument();

    const cluster = screen.getByRole('combobox', { name: 'Cluster' });
    expect(cluster).toHaveValue('prod (default)');
    await userEvent.click(cluster);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['prod (default)', 'staging']);
    await userEvent.click(screen.getByRole('option', { name: 'staging' }));

    expect(await screen.findByRole('cell', { name: /^cart-canary Deployment/ })).toBeInTheDocument();
    expect(cluster).toHaveValue('staging');
    expect(srv.requests.filter((r) => r.path.endsWith('/workloads')).map((r) => r.query.get('cluster'))).toEqual([
      null,
      'staging',
    ]);
  });

  test('the engine down is one error with one Retry, which reads readiness and workloads again', async () => {
    let down = true;
    // Grafana's plugin proxy while the engine is stopped: 502 with no body, on every route.
    const srv = new FakeBackendSrv((r) =>
      down
        ? { status: 502 }
        : routes({
            [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({ status: 200, body: readyBody }),
            [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({ status: 200, body: { items: [] } }),
            [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: () => ({ status: 200, body: { items: [] } }),
          })(r)
    ).install();
    render(<OverviewPage />);

    const alert = await screen.findByTestId(testIds.overview.error);
    expect(alert).toHaveTextContent('Cannot reach the engine');
    await waitFor(() => expect(srv.requests.filter((r) => r.path.endsWith('/workloads')).length).toBeGreaterThan(0));
    // Both reads have failed, and still one alert and one Retry (before: one of each per section, two).
    await waitFor(() => expect(screen.queryByText('Loading workloads...')).not.toBeInTheDocument());
    expect(screen.getAllByTestId(testIds.overview.error)).toHaveLength(1);
    expect(screen.getAllByTestId(testIds.engineError.retry)).toHaveLength(1);

    down = false;
    await userEvent.click(screen.getByTestId(testIds.engineError.retry));
    expect(await screen.findByText('ready')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId(testIds.overview.error)).not.toBeInTheDocument());
  });

  test('shows a not-ready engine and a failing workload list side by side', async () => {
    new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/readyz`]: () => ({
          status: 503,
          body: {
            ready: false,
            profile: 'live',
            checks: [{ name: 'cluster:prod', ok: false, detail: 'API server unreachable: ECONNREFUSED' }],
          } satisfies Readiness,
        }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/clusters`]: () => ({ status: 200, body: { items: [] } }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/workloads`]: () => ({
          status: 503,
          body: { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'cluster prod is unreachable' } },
        }),
      })
    ).install();

    render(<OverviewPage />);

    expect(await screen.findByText('not ready')).toBeInTheDocument();
    expect(screen.getByText('API server unreachable: ECONNREFUSED')).toBeInTheDocument();
    expect(await screen.findByText(/UPSTREAM_UNAVAILABLE: cluster prod is unreachable/)).toBeInTheDocument();
    expect(screen.queryAllByTestId(testIds.overview.workloadRow)).toHaveLength(0);
  });
});
