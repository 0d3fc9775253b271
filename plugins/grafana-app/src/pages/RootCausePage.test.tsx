import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RootCausePage } from './RootCausePage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes } from '../test/FakeBackendSrv';
import type { JobRecordDto, RcaResult } from '../api/types';
import { installRecordingCanvas } from '../test/recordingCanvas';

/**
 * Text into a field as one paste: typing re-renders the whole page per key (40 s under a load average of 17 on the
 * shared 2-core machine); what the page does with the value is what these tests check, not keystrokes.
 */
async function fill(input: HTMLElement, text: string): Promise<void> {
  await userEvent.click(input);
  await userEvent.paste(text);
}

const W = 1_764_064_800; // 2025-11-25T10:00:00Z

// Shaped as engine/src/rca/schemas.ts rcaResultSchema.
const result: RcaResult = {
  id: 'rca-1',
  request: { namespace: 'shop', target: { service: 'checkout' } },
  createdAt: '2025-11-25T10:30:00Z',
  namespace: 'shop',
  target: { service: 'checkout' },
  serviceGraph: {
    services: ['frontend', 'checkout', 'payment'],
    edges: [
      { from: 'frontend', to: 'checkout', origin: 'learned' },
      { from: 'checkout', to: 'payment', origin: 'learned' },
    ],
  },
  timings: { collectMs: 120, scoreMs: 8 },
  narrative: 'checkout errors follow payment latency rising after payment was redeployed.',
  narrativeSource: 'template',
  window: { baselineStart: W - 3600, start: W, end: W + 1800 },
  baseline: { kind: 'same-hours', start: W - 3600 - 7 * 86_400, end: W, points: 301, trust: 'high', days: 7 },
  warnings: ['logs: no log source configured'],
  candidates: [
    {
      service: 'frontend',
      signal: 'error_ratio',
      faultType: 'downstream',
      score: 0.41,
      evidence: {
        metrics: [{ signal: 'error_ratio', baselineMedian: 0.001, incidentValue: 0.05, deviation: 8 }],
        logs: [],
        events: [],
        changes: [],
      },
    },
    {
      service: 'payment',
      signal: 'latency_p99',
      faultType: 'latency',
      score: 0.93,
      evidence: {
        metrics: [
          {
            signal: 'latency_p99',
            unit: 's',
            promql:
              'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{service="payment"}[5m])))',
            baselineMedian: 0.04,
            incidentValue: 0.244,
            deviation: 12.3,
            changePoint: W + 120,
          },
          { signal: 'cpu_usage', baselineMedian: 0.2, incidentValue: 0.5, deviation: 4 },
        ],
        changes: [{ time: W + 60, kind: 'rollout', description: 'payment to revision 4 (image shop-payment:1.4.3)' }],
        // The same event on the same pod three times, as the engine lists them: one line with the sum.
        events: [
          {
            time: W + 90,
            type: 'Warning',
            reason: 'Unhealthy',
            message: 'Readiness probe failed',
            count: 3,
            object: 'Pod/payment-1',
          },
          {
            time: W + 300,
            type: 'Warning',
            reason: 'Unhealthy',
            message: 'Readiness probe failed: timeout',
            count: 2,
            object: 'Pod/payment-1',
          },
          {
            time: W + 200,
            type: 'Warning',
            reason: 'Unhealthy',
            message: 'Readiness probe failed',
            count: 1,
            object: 'Pod/payment-1',
          },
          {
            time: W + 100,
            type: 'Normal',
            reason: 'Pulled',
            message: 'image pulled',
            count: 1,
            object: 'Pod/payment-2',
          },
        ],
        logs: [
          {
            template: 'timeout calling <*>',
            countBaseline: 0,
            countIncident: 42,
            sample: 'timeout calling bank',
            isNew: true,
          },
        ],
      },
    },
  ],
};

/** payment's p99 latency: flat at 0.04 s over the baseline, 0.244 s from the change point on. */
function latencySeries(start: number, end: number) {
  const timestamps: number[] = [];
  for (let t = start; t <= end; t += 60) {
    timestamps.push(t);
  }
  return { labels: { service: 'payment' }, timestamps, values: timestamps.map((t) => (t < W + 120 ? 0.04 : 0.244)) };
}

const afterTest: Array<() => void> = [];
afterEach(() => afterTest.splice(0).forEach((undo) => undo()));

describe('RootCausePage', () => {
  test('starts an analysis, follows its progress and ranks candidates with Explore links', async () => {
    const canvas = installRecordingCanvas();
    afterTest.push(canvas.restore);
    let polls = 0;
    const srv = new FakeBackendSrv(
      routes({
        [`GET ${ENGINE_PROXY_URL}/api/v1/metrics/query_range`]: (r) => ({
          status: 200,
          body: { series: [latencySeries(Number(r.query.get('start')), Number(r.query.get('end')))] },
        }),
        [`POST ${ENGINE_PROXY_URL}/api/v1/rca`]: (r) => ({
          status: 202,
          body: {
            id: 'job-1',
            kind: 'rca',
            status: 'running',
            progress: 0,
            message: 'started',
            params: r.data,
            createdAt: '2026-11-25T10:00:00Z',
          } satisfies JobRecordDto,
        }),
        [`GET ${ENGINE_PROXY_URL}/api/v1/jobs/job-1`]: () => {
          polls += 1;
          return polls === 1
            ? {
                status: 200,
                body: {
                  id: 'job-1',
                  kind: 'rca',
                  status: 'running',
                  progress: 0.5,
                  message: 'scoring services',
                  params: { namespace: 'shop', target: { service: 'checkout' } },
                  createdAt: '2026-11-25T10:00:00Z',
                } satisfies JobRecordDto,
              }
            : {
                status: 200,
                body: {
                  id: 'job-1',
                  kind: 'rca',
                  status: 'succeeded',
                  progress: 1,
                  message: 'done',
                  params: { namespace: 'shop', target: { service: 'checkout' } },
                  createdAt: '2026-11-25T10:00:00Z',
                  result,
                } satisfies JobRecordDto,
              };
        },
      })
    ).install();

    render(<RootCausePage />);
    await fill(screen.getByTestId(testIds.rootCause.service), 'checkout');
    await userEvent.click(screen.getByTestId(testIds.rootCause.start));

    expect(await screen.findByText(/scoring services \(50%\)/, undefined, { timeout: 5000 })).toBeInTheDocument();
    const candidates = await screen.findAllByTestId(testIds.rootCause.candidate, undefined, { timeout: 5000 });

    // Highest score first, whatever order the engine used; the score as the engine's narrative prints it.
    expect(within(candidates[0]).getByText('score 0.930')).toBeInTheDocument();
    // The fault type and one sentence on why.
    expect(within(candidates[0]).getByText('latency')).toBeInTheDocument();
    expect(within(candidates[0]).getByTestId(testIds.rootCause.reason)).toHaveTextContent(
      'payment: latency_p99 went from 0.04 to 0.244 s (+12.3 robust σ) after a rollout at 10:01:00 UTC.'
    );
    // One line per thing: metrics, the change, events grouped by reason and object, the log template with its burst.
    const lines = within(within(candidates[0]).getByTestId(testIds.rootCause.evidence)).getAllByRole('listitem');
    expect(lines.map((l) => l.textContent)).toEqual([
      expect.stringContaining('latency_p99: 0.04 → 0.244 s (+12.3 robust σ), changed at 10:02:00 UTC'),
      expect.stringContaining('cpu_usage: 0.2 → 0.5 (+4 robust σ)'),
      expect.stringContaining('10:01:00 UTC payment to revision 4'),
      expect.stringContaining(
        'Warning Unhealthy on Pod/payment-1 ×6, 10:01:30–10:05:00 UTC: Readiness probe failed: timeout'
      ),
      expect.stringContaining('Normal Pulled on Pod/payment-2 ×1 at 10:01:40 UTC'),
      expect.stringContaining('timeout calling <*> 0 → 42 (new)'),
    ]);
    expect(screen.getByText('logs: no log source configured')).toBeInTheDocument();
    expect(within(candidates[1]).getByText('frontend')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.rootCause.narrative)).toHaveTextContent('payment was redeployed');
    // A short narrative needs no details toggle.
    expect(screen.queryByTestId(testIds.rootCause.narrativeDetails)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.rootCause.baseline)).toHaveTextContent(
      'Compared with the same hours on 7 earlier days and the hour before (301 points, trust high).'
    );

    // The chart of the candidate's PromQL over baseline and incident; the frontend's evidence has no query, no chart.
    const chart = await within(candidates[0]).findByTestId(testIds.rootCause.chart);
    await waitFor(() => expect(chart.querySelector('[data-testid="uplot-main-div"] canvas')).not.toBeNull(), {
      timeout: 10000,
    });
    // The onset drawn as a dashed vertical line.
    await waitFor(() =>
      expect(canvas.calls.some((c) => c.method === 'stroke' && c.lineDash.length > 0 && c.strokeStyle)).toBe(true)
    );
    // Axis labels formatted with the evidence's unit (seconds), as Grafana's panels format them.
    const labels = canvas.calls.filter((c) => c.method === 'fillText').map((c) => String(c.args[0]));
    expect(labels).not.toContain('undefined');
    expect(labels.some((l) => / ms$/.test(l))).toBe(true);
    expect(chart).toHaveTextContent('latency_p99: normal range 0.04–0.04 s · onset 10:02:00 UTC');
    expect(within(candidates[1]).queryByTestId(testIds.rootCause.chart)).not.toBeInTheDocument();
    const rangeCall = srv.requests.find((r) => r.path.endsWith('/query_range'))!;
    expect(rangeCall.query.get('query')).toBe(result.candidates[1]!.evidence.metrics[0]!.promql);
    expect(Number(rangeCall.query.get('start'))).toBe(W - 3600);
    expect(Number(rangeCall.query.get('end'))).toBe(W + 1800);

    const explore = within(candidates[0]).getByRole('link', { name: /Explore/ });
    const panes = JSON.parse(decodeURIComponent(explore.getAttribute('href')!.split('panes=')[1]!));
    expect(panes.a.queries[0].expr).toBe(
      'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{service="payment"}[5m])))'
    );
    // Explore spans the engine's baseline and incident windows.
    expect(panes.a.range).toEqual({ from: String((W - 3600) * 1000), to: String((W + 1800) * 1000) });
    // Evidence without a query has no link.
    expect(within(candidates[0]).getAllByRole('link')).toHaveLength(1);

    const body = srv.requests.find((r) => r.method === 'POST')!.data as {
      namespace: string;
      target: { service: string };
      window: { start: number; end: number };
    };
    expect(body.namespace).toBe('shop');
    expect(body.target).toEqual({ service: 'checkout' });
    expect(body.window.end - body.window.start).toBe(30 * 60);
  }, 90_000);

  test('names the offending field when the engine rejects the request', async () => {
    new FakeBackendSrv(
      routes({
        [`POST ${ENGINE_PROXY_URL}/api/v1/rca`]: () => ({
          status: 400,
          body: {
            error: {
              code: 'INVALID_INPUT',
              message: 'invalid request',
              issues: [{ field: 'body.namespace', message: 'unknown namespace nope' }],
            },
          },
        }),
      })
    ).install();

    render(<RootCausePage />);
    await userEvent.clear(screen.getByTestId(testIds.rootCause.namespace));
    await fill(screen.getByTestId(testIds.rootCause.namespace), 'nope');
    await userEvent.click(screen.getByTestId(testIds.rootCause.start));

    const alert = await screen.findByTestId(testIds.rootCause.error);
    expect(alert).toHaveTextContent('INVALID_INPUT: invalid request');
    expect(alert).toHaveTextContent('body.namespace: unknown namespace nope');
  }, 90_000);

  test('a window under the engine’s one-minute minimum is named at the field and not sent', async () => {
    const srv = new FakeBackendSrv(routes({})).install();
    render(<RootCausePage />);
    const minutes = screen.getByTestId(testIds.rootCause.windowMinutes);
    await userEvent.clear(minutes);
    await fill(minutes, '0.5');
    expect(screen.getByText('At least 1 minute')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.rootCause.start)).toBeDisabled();

    await userEvent.clear(minutes);
    await fill(minutes, '1');
    expect(screen.queryByText('At least 1 minute')).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.rootCause.start)).toBeEnabled();
    expect(srv.requests).toEqual([]);
  }, 90_000);

  test('Enter in a field starts the analysis, as on the Overview and Repairs pages; not with a window under a minute', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`POST ${ENGINE_PROXY_URL}/api/v1/rca`]: () => ({
          status: 202,
          body: {
            id: 'job-3',
            kind: 'rca',
            status: 'failed',
            progress: 1,
            message: 'no data',
            params: { namespace: 'shop', target: { service: 'payment' } },
            createdAt: '2026-11-25T10:00:00Z',
            error: { code: 'UPSTREAM_UNAVAILABLE', message: 'no data' },
          } satisfies JobRecordDto,
        }),
      })
    ).install();
    render(<RootCausePage />);
    const minutes = screen.getByTestId(testIds.rootCause.windowMinutes);
    await userEvent.clear(minutes);
    await fill(minutes, '0.5');
    await userEvent.keyboard('{Enter}');
    expect(srv.requests).toEqual([]);

    await userEvent.clear(minutes);
    await fill(minutes, '15');
    await fill(screen.getByTestId(testIds.rootCause.service), 'payment');
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText(/UPSTREAM_UNAVAILABLE: no data/)).toBeInTheDocument();
    expect(srv.requests).toHaveLength(1);
    expect(srv.requests[0].data).toMatchObject({ namespace: 'shop', target: { service: 'payment' } });
  }, 90_000);

  test('starts from the namespace and service in the URL', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`POST ${ENGINE_PROXY_URL}/api/v1/rca`]: () => ({
          status: 202,
          body: {
            id: 'job-2',
            kind: 'rca',
            status: 'failed',
            progress: 1,
            message: 'no data',
            params: { namespace: 'prod', target: { service: 'payment' } },
            createdAt: '2026-11-25T10:00:00Z',
            error: { code: 'UPSTREAM_UNAVAILABLE', message: 'no data' },
          } satisfies JobRecordDto,
        }),
      })
    ).install();
    window.history.pushState({}, '', '/a/aicloudops-cloudops-app/root-cause?namespace=prod&service=payment');
    try {
      render(<RootCausePage />);
      expect(screen.getByTestId(testIds.rootCause.namespace)).toHaveValue('prod');
      await userEvent.click(screen.getByTestId(testIds.rootCause.start));
      expect(await screen.findByText(/UPSTREAM_UNAVAILABLE: no data/)).toBeInTheDocument();
      expect(srv.requests[0].data).toMatchObject({ namespace: 'prod', target: { service: 'payment' } });
    } finally {
      window.history.pushState({}, '', '/');
    }
  }, 90_000);
  test('guides before the first analysis, and the demo sample runs one on the demo namespace', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`POST ${ENGINE_PROXY_URL}/api/v1/rca`]: (r) => ({
          status: 202,
          body: {
            id: 'job-3',
            kind: 'rca',
            status: 'succeeded',
            progress: 1,
            message: 'done',
            params: r.data,
            createdAt: '2026-11-25T10:00:00Z',
            result: {
              ...result,
              candidates: [],
              narrative:
                'The incident most likely starts at payment. It was redeployed. Its latency rose. Its errors followed.',
            },
          } satisfies JobRecordDto,
        }),
      })
    ).install();
    window.history.pushState({}, '', '/a/aicloudops-cloudops-app/root-cause?namespace=prod&service=payment');
    try {
      render(<RootCausePage />);
      const empty = screen.getByTestId(testIds.rootCause.emptyState);
      expect(empty).toHaveTextContent('It needs a namespace');
      // What the engine compares with: the hour before and, since the same-hours baseline, earlier days too.
      expect(empty).toHaveTextContent('with the hour before them and with the same hours on earlier days');
      await userEvent.click(screen.getByTestId(testIds.rootCause.demo));

      // The sample fills the form and starts: the demo namespace, any service, the last 30 minutes.
      expect(await screen.findByTestId(testIds.rootCause.narrative)).toHaveTextContent(
        'The incident most likely starts at payment. It was redeployed. Its latency rose.'
      );
      expect(screen.queryByTestId(testIds.rootCause.emptyState)).not.toBeInTheDocument();
      expect(screen.getByTestId(testIds.rootCause.namespace)).toHaveValue('shop');
      expect(screen.getByTestId(testIds.rootCause.service)).toHaveValue('');
      const body = srv.requests[0]!.data as {
        namespace: string;
        target?: unknown;
        window: { start: number; end: number };
      };
      expect(body.namespace).toBe('shop');
      expect(body.target).toBeUndefined();
      expect(body.window.end - body.window.start).toBe(30 * 60);

      // The fourth sentence waits behind one click.
      expect(screen.getByTestId(testIds.rootCause.narrative).querySelector('p')).not.toHaveTextContent(
        'errors followed'
      );
      await userEvent.click(within(screen.getByTestId(testIds.rootCause.narrativeDetails)).getByText('Full narrative'));
      expect(screen.getByTestId(testIds.rootCause.narrativeDetails)).toHaveTextContent('Its errors followed.');
    } finally {
      window.history.pushState({}, '', '/');
    }
  }, 60_000);
});
