import pluginJson from '../plugin.json';
import datasourceJson from '../datasource/plugin.json';
import { resolveDataSourceRoute, resolvePluginRoute, type OrgRole, type PluginRoute } from './grafanaPluginProxy';

const routes = pluginJson.routes as PluginRoute[];
const data = {
  jsonData: { engineUrl: 'http://engine:8080' },
  secureJsonData: { viewerToken: 'V', operatorToken: 'O', adminToken: 'A' },
};

function call(role: OrgRole, method: string, proxyPath: string) {
  const r = resolvePluginRoute(routes, { method, proxyPath, role }, data);
  return r.status === 200 ? { status: 200, url: r.url, token: r.headers.Authorization } : { status: r.status };
}

describe('the app plugin routes give each Grafana role only what it needs (least privilege)', () => {
  // [role, method, path, status, engine token sent ('' when refused)]
  const cases: Array<[OrgRole, string, string, number, string]> = [
    ['Viewer', 'GET', 'engine/api/v1/workloads', 200, 'V'],
    ['Viewer', 'GET', 'engine/api/v1/jobs/j1/events', 200, 'V'],
    ['Viewer', 'POST', 'engine/api/v1/assistant/ask', 200, 'V'],
    ['Viewer', 'POST', 'engine/api/v1/forecast', 200, 'V'],
    ['Viewer', 'POST', 'engine/api/v1/rca', 403, ''],
    ['Viewer', 'POST', 'engine/api/v1/rca/r1/rerun', 403, ''],
    ['Viewer', 'POST', 'engine/api/v1/forecast/train', 403, ''],
    ['Viewer', 'POST', 'engine/api/v1/scale-plan', 403, ''],
    ['Viewer', 'DELETE', 'engine/api/v1/jobs/j1', 403, ''],
    ['Viewer', 'GET', 'engine-admin/api/v1/config', 403, ''],
    ['Editor', 'POST', 'engine/api/v1/rca', 200, 'O'],
    ['Editor', 'POST', 'engine/api/v1/rca/r1/rerun', 200, 'O'],
    ['Editor', 'POST', 'engine/api/v1/forecast/backtest', 200, 'O'],
    ['Editor', 'POST', 'engine/api/v1/scale-plan', 200, 'O'],
    ['Editor', 'DELETE', 'engine/api/v1/jobs/j1', 200, 'O'],
    ['Editor', 'GET', 'engine/api/v1/rca', 200, 'V'],
    ['Editor', 'POST', 'engine/api/v1/assistant/ingest', 404, ''],
    ['Editor', 'PUT', 'engine/api/v1/config/service-graph', 404, ''],
    ['Editor', 'POST', 'engine-admin/api/v1/scale-plan', 403, ''],
    ['Admin', 'POST', 'engine/api/v1/rca', 200, 'O'],
    ['Admin', 'POST', 'engine/api/v1/demo/faults', 404, ''],
    ['Admin', 'POST', 'engine-admin/api/v1/scale-plan', 200, 'A'],
    ['Admin', 'PUT', 'engine-admin/api/v1/config/service-graph', 200, 'A'],
    // Repairs page: reads for every Viewer; approving, rejecting and the kill switch only for Admins.
    ['Viewer', 'GET', 'engine/api/v1/repair/findings', 200, 'V'],
    ['Viewer', 'GET', 'engine/api/v1/repair/approvals', 200, 'V'],
    ['Viewer', 'GET', 'engine/api/v1/repair/audit/verify', 200, 'V'],
    ['Viewer', 'GET', 'engine/api/v1/repair/kill-switch', 200, 'V'],
    ['Editor', 'POST', 'engine/api/v1/repair/approvals/a1/approve', 404, ''],
    ['Admin', 'POST', 'engine/api/v1/repair/approvals/a1/approve', 404, ''],
    ['Editor', 'POST', 'engine-admin/api/v1/repair/approvals/a1/approve', 403, ''],
    ['Editor', 'PUT', 'engine-admin/api/v1/repair/kill-switch', 403, ''],
    ['Admin', 'POST', 'engine-admin/api/v1/repair/approvals/a1/approve', 200, 'A'],
    ['Admin', 'POST', 'engine-admin/api/v1/repair/approvals/a1/reject', 200, 'A'],
    ['Admin', 'PUT', 'engine-admin/api/v1/repair/kill-switch', 200, 'A'],
    // Alerts page: incidents and stats for Viewers; ack/resolve for Editors with the operator token.
    ['Viewer', 'GET', 'engine/api/v1/incidents', 200, 'V'],
    ['Viewer', 'GET', 'engine/api/v1/alerts/stats', 200, 'V'],
    ['Viewer', 'POST', 'engine/api/v1/incidents/i1/ack', 403, ''],
    ['Editor', 'POST', 'engine/api/v1/incidents/i1/ack', 200, 'O'],
    ['Editor', 'POST', 'engine/api/v1/incidents/i1/resolve', 200, 'O'],
    ['Editor', 'POST', 'engine/api/v1/alerts/webhook/alertmanager', 404, ''],
    ['Editor', 'POST', 'engine/api/v1/alerts/suppressions', 404, ''],
  ];

  test.each(cases)('%s %s %s -> %i', (role, method, path, status, token) => {
    const result = call(role, method, path);
    expect(result.status).toBe(status);
    if (token) {
      expect(result.token).toBe(`Bearer ${token}`);
    }
  });

  test('forwards to the same engine path whichever route matched', () => {
    expect(call('Editor', 'POST', 'engine/api/v1/rca/r1/rerun').url).toBe('http://engine:8080/api/v1/rca/r1/rerun');
    expect(call('Viewer', 'GET', 'engine/api/v1/workloads').url).toBe('http://engine:8080/api/v1/workloads');
    expect(call('Viewer', 'POST', 'engine/api/v1/forecast').url).toBe('http://engine:8080/api/v1/forecast');
    expect(call('Admin', 'POST', 'engine-admin/api/v1/scale-plan').url).toBe('http://engine:8080/api/v1/scale-plan');
    expect(call('Editor', 'POST', 'engine/api/v1/incidents/i1/ack').url).toBe(
      'http://engine:8080/api/v1/incidents/i1/ack'
    );
    expect(call('Admin', 'POST', 'engine-admin/api/v1/repair/approvals/a1/approve').url).toBe(
      'http://engine:8080/api/v1/repair/approvals/a1/approve'
    );
  });

  test('no route sends a token to a role that may not hold it', () => {
    const tokenRole: Record<string, OrgRole> = { viewerToken: 'Viewer', operatorToken: 'Editor', adminToken: 'Admin' };
    for (const route of routes) {
      const secret = /SecureJsonData\.(\w+)/.exec(route.headers?.[0]?.content ?? '')?.[1] ?? '';
      expect(tokenRole[secret]).toBe(route.reqRole);
    }
  });

  test('every page is declared with a role and the nested datasource by its path', () => {
    const pages = pluginJson.includes.filter((i) => i.type === 'page');
    expect(pages.every((p) => 'role' in p && p.role)).toBe(true);
    expect(pluginJson.includes).toContainEqual(
      expect.objectContaining({ type: 'datasource', path: 'datasource/plugin.json' })
    );
  });
});

describe('the datasource routes carry its engine token only for the reads it makes', () => {
  const dsRoutes = datasourceJson.routes as PluginRoute[];
  const dsData = { jsonData: { engineUrl: 'http://engine:8080' }, secureJsonData: { engineToken: 'D' } };
  const dsCall = (method: string, proxyPath: string) =>
    resolveDataSourceRoute(dsRoutes, { method, proxyPath, role: 'Viewer' }, dsData);

  test.each([
    ['GET', 'engine/api/v1/signals', 200],
    ['GET', 'engine/api/v1/metrics/query_range', 200],
    ['GET', 'engine/api/v1/rca', 200],
    ['POST', 'engine/api/v1/forecast', 200],
    // Anyone who may query the datasource could otherwise send any method with its token (an admin token, if set).
    ['POST', 'engine/api/v1/rca', 404],
    // Grafana matches a data source route by prefix: forecast/train still goes out, and the engine refuses it for
    // the viewer token this data source is meant to hold (training needs an operator).
    ['POST', 'engine/api/v1/forecast/train', 200],
    ['DELETE', 'engine/api/v1/jobs/j1', 404],
    ['PUT', 'engine/api/v1/config/service-graph', 404],
  ])('%s %s -> %i', (method, path, status) => {
    const result = dsCall(method, path);
    expect(result.status).toBe(status);
    if (result.status === 200) {
      expect(result.headers.Authorization).toBe('Bearer D');
      expect(result.url).toBe(`http://engine:8080/${path.replace(/^engine\//, '')}`);
    }
  });
});
