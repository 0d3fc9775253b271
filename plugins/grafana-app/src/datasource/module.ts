import { DataSourcePlugin } from '@grafana/data';
import { CloudOpsDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import type { CloudOpsDataSourceOptions, CloudOpsQuery, CloudOpsSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<
  CloudOpsDataSource,
  CloudOpsQuery,
  CloudOpsDataSourceOptions,
  CloudOpsSecureJsonData
>(CloudOpsDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
