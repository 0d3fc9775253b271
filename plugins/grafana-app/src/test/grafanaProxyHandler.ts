import pluginJson from '../plugin.json';
import type { Handler } from './FakeBackendSrv';
import { resolvePluginRoute, type OrgRole, type PluginRoute } from './grafanaPluginProxy';

/**
 * A backend-service handler that answers `/api/plugin-proxy/<id>/...` as Grafana does: the real plugin.json routes
 * pick the route (method, path, reqRole for `role`) and the token from `secureJsonData`, then the call is forwarded to
 * the engine. Tests of the pages against a real engine with auth on use it to check that each button's call reaches
 * the engine with the token its route carries, and that a role the route refuses gets Grafana's 403.
 */
export function grafanaProxy(options: {
  engineUrl: string;
  role: OrgRole;
  secureJsonData: Record<string, string>;
}): Handler {
  const prefix = `/api/plugin-proxy/${pluginJson.id}/`;
  return async (request) => {
    if (!request.path.startsWith(prefix)) {
      return { status: 404, body: { message: `not a plugin-proxy call: ${request.url}` } };
    }
    const route = resolvePluginRoute(
      pluginJson.routes as PluginRoute[],
      { method: request.method, proxyPath: request.path.slice(prefix.length), role: options.role },
      { jsonData: { engineUrl: options.engineUrl }, secureJsonData: options.secureJsonData }
    );
    if (route.status !== 200) {
      return { status: route.status, body: { message: route.message } };
    }
    const search = request.url.includes('?') ? `?${request.url.split('?')[1]}` : '';
    const body = request.data === undefined ? undefined : JSON.stringify(request.data);
    const response = await fetch(`${route.url}${search}`, {
      method: request.method,
      headers: {
        ...route.headers,
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body,
    });
    return { status: response.status, body: await response.text() };
  };
}
