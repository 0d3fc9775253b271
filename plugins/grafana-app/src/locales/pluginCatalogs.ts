import { join, sep } from 'node:path';
import appPluginJson from '../plugin.json';
import datasourcePluginJson from '../datasource/plugin.json';

export interface PluginCatalog {
  pluginId: string;
  languages: string[];
  /** Where the plugin's `t()` calls live. */
  sourceDir: string;
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
    sourceDir: SRC,
    exclude: (path) => isNested(path) || path === join(SRC, 'locales'),
    catalogPath: (language) => join(SRC, 'locales', language, `${appPluginJson.id}.json`),
  },
  {
    pluginId: datasourcePluginJson.id,
    languages: datasourcePluginJson.languages,
    sourceDir: join(SRC, 'datasource'),
    exclude: () => false,
    catalogPath: (language) => join(SRC, 'datasource', 'locales', language, `${datasourcePluginJson.id}.json`),
  },
];
