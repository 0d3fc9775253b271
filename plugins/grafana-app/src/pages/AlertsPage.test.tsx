import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { config } from '@grafana/runtime';
import { OrgRole } from '@grafana/data';
import { AlertsPage } from './AlertsPage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes, type Handler, type HandlerReply, type RecordedRequest } from '../test/FakeBackendSrv';
import { incident, incidentAlert, pendingAction } from '../test/opsFixtures';
import type { AlertStats, IncidentDto, RepairActionDto } from '../api/types';
import appJson from '../plugin.json';
import appZh from '../locales/zh-Hans/aicloudops-cloudops-app.json';
import { resetTranslations, switchLanguage } from '../locales/testTranslations';

const E = ENGINE_PROXY_URL;

const stats: AlertStats = {
  deliveries: 200,
  alerts: 240,
  accepted: 60,
  duplicates: 180,
  stale: 0,
  incidents: 3,
  notifications: 4,
  truncatedAlerts: 0,
  compression: 0.98,
  dedupRatio: 0.75,
  meanNotificationDelaySeconds: 31.25,
};

const rca = {
  id: 'rca-1',
  request: {},
  createdAt: '2026-12-06T10:02:00Z',
  candidates: [
    { service: 'checkout', score: 0.41 },
    { service: 'payment', score: 0.87 },
  ],
};

/**
 * GET /repair/actions as the engine answers it: newest first (by update with `updatedSince`, else by creation), `name`,
 * `since`, `updatedSince` and `state` filtered, pages of 100 by cursor. It reads `all` at each request, so a test
 * changes what the engine holds by changing the array.
 */
function actionsRoute(all: RepairActionDto[]) {
  return (r: RecordedRequest): HandlerReply => {
    const names = r.query.get('name')?.split(',');
    const since = r.query.get('since');
    const updatedSince = r.query.get('updatedSince');
    const state = r.query.get('state');
    const time = (a: RepairActionDto) => Date.parse(updatedSince ? a.updatedAt : a.createdAt);
    const matching = [...all]
      .sort((a, b) => time(b) - time(a))
      .filter((a) => !names || names.includes(a.finding.workload.name) || names.includes(a.planned.target.name))
      .filter((a) => !state || a.state === state)
      .filter((a) => !since || Date.parse(a.createdAt) >= Date.parse(since))
      .filter((a) => !updatedSince || Date.parse(a.updatedAt) >= Date.parse(updatedSince));
    const from = Number(r.query.get('cursor') ?? 0);
    const next = from + 100 < matching.length ? { nextCursor: String(from + 100) } : {};
    return { status: 200, body: { items: matching.slice(from, from + 100), ...next } };
  };
}

/** An action created `minutes` after 10:00, when the fixture incident opened. */
const actionAt = (id: string, name: string, minutes: number) => {
  const at = new Date(Date.parse('2026-12-06T10:00:00Z') + minutes * 60_000).toISOString();
  return pendingAction(id, name, { createdAt: at, updatedAt: at });
};

/** An action created `ms` before now (the page's own clock), awaiting approval. */
const actionAgo = (id: string, name: string, ms: number) => {
  const at = new Date(Date.now() - ms).toISOString();
  return pendingAction(id, name, { createdAt: at, updatedAt: at });
};

function alertEngine(overrides: Record<string, (r: RecordedRequest) => HandlerReply> = {}): Handler {
  const open: IncidentDto[] = [incident('inc-1', { rcaId: 'rca-1' })];
  return routes({
    [`GET ${E}/api/v1/alerts/stats`]: () => ({ status: 200, body: stats }),
    [`GET ${E}/api/v1/incidents`]: (r) => ({
      status: 200,
      body: { items: r.query.get('status') === 'open' ? open.filter((i) => i.status === 'open') : open },
    }),
    [`GET ${E}/api/v1/rca/rca-1`]: () => ({ status: 200, body: rca }),
    [`GET ${E}/api/v1/repair/actions`]: actionsRoute([
      pendingAction('a1', 'payment'),
      pendingAction('a2', 'inventory'),
    ]),
    [`POST ${E}/api/v1/incidents/inc-1/ack`]: () => {
      open[0] = { ...open[0]!, acknowledgedAt: '2026-12-06T10:03:00Z', acknowledgedBy: 'editor-user' };
      return { status: 200, body: open[0] };
    },
    [`POST ${E}/api/v1/incidents/inc-1/resolve`]: () => {
      open[0] = { ...open[0]!, status: 'resolved', resolvedAt: '2026-12-06T10:04:00Z' };
      return { status: 200, body: open[0] };
    },
    ...overrides,
  });
}

const setRole = (role: OrgRole) => {
  config.bootData.user.orgRole = role;
};

describe('AlertsPage', () => {
  afterEach(() => setRole(OrgRole.Admin));

  test('shows the compression figures and each open incident with its alerts, why they were grouped, its RCA and repair', async () => {
    setRole(OrgRole.Viewer);
    const srv = new FakeBackendSrv(alertEngine()).install();
    render(<AlertsPage />);

    const figures = await screen.findByTestId(testIds.alerts.stats);
    expect(within(figures).getByText('98.0%')).toBeInTheDocument();
    expect(within(figures).getByText('180 (75.0%)')).toBeInTheDocument();
    expect(within(figures).getByText('31.3 s')).toBeInTheDocument();

    const card = await screen.findByTestId(testIds.alerts.incident);
    expect(within(card).getByText('HighLatency on payment')).toBeInTheDocument();
    const rows = within(card).getAllByTestId(testIds.alerts.alertRow);
    expect(rows).toHaveLength(2);
    // The engine's detail of the alert that opened it already says so ("opened: opened by ..." before).
    expect(within(rows[0]!).getByText('opened by HighLatency on payment')).toBeInTheDocument();
    // The second alert joined over a service-graph edge, through the first alert (named, not fingerprinted).
    expect(
      within(rows[1]!).getByText('service-graph: edge checkout -> payment (with HighLatency)')
    ).toBeInTheDocument();
    expect(within(rows[1]!).getByText('service=checkout namespace=shop')).toBeInTheDocument();

    // The linked RCA names its best candidate; the repair on one of the incident's services is linked, the other not.
    const linked = await within(card).findByTestId(testIds.alerts.rca);
    expect(await within(linked).findByText('payment')).toBeInTheDocument();
    expect(within(linked).getByText('score 0.870')).toBeInTheDocument();
    const repairs = within(card).getAllByTestId(testIds.alerts.repair);
    expect(repairs).toHaveLength(1);
    expect(repairs[0]).toHaveTextContent('raise-memory-limit on payment');
    // The action's state in words, not the engine's hyphenated id.
    expect(repairs[0]).toHaveTextContent('awaiting approval');
    expect(repairs[0]).not.toHaveTextContent('awaiting-approval');

    // Viewers read; acknowledging and resolving are for Editors.
    expect(within(card).queryByTestId(testIds.alerts.ack)).not.toBeInTheDocument();
    expect(srv.requests.find((r) => r.path === `${E}/api/v1/incidents`)!.query.get('status')).toBe('open');
    // The repairs of the incident's services, from 10 minutes before it opened (a repair can precede its alerts).
    const asked = srv.requests.find((r) => r.path === `${E}/api/v1/repair/actions`)!.query;
    expect(asked.get('name')).toBe('payment,checkout');
    expect(asked.get('since')).toBe('2026-12-06T09:50:00.000Z');
  });

  test('times read as how long ago, each with its UTC time named on hover, as on the Root cause and Forecast pages', async () => {
    new FakeBackendSrv(alertEngine()).install();
    render(<AlertsPage />);
    const card = await screen.findByTestId(testIds.alerts.incident);
    expect(within(card).getByText(/^opened .* ago, services payment, checkout$/)).toHaveAttribute(
      'title',
      '2026-12-06 10:00:00 UTC'
    );
    const since = within(within(card).getAllByTestId(testIds.alerts.alertRow)[0]!).getAllByRole('cell')[2]!;
    expect(since).toHaveTextContent(/ ago$/);
    expect(since).toHaveAttribute('title', '2026-12-06 10:00:00 UTC');
  });

  describe.each([
    [
      'en-US',
      {},
      'opened 25 minutes ago, services payment, checkout',
      '25 minutes ago',
      'service-graph: edge checkout -> payment (with HighLatency)',
    ],
    // Not '25 minutes ago发生': the time in Chinese, where the Chinese sentence puts it; the full-width bracket closes
    // up to the engine's text (it followed a space).
    [
      'zh-Hans',
      appZh,
      '25分钟前发生，涉及服务 payment, checkout',
      '25分钟前',
      'service-graph: edge checkout -> payment（与 HighLatency 合并）',
    ],
  ])('in %s', (language, catalog, opened, since, joined) => {
    afterEach(() => resetTranslations());

    test('an incident opened 25 minutes ago reads so in the sentence and the Since column, and why an alert joined', async () => {
      await switchLanguage(appJson.id, language, catalog);
      const at = new Date(Date.now() - 25 * 60_000).toISOString();
      const recent = incident('inc-1', { openedAt: at });
      recent.alerts = recent.alerts.map((a) => ({ ...a, startsAt: at }));
      new FakeBackendSrv(
        alertEngine({ [`GET ${E}/api/v1/incidents`]: () => ({ status: 200, body: { items: [recent] } }) })
      ).install();
      render(<AlertsPage />);

      const card = await screen.findByTestId(testIds.alerts.incident);
      expect(within(card).getByText(opened)).toBeInTheDocument();
      const cell = within(within(card).getAllByTestId(testIds.alerts.alertRow)[0]!).getAllByRole('cell')[2]!;
      expect(cell).toHaveTextContent(new RegExp(`^${since}$`));
      const reason = within(within(card).getAllByTestId(testIds.alerts.alertRow)[1]!).getAllByRole('cell')[3]!;
      expect(reason.textContent).toBe(joined);
    });
  });

  test("an incident the engine started no RCA for says why, in the engine's words, one naming no service says so, and its node's repair is linked", async () => {
    setRole(OrgRole.Viewer);
    // As the engine lists an incident made only of a node's repair finding (labelled node=, no service).
    const reason = 'no automatic RCA: node sim-node-2 is not a service, and no alert of the incident names one';
    const node = incident('inc-node', {
      title: 'NodeNotReady on sim-node-2',
      services: [],
      rcaSkipped: reason,
      alerts: [
        incidentAlert(
          'NodeNotReady',
          'unused',
          { kind: 'opened', detail: 'opened by NodeNotReady' },
          { fingerprint: 'fp-node', labels: { alertname: 'NodeNotReady', node: 'sim-node-2', severity: 'critical' } }
        ),
      ],
    });
    const nodeRef = { kind: 'Node', namespace: '', name: 'sim-node-2' };
    const cordon = pendingAction('cordon', 'sim-node-2', { createdAt: '2026-12-06T09:58:00Z' });
    cordon.planned = { ...cordon.planned, type: 'cordon-node', target: nodeRef };
    cordon.finding = { ...cordon.finding, type: 'NodeNotReady', object: nodeRef, workload: nodeRef };
    // A Deployment that happens to share the node's name is not the node's repair.
    const namesake = pendingAction('namesake', 'sim-node-2');
    const srv = new FakeBackendSrv(
      alertEngine({
        [`GET ${E}/api/v1/incidents`]: () => ({ status: 200, body: { items: [node] } }),
        [`GET ${E}/api/v1/repair/actions`]: actionsRoute([cordon, namesake, pendingAction('a1', 'payment')]),
      })
    ).install();
    render(<AlertsPage />);

    const card = await screen.findByTestId(testIds.alerts.incident);
    const skipped = within(card).getByTestId(testIds.alerts.rcaSkipped);
    expect(skipped).toHaveTextContent(`Root cause${reason}`);
    expect(within(skipped).getByRole('link', { name: /Analyse/ })).toHaveAttribute(
      'href',
      // Nothing to fill in: the Root cause page keeps its own defaults.
      '/a/aicloudops-cloudops-app/root-cause'
    );
    expect(within(card).queryByTestId(testIds.alerts.rca)).not.toBeInTheDocument();
    expect(card).toHaveTextContent(/opened .+, no service named/);
    expect(card).not.toHaveTextContent('services');
    // No service, but its alert names the node: the node's own repair is asked for by its name and linked.
    const repairs = await within(card).findAllByTestId(testIds.alerts.repair);
    expect(repairs.map((r) => r.textContent)).toEqual([expect.stringContaining('cordon-node on sim-node-2')]);
    const asked = srv.requests.find((r) => r.path === `${E}/api/v1/repair/actions`)!.query;
    expect(asked.get('name')).toBe('sim-node-2');
    expect(asked.get('since')).toBe('2026-12-06T09:50:00.000Z');
  });

  test("shows an incident's repair that 100 newer actions push off the newest page, following the engine's pages", async () => {
    setRole(OrgRole.Viewer);
    const actions = [
      // Newer repairs of other services: the newest 100 actions hold none of this incident's.
      ...Array.from({ length: 150 }, (_, i) => actionAt(`other-${i}`, 'inventory', 30 + i)),
      // 100 repairs of checkout fill the first page of the incident's own, so the payment one is on the second.
      ...Array.from({ length: 100 }, (_, i) => actionAt(`checkout-${i}`, 'checkout', 10 + i / 10)),
      actionAt('payment-lead', 'payment', -5),
      // Before the 10-minute lead: not this incident's.
      actionAt('payment-before', 'payment', -15),
    ];
    const srv = new FakeBackendSrv(
      alertEngine({ [`GET ${E}/api/v1/repair/actions`]: actionsRoute(actions) })
    ).install();
    render(<AlertsPage />);

    const card = await screen.findByTestId(testIds.alerts.incident);
    const repairs = await within(card).findAllByTestId(testIds.alerts.repair);
    expect(repairs.filter((r) => r.textContent?.includes('raise-memory-limit on payment'))).toHaveLength(1);
    expect(repairs.filter((r) => r.textContent?.includes('on checkout'))).toHaveLength(100);
    expect(repairs.some((r) => r.textContent?.includes('on inventory'))).toBe(false);
    const pages = srv.requests.filter((r) => r.path === `${E}/api/v1/repair/actions`);
    expect(pages.map((r) => r.query.get('cursor'))).toEqual([null, '100']);
  });

  test('a refresh asks once for the actions updated since the newest update read, and shows a repair that changed state', async () => {
    setRole(OrgRole.Viewer);
    const waiting = actionAgo('waiting', 'payment', 3 * 60_000);
    const actions = [waiting, actionAgo('done', 'checkout', 4 * 60_000)];
    actions[1] = { ...actions[1]!, state: 'verified' };
    const srv = new FakeBackendSrv(
      alertEngine({ [`GET ${E}/api/v1/repair/actions`]: actionsRoute(actions) })
    ).install();
    render(<AlertsPage />);
    const card = await screen.findByTestId(testIds.alerts.incident);
    await waitFor(() => expect(within(card).getAllByTestId(testIds.alerts.repair)).toHaveLength(2));
    const repairReads = (from: number) =>
      srv.requests
        .slice(from)
        .filter((r) => r.path === `${E}/api/v1/repair/actions`)
        .map((r) => Object.fromEntries(r.query));
    const lead = '2026-12-06T09:50:00.000Z';
    expect(repairReads(0)).toEqual([{ name: 'payment,checkout', since: lead }]);

    // A new repair: one question, for what was updated since a minute before the newest update read.
    const minuteBefore = (at: string) => new Date(Date.parse(at) - 60_000).toISOString();
    actions.push(actionAgo('new', 'checkout', 10_000));
    let from = srv.requests.length;
    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    await waitFor(() => expect(within(card).getAllByTestId(testIds.alerts.repair)).toHaveLength(3));
    expect(repairReads(from)).toEqual([
      { name: 'payment,checkout', since: lead, updatedSince: minuteBefore(waiting.updatedAt) },
    ]);

    // An operator approves the waiting repair: its update time moves, so the next question lists it as it is now,
    // while the repair created since (and not updated) is kept from the read before.
    actions[0] = { ...waiting, state: 'approved', updatedAt: new Date().toISOString() };
    from = srv.requests.length;
    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    await waitFor(() =>
      expect(
        within(card)
          .getAllByTestId(testIds.alerts.repair)
          .find((r) => r.textContent?.includes('on payment'))
      ).toHaveTextContent('approved')
    );
    expect(repairReads(from)).toEqual([
      { name: 'payment,checkout', since: lead, updatedSince: minuteBefore(actions[2]!.updatedAt) },
    ]);
    const shown = within(card).getAllByTestId(testIds.alerts.repair);
    expect(shown.map((r) => r.textContent?.match(/on (\w+)\s*(.+?)Repairs/)?.slice(1))).toEqual([
      ['checkout', 'awaiting approval'],
      ['payment', 'approved'],
      ['checkout', 'verified'],
    ]);
  });

  test("a new incident's names are read in full again, and a service no incident has is dropped", async () => {
    setRole(OrgRole.Viewer);
    const open: IncidentDto[] = [incident('inc-1', { services: ['payment'] })];
    const actions = [actionAgo('pay', 'payment', 60_000), actionAgo('inv', 'inventory', 2 * 60_000)];
    actions[0] = { ...actions[0]!, state: 'verified' };
    const srv = new FakeBackendSrv(
      alertEngine({
        [`GET ${E}/api/v1/incidents`]: () => ({ status: 200, body: { items: open } }),
        [`GET ${E}/api/v1/repair/actions`]: actionsRoute(actions),
      })
    ).install();
    render(<AlertsPage />);
    await waitFor(() => expect(screen.getAllByTestId(testIds.alerts.repair)).toHaveLength(1));

    // A second incident on inventory, opened later: the repair read starts over, with both services, from 10 minutes
    // before the oldest incident (inventory's repair was created before the newest update read).
    open.push(
      incident('inc-2', { title: 'OOM on inventory', services: ['inventory'], openedAt: '2026-12-06T11:00:00Z' })
    );
    let from = srv.requests.length;
    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    await waitFor(() => expect(screen.getAllByTestId(testIds.alerts.repair)).toHaveLength(2));
    const reads = () =>
      srv.requests
        .slice(from)
        .filter((r) => r.path === `${E}/api/v1/repair/actions`)
        .map((r) => Object.fromEntries(r.query));
    expect(reads()).toEqual([{ name: 'payment,inventory', since: '2026-12-06T09:50:00.000Z' }]);

    // The first incident resolves: its service is no longer asked for; the inventory incident's lead begins the window.
    open.shift();
    from = srv.requests.length;
    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    await waitFor(() => expect(screen.getAllByTestId(testIds.alerts.incident)).toHaveLength(1));
    await waitFor(() => expect(reads()).toHaveLength(1));
    expect(reads()).toEqual([
      {
        name: 'inventory',
        since: '2026-12-06T10:50:00.000Z',
        updatedSince: new Date(Date.parse(actions[1]!.updatedAt) - 60_000).toISOString(),
      },
    ]);
    expect(screen.getAllByTestId(testIds.alerts.repair)).toHaveLength(1);
  });

  test('an Editor acknowledges and then resolves an incident, which leaves the open list', async () => {
    setRole(OrgRole.Editor);
    const srv = new FakeBackendSrv(alertEngine()).install();
    render(<AlertsPage />);

    const card = await screen.findByTestId(testIds.alerts.incident);
    await userEvent.click(within(card).getByTestId(testIds.alerts.ack));
    expect(await within(card).findByText('acknowledged by editor-user')).toBeInTheDocument();
    expect(within(card).queryByTestId(testIds.alerts.ack)).not.toBeInTheDocument();

    await userEvent.click(within(card).getByTestId(testIds.alerts.resolve));
    expect(await screen.findByTestId(testIds.alerts.empty)).toHaveTextContent('No open incidents.');
    expect(srv.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      `${E}/api/v1/incidents/inc-1/ack`,
      `${E}/api/v1/incidents/inc-1/resolve`,
    ]);

    await userEvent.click(within(screen.getByTestId(testIds.alerts.status)).getByLabelText('All'));
    const resolved = await screen.findByTestId(testIds.alerts.incident);
    expect(within(resolved).getByText('resolved')).toBeInTheDocument();
    expect(within(resolved).queryByTestId(testIds.alerts.resolve)).not.toBeInTheDocument();
  });

  test('lists incidents even when repair is unavailable, and says how to feed alerts when there are none', async () => {
    setRole(OrgRole.Editor);
    const unavailable = () => ({
      status: 503,
      body: { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'repair is not available' } },
    });
    const srv = new FakeBackendSrv(alertEngine({ [`GET ${E}/api/v1/repair/actions`]: unavailable })).install();
    const { unmount } = render(<AlertsPage />);
    const card = await screen.findByTestId(testIds.alerts.incident);
    await waitFor(() => expect(srv.requests.some((r) => r.path === `${E}/api/v1/repair/actions`)).toBe(true));
    expect(within(card).queryByTestId(testIds.alerts.repair)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.alerts.error)).not.toBeInTheDocument();
    unmount();

    new FakeBackendSrv(
      alertEngine({
        [`GET ${E}/api/v1/incidents`]: () => ({ status: 200, body: { items: [] } }),
        [`GET ${E}/api/v1/repair/actions`]: unavailable,
      })
    ).install();
    render(<AlertsPage />);

    const empty = await screen.findByTestId(testIds.alerts.empty);
    expect(empty).toHaveTextContent('No open incidents.');
    expect(empty).toHaveTextContent('POST /api/v1/alerts/webhook/alertmanager');
    expect(screen.queryByTestId(testIds.alerts.error)).not.toBeInTheDocument();
  });

  test('shows the engine error when incidents cannot be read, and a refused ack', async () => {
    setRole(OrgRole.Editor);
    new FakeBackendSrv(
      alertEngine({
        [`POST ${E}/api/v1/incidents/inc-1/ack`]: () => ({
          status: 403,
          body: { message: 'plugin proxy route access denied' },
        }),
      })
    ).install();
    render(<AlertsPage />);
    const card = await screen.findByTestId(testIds.alerts.incident);
    await userEvent.click(within(card).getByTestId(testIds.alerts.ack));
    expect(await within(card).findByText('The incident was not changed')).toBeInTheDocument();

    new FakeBackendSrv(
      alertEngine({
        [`GET ${E}/api/v1/incidents`]: () => ({
          status: 503,
          body: { error: { code: 'STORE_UNAVAILABLE', message: 'redis is unreachable' } },
        }),
      })
    ).install();
    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    await waitFor(() =>
      expect(screen.getByTestId(testIds.alerts.error)).toHaveTextContent('STORE_UNAVAILABLE: redis is unreachable')
    );
  });

  test('the engine down is one error with one Retry, which reads the figures and the incidents again', async () => {
    let down = true;
    const up = alertEngine();
    // Grafana's plugin proxy while the engine is stopped: 502 with no body, on every route.
    const srv = new FakeBackendSrv((r) => (down ? { status: 502 } : up(r))).install();
    render(<AlertsPage />);

    const alert = await screen.findByTestId(testIds.alerts.error);
    expect(alert).toHaveTextContent('Cannot read alerts from the engine');
    expect(alert).toHaveTextContent('Grafana could not reach the engine (HTTP 502)');
    // Both reads have failed by now, and still one alert and one Retry (before: one of each per read, two).
    await waitFor(() => expect(srv.requests.length).toBeGreaterThanOrEqual(2));
    expect(screen.getAllByTestId(testIds.engineError.retry)).toHaveLength(1);

    down = false;
    await userEvent.click(screen.getByTestId(testIds.engineError.retry));
    expect(await screen.findByTestId(testIds.alerts.stats)).toBeInTheDocument();
    expect(await screen.findByTestId(testIds.alerts.incident)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.alerts.error)).not.toBeInTheDocument();
  });
});
