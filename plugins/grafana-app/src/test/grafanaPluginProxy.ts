/**
 * Grafana's app plugin proxy (`/api/plugin-proxy/<plugin-id>/<path>`) as its server code behaves in Grafana 12
 * (pkg/api/pluginproxy): routes are tried in plugin.json order; a route whose method differs is skipped; the path
 * is matched like a router pattern (static segments exactly, a trailing `*` takes the rest); the FIRST match wins and
 * its `reqRole` is enforced (403, no fall-through); no match is a 404. The URL and headers are templates over the
 * plugin's jsonData and decrypted secureJsonData. No Grafana server runs on our machines, so the unit tests and the
 * browser harness resolve calls with this, against the real plugin.json.
 */

export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export interface PluginRoute {
  path: string;
  method?: string;
  reqRole?: OrgRole;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface PluginSettingsData {
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

export type ProxyResolution =
  | { status: 200; route: PluginRoute; url: string; headers: Record<string, string> }
  | { status: 403 | 404; message: string };

const RANK: Record<OrgRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

const segments = (path: string) => path.split('/').filter((s) => s.length > 0);

/** The part a trailing `*` took ('' for a static match), or undefined when the pattern does not match. */
function matchPattern(pattern: string, path: string): string | undefined {
  const want = segments(pattern);
  const have = segments(path);
  const wildcard = want[want.length - 1] === '*';
  const fixed = wildcard ? want.slice(0, -1) : want;
  if (wildcard ? have.length <= fixed.length : have.length !== fixed.length) {
    return undefined;
  }
  if (!fixed.every((segment, i) => segment === have[i])) {
    return undefined;
  }
  return wildcard ? have.slice(fixed.length).join('/') : '';
}

function interpolate(template: string, data: PluginSettingsData): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_, scope: string, key: string) =>
    String((scope === 'JsonData' ? data.jsonData[key] : data.secureJsonData[key]) ?? '')
  );
}

const joinUrl = (base: string, rest: string) => (rest ? `${base.replace(/\/+$/, '')}/${rest}` : base);

type ProxyRequest = { method: string; proxyPath: string; role: OrgRole };

export function resolvePluginRoute(
  routes: PluginRoute[],
  request: ProxyRequest,
  data: PluginSettingsData
): ProxyResolution {
  return resolveRoute(routes, request, data, matchPattern, 'plugin route match not found');
}

/**
 * Grafana's data source proxy (pkg/api/pluginproxy/ds_proxy.go): the first route whose method matches (none or `*`
 * matches any) and whose path is a prefix of the proxied path; the rest of the path is appended to its URL. A route
 * whose reqRole the user lacks refuses (403); no route: the data source's own URL, which ours does not set (404 here).
 */
export function resolveDataSourceRoute(
  routes: PluginRoute[],
  request: ProxyRequest,
  data: PluginSettingsData
): ProxyResolution {
  const byPrefix = (path: string, proxyPath: string) =>
    proxyPath.startsWith(path) ? proxyPath.slice(path.length).replace(/^\//, '') : undefined;
  return resolveRoute(routes, request, data, byPrefix, 'no data source route matches');
}

/** The first route whose method and path match (`match` gives the rest of the path, or undefined), forwarded. */
function resolveRoute(
  routes: PluginRoute[],
  request: ProxyRequest,
  data: PluginSettingsData,
  match: (path: string, proxyPath: string) => string | undefined,
  notFound: string
): ProxyResolution {
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== request.method) {
      continue;
    }
    const rest = match(route.path, request.proxyPath);
    if (rest !== undefined) {
      return forward(route, request.role, data, rest);
    }
  }
  return { status: 404, message: notFound };
}

/** A matched route: refused for a role below its reqRole, else its URL with the rest of the path and its headers. */
function forward(route: PluginRoute, role: OrgRole, data: PluginSettingsData, rest: string): ProxyResolution {
  if (route.reqRole && RANK[role] < RANK[route.reqRole]) {
    return { status: 403, message: 'plugin proxy route access denied' };
  }
  const headers = Object.fromEntries((route.headers ?? []).map((h) => [h.name, interpolate(h.content, data)]));
  return { status: 200, route, url: joinUrl(interpolate(route.url, data), rest), headers };
}
