import { readFileSync } from 'fs';
import path from 'path';
import { parse } from 'yaml';
import appPluginJson from './plugin.json';
import datasourcePluginJson from './datasource/plugin.json';
import type { QueryKind } from './datasource/types';

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
});
