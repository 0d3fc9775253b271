import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import { config } from '@grafana/runtime';
import { OrgRole, type PanelProps } from '@grafana/data';
import { IncidentCardPanel } from '../panels/incident-card/IncidentCardPanel';
import { incidentCardTestIds as ids } from '../panels/incident-card/testIds';
import { DEFAULT_OPTIONS, type IncidentCardOptions } from '../panels/incident-card/types';
import { FakeBackendSrv, recording } from '../test/FakeBackendSrv';
import { grafanaProxy } from '../test/grafanaProxyHandler';
import { useEngineProcess } from '../test/startEngineProcess';
import type { IncidentDto, RcaResult } from '../api/types';
import { ROLE_TOKENS, ROLE_TOKENS_AUTH } from '../test/roleTokens';

/**
 * The incident card panel against a real engine with auth on, as a Grafana Viewer: every call is resolved through the
 * real plugin.json routes (a Viewer reaches only the GET route with the viewer token). Alerts posted as Alertmanager
 * does open an incident; the engine starts and links an RCA of an injected fault; the card shows what it concluded.
 */

function panel(options: Partial<IncidentCardOptions> = {}, variables: Record<string, string> = {}) {
  const props = {
    options: { ...DEFAULT_OPTIONS, refreshSeconds: 3600, ...options },
    width: 480,
    height: 320,
    // Grafana's interpolation of dashboard variables, for the names the test defines.
    replaceVariables: (value: string) => value.replace(/\$(\w+)/g, (m, name: string) => variables[name] ?? m),
  } as unknown as PanelProps<IncidentCardOptions>;
  return <IncidentCardPanel {...props} />;
}

describe('incident card panel against a real engine', () => {
  const engine = useEngineProcess({
    cluster: { kind: 'simulated', injectFaults: false },
    server: {
      auth: ROLE_TOKENS_AUTH,
    },
    // Page at once (the default waits 120 s "for" critical alerts plus Alertmanager's group interval), so the
    // engine opens the incident and starts its RCA within the test.
    alerts: { pagingRules: [{ matchers: [], page: true }], defaultResolutionLatencySeconds: 0 },
  });

  const asOperator = (method: string, path: string, body?: unknown) =>
    fetch(`${engine.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ROLE_TOKENS.operatorToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const signInAsViewer = () => {
    config.bootData.user.orgRole = OrgRole.Viewer;
    const rec = recording(grafanaProxy({ engineUrl: engine.url, role: 'Viewer', secureJsonData: ROLE_TOKENS }));
    new FakeBackendSrv(rec.handler).install();
    return rec;
  };
  afterEach(() => {
    config.bootData.user.orgRole = OrgRole.Admin;
  });

  test('with no incident it explains what it shows and what it needs', async () => {
    signInAsViewer();
    render(panel());
    const empty = await screen.findByTestId(ids.empty, undefined, { timeout: 20_000 });
    expect(empty).toHaveTextContent('No open incident');
    expect(empty).toHaveTextContent('/api/v1/alerts/webhook/alertmanager');
    expect(within(empty).getByRole('link', { name: /Alerts page/ })).toHaveAttribute(
      'href',
      '/a/aicloudops-cloudops-app/alerts'
    );
  });

  test("an incident's alert count and its linked RCA's top causes, read through the Viewer route only", async () => {
    const now = Math.floor(Date.now() / 1000);
    // Under way for 20 minutes, so the incident's analysis window is mostly incident.
    const fault = await asOperator('POST', '/api/v1/demo/faults', {
      type: 'latency',
      service: 'payment',
      startedAt: now - 1200,
    });
    expect(fault.status).toBe(201);
    const startsAt = new Date((now - 900) * 1000).toISOString();
    const alert = (alertname: string) => ({
      status: 'firing',
      labels: { alertname, service: 'checkout', namespace: 'shop', severity: 'critical' },
      annotations: { summary: `${alertname} on checkout` },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
    });
    const delivered = await asOperator('POST', '/api/v1/alerts/webhook/alertmanager', {
      version: '4',
      groupKey: '{}:{service="checkout"}',
      status: 'firing',
      receiver: 'aicloudops',
      externalURL: 'http://alertmanager:9093',
      alerts: [alert('CheckoutLatencyHigh'), alert('CheckoutErrorsHigh')],
    });
    expect(delivered.status).toBe(200);

    // What the engine itself holds: the incident, its linked analysis once stored.
    let incident: IncidentDto | undefined;
    let rca: RcaResult | undefined;
    await waitFor(
      async () => {
        const { items } = (await (await asOperator('GET', '/api/v1/incidents?status=open')).json()) as {
          items: IncidentDto[];
        };
        incident = items.find((i) => i.services.includes('checkout'));
        expect(incident?.rcaId).toBeDefined();
        const stored = await asOperator('GET', `/api/v1/rca/${incident!.rcaId}`);
        expect(stored.status).toBe(200);
        rca = (await stored.json()) as RcaResult;
      },
      { timeout: 60_000, interval: 1000 }
    );
    const ranked = [...rca!.candidates].sort((a, b) => b.score - a.score).slice(0, 2);
    expect(ranked.length).toBeGreaterThan(0);

    const rec = signInAsViewer();
    render(panel({ maxCauses: 2 }));
    const rows = await screen.findAllByTestId(ids.cause, undefined, { timeout: 20_000 });
    expect(screen.getByTestId(ids.title)).toHaveTextContent(incident!.title);
    expect(screen.getByTestId(ids.alertCount)).toHaveTextContent(`${incident!.alerts.length} alerts`);
    expect(incident!.alerts).toHaveLength(2);
    expect(rows.map((r) => within(r).getByTestId(ids.causeService).textContent)).toEqual(ranked.map((c) => c.service));
    rows.forEach((row, i) => {
      expect(row).toHaveTextContent(ranked[i]!.faultType);
      const bar = within(row).getByTestId(ids.scoreBar);
      expect(bar).toHaveAttribute('aria-valuenow', String(Number(ranked[i]!.score.toFixed(2))));
      // Bars are relative to the top cause: the first is full, the others in proportion to their scores.
      const width = `${((100 * ranked[i]!.score) / ranked[0]!.score).toFixed(0)}%`;
      expect((bar.firstElementChild as HTMLElement).style.width).toBe(width);
    });
    const rootCause = screen.getByTestId(ids.rootCauseLink).closest('a')!;
    expect(rootCause.getAttribute('href')).toBe(
      `/a/aicloudops-cloudops-app/root-cause?namespace=shop&service=${ranked[0]!.service}`
    );
    expect(screen.getByTestId(ids.alertsLink).closest('a')).toHaveAttribute(
      'href',
      '/a/aicloudops-cloudops-app/alerts'
    );
    // A Viewer's card makes only reads, each let through by the proxy and answered by the engine.
    expect(rec.replies.length).toBeGreaterThanOrEqual(2);
    expect(rec.replies.every((r) => r.reply.status === 200)).toBe(true);
    expect(rec.replies.map((r) => r.url.split('?')[0])).toEqual(
      expect.arrayContaining([
        '/api/plugin-proxy/aicloudops-cloudops-app/engine/api/v1/incidents',
        `/api/plugin-proxy/aicloudops-cloudops-app/engine/api/v1/rca/${incident!.rcaId}`,
      ])
    );
  }, 120_000);

  test('follows a chosen incident id, filters by service, and names an unknown id', async () => {
    const { items } = (await (await asOperator('GET', '/api/v1/incidents?status=open')).json()) as {
      items: IncidentDto[];
    };
    const incident = items.find((i) => i.services.includes('checkout'))!;
    expect(incident).toBeDefined();

    signInAsViewer();
    const chosen = render(panel({ incidentId: incident.id }));
    await waitFor(() => expect(screen.getByTestId(ids.title)).toHaveTextContent(incident.title), { timeout: 20_000 });
    chosen.unmount();

    const other = render(panel({ service: '$service' }, { service: 'no-such-service' }));
    expect(await screen.findByTestId(ids.empty, undefined, { timeout: 20_000 })).toHaveTextContent(
      'No open incident on no-such-service'
    );
    other.unmount();

    render(panel({ incidentId: 'no-such-incident' }));
    const error = await screen.findByTestId(ids.error, undefined, { timeout: 20_000 });
    expect(error).toHaveTextContent('Cannot read incident no-such-incident');
    expect(error).toHaveTextContent('NOT_FOUND');
  }, 60_000);
});
