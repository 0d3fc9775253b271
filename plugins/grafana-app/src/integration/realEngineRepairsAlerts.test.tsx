import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { config } from '@grafana/runtime';
import { OrgRole } from '@grafana/data';
import { AlertsPage } from '../pages/AlertsPage';
import { RepairsPage } from '../pages/RepairsPage';
import { testIds } from '../components/testIds';
import { FakeBackendSrv, recording, replyJson } from '../test/FakeBackendSrv';
import { grafanaProxy } from '../test/grafanaProxyHandler';
import type { OrgRole as ProxyRole } from '../test/grafanaPluginProxy';
import { useEngineProcess } from '../test/startEngineProcess';
import type { AlertStats, IncidentDto, RepairActionDto, RepairAuditVerification } from '../api/types';
import { ROLE_TOKENS, ROLE_TOKENS_AUTH } from '../test/roleTokens';

/**
 * The Repairs and Alerts pages against a real engine with auth on, every call resolved through the real plugin.json
 * routes as Grafana's plugin proxy would: the engine tells from the token which route a call took.
 */

describe('Repairs and Alerts pages against a real engine', () => {
  const engine = useEngineProcess({
    cluster: { kind: 'simulated', injectFaults: false },
    server: {
      auth: ROLE_TOKENS_AUTH,
    },
    // Approval mode (shadow mode is the default) and a fast schedule, so an injected fault waits for approval in seconds.
    repair: { maxMode: 'approve', namespaces: ['shop'], scanIntervalSeconds: 1, tickSeconds: 1 },
  });

  const asOperator = (method: string, path: string, body?: unknown) =>
    fetch(`${engine.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ROLE_TOKENS.operatorToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const engineJson = async <T,>(path: string): Promise<T> => (await (await asOperator('GET', path)).json()) as T;

  const signIn = (role: ProxyRole) => {
    config.bootData.user.orgRole = role as OrgRole;
    const rec = recording(grafanaProxy({ engineUrl: engine.url, role, secureJsonData: ROLE_TOKENS }));
    new FakeBackendSrv(rec.handler).install();
    return rec;
  };
  afterEach(() => {
    config.bootData.user.orgRole = OrgRole.Admin;
  });

  test('an injected OOM kill is found, waits with its dry-run diff, and a Grafana Admin approves it through the admin route', async () => {
    expect((await asOperator('POST', '/api/v1/demo/faults', { type: 'oom-killed', service: 'cart' })).status).toBe(201);
    let pending: RepairActionDto | undefined;
    await waitFor(
      async () => {
        const { items } = await engineJson<{ items: RepairActionDto[] }>('/api/v1/repair/approvals');
        pending = items.find((a) => a.planned.target.name === 'cart');
        expect(pending).toBeDefined();
      },
      { timeout: 45_000, interval: 1000 }
    );

    signIn('Admin');
    render(<RepairsPage />);
    const finding = (await screen.findAllByTestId(testIds.repairs.finding, undefined, { timeout: 20_000 })).find((r) =>
      r.textContent?.includes('OOMKilled')
    );
    expect(finding).toBeDefined();
    const card = await screen.findByTestId(testIds.repairs.approval);
    expect(within(card).getByText(pending!.planned.type)).toBeInTheDocument();
    expect(within(card).getAllByTestId(testIds.repairs.diffEntry)).toHaveLength(pending!.dryRun!.diff.length);

    await userEvent.type(within(card).getByTestId(testIds.repairs.comment), 'diff checked');
    await userEvent.click(within(card).getByTestId(testIds.repairs.approve));
    await waitFor(() => expect(screen.queryByTestId(testIds.repairs.approval)).not.toBeInTheDocument(), {
      timeout: 20_000,
    });

    // The engine recorded the decision under the admin token's principal: the call took the engine-admin route.
    const decided = await engineJson<RepairActionDto>(`/api/v1/repair/actions/${pending!.id}`);
    expect(decided.approval).toMatchObject({
      decision: 'approved',
      decidedBy: 'grafana-admin',
      comment: 'diff checked',
    });
    const verification = await engineJson<RepairAuditVerification>('/api/v1/repair/audit/verify');
    await waitFor(() => expect(screen.getByTestId(testIds.repairs.auditVerify)).toHaveTextContent('chain verified'));
    expect(verification.ok).toBe(true);
  }, 120_000);

  test('an Editor cannot approve: the admin route refuses before the engine sees the call', async () => {
    const rec = signIn('Editor');
    render(<RepairsPage />);
    await screen.findByTestId(testIds.repairs.killSwitch);
    await waitFor(() => expect(rec.replies.some((r) => r.url.endsWith('/api/v1/repair/kill-switch'))).toBe(true));
    // Every read the page made went through the Viewer route and was answered by the engine.
    expect(rec.replies.every((r) => r.reply.status === 200)).toBe(true);
    const forged = await grafanaProxy({ engineUrl: engine.url, role: 'Editor', secureJsonData: ROLE_TOKENS })({
      url: '/api/plugin-proxy/aicloudops-cloudops-app/engine-admin/api/v1/repair/approvals/x/approve',
      path: '/api/plugin-proxy/aicloudops-cloudops-app/engine-admin/api/v1/repair/approvals/x/approve',
      query: new URLSearchParams(),
      method: 'POST',
      data: {},
      headers: {},
    });
    expect(forged.status).toBe(403);
  }, 60_000);

  test("alerts posted as Alertmanager does form an incident the page shows with the engine's merge reasons and figures; an Editor acknowledges it", async () => {
    const startsAt = new Date(Date.now() - 120_000).toISOString();
    const alert = (alertname: string) => ({
      status: 'firing',
      labels: { alertname, service: 'inventory', namespace: 'shop', severity: 'critical' },
      annotations: { summary: `${alertname} on inventory` },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
    });
    const deliver = (alertname: string) =>
      asOperator('POST', '/api/v1/alerts/webhook/alertmanager', {
        version: '4',
        groupKey: `{}:{alertname="${alertname}"}`,
        status: 'firing',
        receiver: 'aicloudops',
        externalURL: 'http://alertmanager:9093',
        alerts: [alert(alertname)],
      });
    expect((await deliver('InventoryLatencyHigh')).status).toBe(200);
    expect((await deliver('InventoryErrorsHigh')).status).toBe(200);
    expect((await deliver('InventoryLatencyHigh')).status).toBe(200); // an Alertmanager re-send

    const rec = signIn('Editor');
    render(<AlertsPage />);
    const cards = await screen.findAllByTestId(testIds.alerts.incident, undefined, { timeout: 20_000 });
    const listed = replyJson<{ items: IncidentDto[] }>(
      rec.replies.find((r) => r.url.includes('/api/v1/incidents'))!.reply
    );
    const incident = listed.items.find((i) => i.services.includes('inventory'))!;
    expect(incident.alerts.map((a) => a.labels.alertname).sort()).toEqual([
      'InventoryErrorsHigh',
      'InventoryLatencyHigh',
    ]);
    const card = cards.find((c) => c.textContent?.includes(incident.title))!;
    const rows = within(card).getAllByTestId(testIds.alerts.alertRow);
    expect(rows).toHaveLength(2);
    for (const a of incident.alerts) {
      // An opening alert's detail begins with its kind ("opened by X on inventory"), shown once, as AlertsPage does.
      const shown = a.reason.detail.startsWith(a.reason.kind)
        ? a.reason.detail
        : `${a.reason.kind}: ${a.reason.detail}`;
      expect(card).toHaveTextContent(shown);
    }

    const stats = replyJson<AlertStats>(rec.replies.find((r) => r.url.endsWith('/api/v1/alerts/stats'))!.reply);
    expect(stats.duplicates).toBeGreaterThanOrEqual(1);
    expect(screen.getByTestId(testIds.alerts.stats)).toHaveTextContent(`${(stats.compression * 100).toFixed(1)}%`);

    await userEvent.click(within(card).getByTestId(testIds.alerts.ack));
    await waitFor(async () => {
      const after = await engineJson<IncidentDto>(`/api/v1/incidents/${incident.id}`);
      // The Editor route carries the operator token; the engine names its principal.
      expect(after.acknowledgedBy).toBe('grafana-operator');
    });
  }, 90_000);

  test("an incident on a repaired service shows its repair: the page asks the engine for its services' actions since it opened", async () => {
    // The first test injected this fault; injecting it again keeps this test whole when run alone.
    await asOperator('POST', '/api/v1/demo/faults', { type: 'oom-killed', service: 'cart' });
    let repair: RepairActionDto | undefined;
    await waitFor(
      async () => {
        const { items } = await engineJson<{ items: RepairActionDto[] }>('/api/v1/repair/actions?name=cart');
        repair = items[0];
        expect(repair).toBeDefined();
      },
      { timeout: 45_000, interval: 1000 }
    );
    const delivered = await asOperator('POST', '/api/v1/alerts/webhook/alertmanager', {
      version: '4',
      groupKey: '{}:{alertname="CartMemoryHigh"}',
      status: 'firing',
      receiver: 'aicloudops',
      externalURL: 'http://alertmanager:9093',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'CartMemoryHigh', service: 'cart', namespace: 'shop', severity: 'warning' },
          annotations: { summary: 'CartMemoryHigh on cart' },
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
        },
      ],
    });
    expect(delivered.status).toBe(200);

    const rec = signIn('Viewer');
    render(<AlertsPage />);
    const cards = await screen.findAllByTestId(testIds.alerts.incident, undefined, { timeout: 20_000 });
    const listed = replyJson<{ items: IncidentDto[] }>(
      rec.replies.find((r) => r.url.includes('/api/v1/incidents'))!.reply
    );
    const incident = listed.items.find((i) => i.services.includes('cart'))!;
    const card = cards.find((c) => c.textContent?.includes(incident.title))!;
    const shown = await within(card).findAllByTestId(testIds.alerts.repair);
    expect(shown.some((r) => r.textContent?.includes(`${repair!.planned.type} on cart`))).toBe(true);
    // The engine took the page's filter (a refusal would have hidden the repairs, not the incidents).
    const asked = rec.replies.find((r) => r.url.includes('/api/v1/repair/actions'))!;
    expect(asked.reply.status).toBe(200);
    expect(new URL(asked.url, 'http://grafana').searchParams.get('name')?.split(',')).toContain('cart');
  }, 90_000);
});
