import { DataSourcePlugin } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import pluginJson from './plugin.json';
import { CloudOpsDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { CloudOpsDataSourceOptions, CloudOpsQuery, CloudOpsSecureJsonData } from './types';

// The datasource is its own plugin, so its own i18n namespace (its id) and catalogs (./locales).
await initPluginTranslations(pluginJson.id);

export const plugin = new DataSourcePlugin<
  CloudOpsDataSource,
  CloudOpsQuery,
  CloudOpsDataSourceOptions,
  CloudOpsSecureJsonData
>(CloudOpsDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
