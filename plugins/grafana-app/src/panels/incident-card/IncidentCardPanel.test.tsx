import React from 'react';
import { render, screen, within } from '@testing-library/react';
import type { PanelProps } from '@grafana/data';
import { IncidentCardPanel } from './IncidentCardPanel';
import { incidentCardTestIds as ids } from './testIds';
import { DEFAULT_OPTIONS, type IncidentCardOptions } from './types';
import { ENGINE_PROXY_URL } from '../../constants';
import { FakeBackendSrv, routes } from '../../test/FakeBackendSrv';
import { incident, incidentAlert } from '../../test/opsFixtures';
import type { IncidentDto } from '../../api/types';
import panelJson from './plugin.json';
import panelZh from './locales/zh-Hans/aicloudops-incidentcard-panel.json';
import { resetTranslations, switchLanguage } from '../../locales/testTranslations';

const E = ENGINE_PROXY_URL;

function panel() {
  const props = {
    options: { ...DEFAULT_OPTIONS, refreshSeconds: 3600 },
    width: 480,
    height: 320,
    replaceVariables: (value: string) => value,
  } as unknown as PanelProps<IncidentCardOptions>;
  return <IncidentCardPanel {...props} />;
}

const showing = (item: IncidentDto) =>
  new FakeBackendSrv(
    routes({ [`GET ${E}/api/v1/incidents`]: () => ({ status: 200, body: { items: [item] } }) })
  ).install();

describe('IncidentCardPanel', () => {
  test("an incident the engine started no RCA for shows the engine's reason, not that one will start", async () => {
    // As the engine lists an incident made only of a node's repair finding (labelled node=, no service).
    const reason = 'no automatic RCA: node sim-node-2 is not a service, and no alert of the incident names one';
    showing(
      incident('inc-node', {
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
      })
    );
    render(panel());

    const card = await screen.findByTestId(ids.title);
    expect(card).toHaveTextContent('NodeNotReady on sim-node-2');
    expect(screen.getByTestId(ids.rcaSkipped)).toHaveTextContent(`Root cause: ${reason}`);
    expect(screen.queryByTestId(ids.noRca)).not.toBeInTheDocument();
    // How long ago, with the UTC time named on hover, as on the app's pages.
    expect(within(screen.getByTestId(ids.card)).getByText(/on no named service, opened .* ago/)).toHaveAttribute(
      'title',
      '2026-12-06 10:00:00 UTC'
    );
    // Neither a namespace nor a service to fill in: the Root cause page keeps its own defaults.
    expect(screen.getByRole('link', { name: 'Root cause' })).toHaveAttribute(
      'href',
      '/a/aicloudops-cloudops-app/root-cause'
    );
  });

  test('an incident with no RCA linked and none skipped still says the engine starts one when it pages', async () => {
    showing(incident('inc-1'));
    render(panel());
    expect(await screen.findByTestId(ids.noRca)).toHaveTextContent('the engine starts one when the incident pages');
    expect(screen.queryByTestId(ids.rcaSkipped)).not.toBeInTheDocument();
  });

  describe.each([
    ['en-US', {}, '2 alerts on payment, checkout, opened 25 minutes ago'],
    // Not '25 minutes ago发生': the time in Chinese, where the Chinese sentence puts it. One message: it read
    // '2 条告警 涉及 …', the space between the count's span and the rest's.
    ['zh-Hans', panelZh, '2 条告警，涉及 payment, checkout，25分钟前发生'],
  ])('in %s', (language, catalog, summary) => {
    afterEach(() => resetTranslations());

    test('an incident opened 25 minutes ago reads so', async () => {
      await switchLanguage(panelJson.id, language, catalog);
      showing(incident('inc-1', { openedAt: new Date(Date.now() - 25 * 60_000).toISOString() }));
      render(panel());
      await screen.findByTestId(ids.title);
      expect(screen.getByTestId(ids.alertCount).textContent).toBe(summary);
    });
  });
});
