import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;

export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** The `engine` route of plugin.json: Grafana forwards it to jsonData.engineUrl with the secure token attached. */
export const ENGINE_PROXY_URL = `/api/plugin-proxy/${pluginJson.id}/engine`;

/** The `engine-admin` route: Grafana Admins only, with the engine's admin token (repair approvals, kill switch). */
export const ENGINE_ADMIN_PROXY_URL = `/api/plugin-proxy/${pluginJson.id}/engine-admin`;

export const DATASOURCE_TYPE = 'aicloudops-cloudops-datasource';

export enum ROUTES {
  Overview = 'overview',
  RootCause = 'root-cause',
  Forecast = 'forecast',
  Assistant = 'assistant',
  Repairs = 'repairs',
  Alerts = 'alerts',
}

/** Namespace the pages start with; the engine's own default (`defaultNamespace`) is the demo shop's. */
export const DEFAULT_NAMESPACE = 'shop';
