import { join, sep } from 'node:path';
import appPluginJson from '../plugin.json';
import datasourcePluginJson from '../datasource/plugin.json';
import incidentCardPluginJson from '../panels/incident-card/plugin.json';

export interface PluginCatalog {
  pluginId: string;
  languages: string[];
  /** Where the plugin's `t()` calls live: its folder, and shared components it renders (bundled into it). */
  sourceDirs: string[];
  exclude: (path: string) => boolean;
  catalogPath: (language: string) => string;
}

const SRC = join(__dirname, '..');
// Nested plugins have their own id, so their own i18n namespace and catalogs next to their plugin.json.
const NESTED = ['datasource', 'panels'].map((dir) => join(SRC, dir));
const isNested = (path: string) => NESTED.some((dir) => path === dir || path.startsWith(dir + sep));

/** Each plugin this package ships, with the catalogs Grafana loads for it (plugin.json `languages`). */
export const PLUGIN_CATALOGS: PluginCatalog[] = [
  {
    pluginId: appPluginJson.id,
    languages: appPluginJson.languages,
    sourceDirs: [SRC],
    exclude: (path) => isNested(path) || path === join(SRC, 'locales'),
    catalogPath: (language) => join(SRC, 'locales', language, `${appPluginJson.id}.json`),
  },
  {
    pluginId: datasourcePluginJson.id,
    languages: datasourcePluginJson.languages,
    sourceDirs: [join(SRC, 'datasource')],
    exclude: () => false,
    catalogPath: (language) => join(SRC, 'datasource', 'locales', language, `${datasourcePluginJson.id}.json`),
  },
  {
    pluginId: incidentCardPluginJson.id,
    languages: incidentCardPluginJson.languages,
    sourceDirs: [join(SRC, 'panels', 'incident-card'), join(SRC, 'components', 'EngineError')],
    exclude: () => false,
    catalogPath: (language) =>
      join(SRC, 'panels', 'incident-card', 'locales', language, `${incidentCardPluginJson.id}.json`),
  },
];
