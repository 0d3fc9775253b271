import pluginJson from '../plugin.json';
import type { FetchLike } from '../api/EngineApi';
import { resolvePluginRoute, type OrgRole, type PluginRoute } from './grafanaPluginProxy';

export interface ProxiedCall {
  method: string;
  /** The path under the plugin proxy, e.g. `engine/api/v1/assistant/ask`. */
  proxyPath: string;
  status: number;
  contentType: string;
}

/**
 * The browser's fetch on Grafana's plugin-proxy URLs, as the app's event streams use it: the real plugin.json routes
 * pick the route for the role (403/404 as Grafana answers), add its token and forward the request's own headers; the
 * engine's response body is passed on as it arrives. Grafana's proxy (Go's ReverseProxy) flushes text/event-stream
 * at once, so passing the body through unbuffered is the faithful stand-in.
 */
export function grafanaProxyFetch(options: {
  engineUrl: string;
  role: OrgRole;
  secureJsonData: Record<string, string>;
}): { fetch: FetchLike; calls: ProxiedCall[] } {
  const prefix = `/api/plugin-proxy/${pluginJson.id}/`;
  const calls: ProxiedCall[] = [];
  // Node's fetch, taken now: tests install the returned function as window.fetch, which jsdom shares with the global.
  const upstreamFetch = globalThis.fetch;
  const fetchThroughProxy: FetchLike = async (input, init = {}) => {
    const [path = '', search] = input.split('?');
    if (!path.startsWith(prefix)) {
      return upstreamFetch(input, init); // other origins (the test's own calls to the engine) go straight through
    }
    const method = (init.method ?? 'GET').toUpperCase();
    const proxyPath = path.slice(prefix.length);
    const route = resolvePluginRoute(
      pluginJson.routes as PluginRoute[],
      { method, proxyPath, role: options.role },
      { jsonData: { engineUrl: options.engineUrl }, secureJsonData: options.secureJsonData }
    );
    if (route.status !== 200) {
      calls.push({ method, proxyPath, status: route.status, contentType: 'application/json' });
      return new Response(JSON.stringify({ message: route.message }), {
        status: route.status,
        headers: { 'content-type': 'application/json' },
      });
    }
    const headers = new Headers(init.headers);
    headers.delete('authorization'); // the route's token replaces whatever the browser sent
    for (const [name, value] of Object.entries(route.headers)) {
      headers.set(name, value);
    }
    const response = await upstreamFetch(search ? `${route.url}?${search}` : route.url, { ...init, method, headers });
    calls.push({ method, proxyPath, status: response.status, contentType: response.headers.get('content-type') ?? '' });
    return response;
  };
  return { fetch: fetchThroughProxy, calls };
}
