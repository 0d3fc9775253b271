import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput } from '@grafana/ui';
import { t } from '@grafana/i18n';
import type { CloudOpsDataSourceOptions, CloudOpsSecureJsonData } from '../types';
import { testIds } from '../../components/testIds';

type Props = DataSourcePluginOptionsEditorProps<CloudOpsDataSourceOptions, CloudOpsSecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const onJson = (key: keyof CloudOpsDataSourceOptions) => (e: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [key]: e.currentTarget.value.trim() } });

  return (
    <FieldSet label={t('config.title', 'AI-CloudOps engine')}>
      <Field
        label={t('config.engine-url.label', 'Engine URL')}
        description={t(
          'config.engine-url.description',
          "Where Grafana's server reaches the engine, e.g. http://aicloudops-engine:8080"
        )}
      >
        <Input
          data-testid={testIds.datasourceConfig.engineUrl}
          width={60}
          value={jsonData.engineUrl ?? ''}
          // eslint-disable-next-line @grafana/i18n/no-untranslated-strings -- an example value, typed as it is in any language
          placeholder="http://localhost:8080"
          onChange={onJson('engineUrl')}
        />
      </Field>
      <Field
        label={t('config.token.label', 'Engine token')}
        description={t(
          'config.token.description',
          'A viewer token is enough for forecasts and history; stored encrypted'
        )}
      >
        <SecretInput
          data-testid={testIds.datasourceConfig.engineToken}
          width={60}
          isConfigured={Boolean(secureJsonFields?.engineToken)}
          value={secureJsonData?.engineToken ?? ''}
          placeholder={t('config.token.placeholder', 'Bearer token configured in the engine')}
          onChange={(e) =>
            onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, engineToken: e.currentTarget.value } })
          }
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, engineToken: false },
              secureJsonData: { ...secureJsonData, engineToken: '' },
            })
          }
        />
      </Field>
      <Field
        label={t('config.namespace.label', 'Default namespace')}
        description={t('config.namespace.description', 'Used by queries that name no namespace')}
      >
        <Input
          width={30}
          value={jsonData.defaultNamespace ?? ''}
          // eslint-disable-next-line @grafana/i18n/no-untranslated-strings -- an example value, typed as it is in any language
          placeholder="shop"
          onChange={onJson('defaultNamespace')}
        />
      </Field>
    </FieldSet>
  );
}
