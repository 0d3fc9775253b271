import React, { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import {
  createDataFrame,
  dateTime,
  FieldType,
  LoadingState,
  type DataFrame,
  type GrafanaTheme2,
  type PanelData,
} from '@grafana/data';
import { PanelRenderer, PluginPage } from '@grafana/runtime';
import { Button, Combobox, InlineField, InlineFieldRow, Input, useStyles2 } from '@grafana/ui';
import { useEngineApi } from '../api/useEngineApi';
import type { ForecastResponse, SignalInfo } from '../api/types';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { testIds } from '../components/testIds';
import { DEFAULT_NAMESPACE } from '../constants';
import { forecastToFrame } from '../datasource/toFrames';
import { toEpochMs } from '../datasource/toEpochMs';
import { initialParam } from '../utils/initialParam';

const CHART_HEIGHT = 320;

export function ForecastPage() {
  const s = useStyles2(getStyles);
  const api = useEngineApi();
  const [namespace, setNamespace] = useState(() => initialParam('namespace', DEFAULT_NAMESPACE));
  const [service, setService] = useState(() => initialParam('service', 'frontend'));
  const [signal, setSignal] = useState(() => initialParam('signal', 'request_rate'));
  // Kept as typed, so the field can be cleared and retyped; parsed when the forecast is asked for.
  const [horizon, setHorizon] = useState('60');
  const [signals, setSignals] = useState<SignalInfo[]>([]);
  const [result, setResult] = useState<ForecastResponse>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    api.signals().then(
      (catalog) => setSignals(catalog.items),
      () => setSignals([])
    );
  }, [api]);

  const run = async () => {
    setLoading(true);
    setError(undefined);
    try {
      setResult(
        await api.forecast({ namespace: namespace || undefined, service, signal, horizonMinutes: horizonMinutes })
      );
    } catch (e) {
      setResult(undefined);
      setError(e);
    }
    setLoading(false);
  };

  const horizonMinutes = Number(horizon);
  const horizonValid = horizon.trim() !== '' && Number.isInteger(horizonMinutes) && horizonMinutes > 0;
  const unit = signals.find((x) => x.name === signal)?.unit ?? '';
  const signalOptions = (signals.length > 0 ? signals.map((x) => x.name) : [signal]).map((name) => ({
    label: name,
    value: name,
  }));

  return (
    <PluginPage>
      <div data-testid={testIds.forecast.container}>
        <InlineFieldRow>
          <InlineField label="Namespace" labelWidth={14}>
            <Input
              data-testid={testIds.forecast.namespace}
              width={18}
              value={namespace}
              onChange={(e) => setNamespace(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField label="Service" labelWidth={10}>
            <Input
              data-testid={testIds.forecast.service}
              width={18}
              value={service}
              onChange={(e) => setService(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField label="Signal" labelWidth={10}>
            <Combobox
              data-testid={testIds.forecast.signal}
              id="forecast-signal"
              width={20}
              options={signalOptions}
              value={signal}
              onChange={(v) => v.value && setSignal(v.value)}
            />
          </InlineField>
          <InlineField
            label="Horizon (min)"
            labelWidth={14}
            invalid={!horizonValid}
            error={horizonValid ? undefined : 'A whole number of minutes'}
          >
            <Input
              data-testid={testIds.forecast.horizon}
              type="number"
              min={5}
              width={10}
              value={horizon}
              onChange={(e) => setHorizon(e.currentTarget.value)}
            />
          </InlineField>
          <Button
            data-testid={testIds.forecast.run}
            icon="chart-line"
            onClick={() => void run()}
            disabled={loading || !service || !horizonValid}
          >
            Forecast
          </Button>
        </InlineFieldRow>

        {error !== undefined && (
          <EngineErrorAlert error={error} title="Forecast failed" testId={testIds.forecast.error} />
        )}

        {result && (
          <div className={s.section} data-testid={testIds.forecast.result}>
            <p>
              Model <strong>{result.model}</strong>
              <span className={s.muted}>
                {' '}
                {result.source === 'stored'
                  ? `trained v${result.modelVersion ?? '?'}`
                  : 'fitted now (no trained model yet)'}
              </span>
              {result.reason && <span className={s.muted}> ({result.reason})</span>}
              <span className={s.muted}>; shaded band: {Math.round(result.coverage * 100)}% prediction interval</span>
            </p>
            <ForecastChart result={result} service={service} signal={signal} />
            <ForecastSummary result={result} unit={unit} />
          </div>
        )}
      </div>
    </PluginPage>
  );
}

function ForecastChart({ result, service, signal }: { result: ForecastResponse; service: string; signal: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useLayoutEffect(() => {
    if (ref.current?.clientWidth) {
      setWidth(ref.current.clientWidth);
    }
  }, []);

  const frames: DataFrame[] = [forecastToFrame(result, { refId: 'forecast', service, signal })];
  if (result.history.length > 0) {
    frames.unshift(
      createDataFrame({
        refId: 'history',
        name: `${service} ${signal}`,
        fields: [
          { name: 'time', type: FieldType.time, values: result.history.map((p) => toEpochMs(p.t)) },
          {
            name: 'value',
            type: FieldType.number,
            values: result.history.map((p) => p.value),
            config: { displayName: `${service} ${signal}` },
          },
        ],
      })
    );
  }
  const times = frames.flatMap((f) => f.fields[0]?.values ?? []) as number[];
  if (times.length === 0) {
    return null;
  }
  const from = dateTime(Math.min(...times));
  const to = dateTime(Math.max(...times));
  const data: PanelData = { state: LoadingState.Done, series: frames, timeRange: { from, to, raw: { from, to } } };

  return (
    <div ref={ref}>
      <PanelRenderer
        title={`${service} ${signal}`}
        pluginId="timeseries"
        width={width}
        height={CHART_HEIGHT}
        data={data}
      />
    </div>
  );
}

/** The numbers behind the chart at a few horizons, readable without hovering. */
function ForecastSummary({ result, unit }: { result: ForecastResponse; unit: string }) {
  const s = useStyles2(getStyles);
  const { points } = result;
  if (points.length === 0) {
    return <p className={s.muted}>The model returned no points.</p>;
  }
  const picks = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])].map((i) => points[i]!);
  const fmt = (v: number) => v.toPrecision(4);
  return (
    <table className={s.table}>
      <thead>
        <tr>
          <th>Time</th>
          <th>Forecast {unit && `(${unit})`}</th>
          <th>Interval</th>
        </tr>
      </thead>
      <tbody>
        {picks.map((p) => (
          <tr key={String(p.t)}>
            <td>{dateTime(toEpochMs(p.t)).format('YYYY-MM-DD HH:mm')}</td>
            <td>{fmt(p.value)}</td>
            <td>
              {fmt(p.lower)} – {fmt(p.upper)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css`
    margin-top: ${theme.spacing(3)};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
  `,
  table: css`
    margin-top: ${theme.spacing(2)};
    border-collapse: collapse;
    th,
    td {
      text-align: left;
      padding: ${theme.spacing(0.5, 2, 0.5, 0)};
      border-bottom: 1px solid ${theme.colors.border.weak};
    }
  `,
});
