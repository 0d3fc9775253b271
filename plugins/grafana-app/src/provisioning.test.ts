import { readFileSync } from 'fs';
import path from 'path';
import { parse } from 'yaml';
import appPluginJson from './plugin.json';
import datasourcePluginJson from './datasource/plugin.json';
import type { QueryKind } from './datasource/types';
import incidentCardPluginJson from './panels/incident-card/plugin.json';
import { DEFAULT_OPTIONS as INCIDENT_CARD_DEFAULTS } from './panels/incident-card/types';

/** The repository's Grafana provisioning must name this plugin's ids and fields, or Grafana silently ignores it. */

const DIR = path.resolve(__dirname, '..', '..', '..', 'provisioning', 'grafana');
const yamlFile = (file: string) => parse(readFileSync(path.join(DIR, file), 'utf8'));
const KINDS: QueryKind[] = ['forecast', 'anomaly-score', 'history'];

describe('provisioning/grafana', () => {
  const apps = yamlFile('plugins/aicloudops.yaml').apps;
  const datasources = yamlFile('datasources/aicloudops.yaml').datasources as Array<Record<string, any>>;
  const dashboard = JSON.parse(readFileSync(path.join(DIR, 'dashboards/json/aicloudops-forecast.json'), 'utf8'));

  test('enables the app with the engine URL and one token per role from the environment', () => {
    expect(apps).toHaveLength(1);
    expect(apps[0].type).toBe(appPluginJson.id);
    expect(apps[0].jsonData).toEqual({ engineUrl: '${AICLOUDOPS_ENGINE_URL}' });
    expect(apps[0].secureJsonData).toEqual({
      viewerToken: '${AICLOUDOPS_ENGINE_VIEWER_TOKEN}',
      operatorToken: '${AICLOUDOPS_ENGINE_OPERATOR_TOKEN}',
      adminToken: '${AICLOUDOPS_ENGINE_ADMIN_TOKEN}',
    });
  });

  test('provisions the engine datasource with the fields its config editor writes', () => {
    const engine = datasources.find((d) => d.type === datasourcePluginJson.id)!;
    expect(engine).toBeDefined();
    expect(Object.keys(engine.jsonData).sort()).toEqual(['defaultNamespace', 'engineUrl']);
    expect(engine.secureJsonData).toEqual({ engineToken: '${AICLOUDOPS_ENGINE_TOKEN}' });
  });

  test('the dashboard only uses provisioned datasources and valid engine queries', () => {
    const uids = new Set(datasources.map((d) => d.uid));
    const engineUid = datasources.find((d) => d.type === datasourcePluginJson.id)!.uid;
    const targets = dashboard.panels.flatMap((p: { targets: Array<Record<string, any>> }) => p.targets);
    for (const t of targets) {
      expect([t.refId, uids.has(t.datasource.uid)]).toEqual([t.refId, true]);
    }
    const engineTargets = targets.filter((t: Record<string, any>) => t.datasource.uid === engineUid);
    expect(engineTargets.map((t: Record<string, any>) => t.kind).sort()).toEqual(['anomaly-score', 'forecast']);
    for (const t of engineTargets) {
      expect(KINDS).toContain(t.kind);
      expect(t.service).toBe('$service');
      expect(t.signal).toBe('request_rate');
    }
    // The overlay: Prometheus actuals and the engine forecast in one (mixed) panel.
    const overlay = dashboard.panels.find((p: Record<string, any>) => p.targets.length === 2);
    expect(overlay.datasource.uid).toBe('-- Mixed --');
    expect(overlay.targets.map((t: Record<string, any>) => t.datasource.type).sort()).toEqual([
      datasourcePluginJson.id,
      'prometheus',
    ]);
  });

  test('the dashboard shows the incident card panel, following its $service variable', () => {
    const cards = dashboard.panels.filter((p: Record<string, any>) => p.type === incidentCardPluginJson.id);
    expect(cards).toHaveLength(1);
    const card = cards[0];
    expect(Object.keys(card.options).sort()).toEqual(Object.keys(INCIDENT_CARD_DEFAULTS).sort());
    const variables = dashboard.templating.list.map((v: { name: string }) => `$${v.name}`);
    expect(variables).toContain(card.options.service);
    // Grafana places panels on a 24-column grid; the card must not overlap the panels above it.
    const bottom = Math.max(
      ...dashboard.panels.filter((p: Record<string, any>) => p !== card).map((p: any) => p.gridPos.y + p.gridPos.h)
    );
    expect(card.gridPos.y).toBeGreaterThanOrEqual(bottom);
  });

  test('every compose file lets Grafana load each unsigned plugin of the app, nested ones included', () => {
    const ids = [appPluginJson.id, datasourcePluginJson.id, incidentCardPluginJson.id];
    const nested = appPluginJson.includes.filter((i) => i.type === 'datasource' || i.type === 'panel');
    expect(nested).toHaveLength(ids.length - 1);
    for (const file of ['provisioning/docker-compose.yml', 'plugins/grafana-app/docker-compose.yaml']) {
      const compose = parse(readFileSync(path.resolve(DIR, '..', '..', file), 'utf8'));
      const allowed = String(compose.services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
      expect([file, allowed.sort()]).toEqual([file, [...ids].sort()]);
    }
  });
});
