import React, { useEffect, useId, useState, type ChangeEvent } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Input, RadioButtonGroup, type ComboboxOption } from '@grafana/ui';
import { t } from '@grafana/i18n';
import type { CloudOpsDataSource } from '../datasource';
import type { CloudOpsDataSourceOptions, CloudOpsQuery, QueryKind } from '../types';
import { testIds } from '../../components/testIds';

type Props = QueryEditorProps<CloudOpsDataSource, CloudOpsQuery, CloudOpsDataSourceOptions>;

/** Built on render: t() reads the user's language, known only once the plugin loaded. */
const kindOptions = (): Array<SelectableValue<QueryKind>> => [
  {
    label: t('query.kind.forecast.label', 'Forecast'),
    value: 'forecast',
    description: t('query.kind.forecast.description', 'Model forecast with its prediction interval'),
  },
  {
    label: t('query.kind.anomaly-score.label', 'Anomaly score'),
    value: 'anomaly-score',
    description: t('query.kind.anomaly-score.description', 'Robust z-score of the signal against its recent past'),
  },
  {
    label: t('query.kind.history.label', 'History'),
    value: 'history',
    description: t('query.kind.history.description', 'The signal as the engine reads it'),
  },
  {
    label: t('query.kind.service-graph.label', 'Service graph'),
    value: 'service-graph',
    description: t(
      'query.kind.service-graph.description',
      "A root-cause analysis's services and calls, candidates coloured by score (node graph panel)"
    ),
  },
];

export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const [signals, setSignals] = useState<Array<ComboboxOption<string>>>([]);
  const [signalsError, setSignalsError] = useState<string>();
  // A panel shows one editor per query; a fixed id would tie every "Signal" label to the first query's input.
  const signalInputId = useId();

  useEffect(() => {
    let live = true;
    datasource
      .signals()
      .then(
        (catalog) =>
          live && setSignals(catalog.items.map((s) => ({ label: s.name, value: s.name, description: s.unit })))
      )
      .catch((error: unknown) => live && setSignalsError(error instanceof Error ? error.message : String(error)));
    return () => {
      live = false;
    };
  }, [datasource]);

  const update = (patch: Partial<CloudOpsQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };
  // Text inputs update on every keystroke but query only when the user leaves the field.
  const onText = (key: 'service' | 'namespace' | 'rcaId') => (e: ChangeEvent<HTMLInputElement>) =>
    update({ [key]: e.currentTarget.value }, false);

  // A signal typed in a saved query stays selectable even when the engine is unreachable.
  const signalOptions =
    query.signal && !signals.some((s) => s.value === query.signal)
      ? [...signals, { label: query.signal, value: query.signal }]
      : signals;

  return (
    <>
      <InlineFieldRow>
        <InlineField label={t('query.kind.label', 'Kind')} labelWidth={12}>
          <RadioButtonGroup<QueryKind>
            data-testid={testIds.queryEditor.kind}
            options={kindOptions()}
            value={query.kind ?? 'forecast'}
            onChange={(kind) => update({ kind })}
          />
        </InlineField>
      </InlineFieldRow>
      {query.kind === 'service-graph' ? (
        <InlineFieldRow>
          <InlineField
            label={t('query.rca-id.label', 'RCA id')}
            labelWidth={12}
            tooltip={t('query.rca-id.tooltip', 'Empty means the newest analysis (of the namespace)')}
          >
            <Input
              data-testid={testIds.queryEditor.rcaId}
              width={40}
              value={query.rcaId ?? ''}
              placeholder={t('query.rca-id.placeholder', 'newest')}
              onChange={onText('rcaId')}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
          <InlineField
            label={t('query.namespace.label', 'Namespace')}
            labelWidth={12}
            tooltip={t('query.namespace.tooltip-any', 'Empty means any namespace')}
          >
            <Input
              data-testid={testIds.queryEditor.namespace}
              width={18}
              value={query.namespace ?? ''}
              placeholder={t('query.namespace.placeholder-any', 'any')}
              onChange={onText('namespace')}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
        </InlineFieldRow>
      ) : (
        <InlineFieldRow>
          <InlineField
            label={t('query.service.label', 'Service')}
            labelWidth={12}
            tooltip={t('query.service.tooltip', 'Workload or service name, e.g. checkout; template variables allowed')}
          >
            <Input
              data-testid={testIds.queryEditor.service}
              width={24}
              value={query.service ?? ''}
              // eslint-disable-next-line @grafana/i18n/no-untranslated-strings -- an example value, typed as it is in any language
              placeholder="checkout"
              onChange={onText('service')}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
          <InlineField
            label={t('query.signal.label', 'Signal')}
            labelWidth={10}
            error={signalsError}
            invalid={Boolean(signalsError)}
          >
            <Combobox
              data-testid={testIds.queryEditor.signal}
              id={signalInputId}
              width={24}
              options={signalOptions}
              value={query.signal}
              createCustomValue
              onChange={(v) => update({ signal: v.value })}
            />
          </InlineField>
          <InlineField
            label={t('query.namespace.label', 'Namespace')}
            labelWidth={12}
            tooltip={t('query.namespace.tooltip', 'Empty means the default namespace')}
          >
            <Input
              data-testid={testIds.queryEditor.namespace}
              width={18}
              value={query.namespace ?? ''}
              // eslint-disable-next-line @grafana/i18n/no-untranslated-strings -- an example value, typed as it is in any language
              placeholder="default"
              onChange={onText('namespace')}
              onBlur={() => onRunQuery()}
            />
          </InlineField>
          {(query.kind ?? 'forecast') === 'forecast' && (
            <InlineField label={t('query.horizon.label', 'Horizon (min)')} labelWidth={14}>
              <Input
                data-testid={testIds.queryEditor.horizon}
                type="number"
                width={10}
                min={1}
                value={query.horizonMinutes ?? ''}
                onChange={(e) => {
                  const n = Number(e.currentTarget.value);
                  update(
                    { horizonMinutes: e.currentTarget.value === '' || !Number.isFinite(n) ? undefined : n },
                    false
                  );
                }}
                onBlur={() => onRunQuery()}
              />
            </InlineField>
          )}
        </InlineFieldRow>
      )}
    </>
  );
}
