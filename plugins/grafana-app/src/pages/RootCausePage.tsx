import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Badge, Button, InlineField, InlineFieldRow, Input, LinkButton, useStyles2 } from '@grafana/ui';
import { describeDeviation } from '@ai-cloudops/engine/client';
import { useEngineApi } from '../api/useEngineApi';
import { useJobStream } from '../api/useJobStream';
import type { JobRecordOf, RcaCandidate, RcaResult } from '../api/types';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { testIds } from '../components/testIds';
import { DEFAULT_NAMESPACE } from '../constants';
import { exploreUrl } from '../utils/exploreUrl';
import { initialParam } from '../utils/initialParam';
import { prometheusUid } from '../utils/prometheusUid';

/** Queued jobs wait for a slot (admission control); both states end in a final one worth polling for. */
const isActive = (job: { status: string }) => job.status === 'queued' || job.status === 'running';

export function RootCausePage() {
  const s = useStyles2(getStyles);
  const api = useEngineApi();
  const [namespace, setNamespace] = useState(() => initialParam('namespace', DEFAULT_NAMESPACE));
  const [service, setService] = useState(() => initialParam('service', ''));
  const [windowText, setWindowText] = useState('30');
  const [started, setStarted] = useState<JobRecordOf<RcaResult>>();
  const [startError, setStartError] = useState<unknown>();
  const [window_, setWindow] = useState<{ start: number; end: number }>();
  // Progress over the job's event stream (reconnecting, polling as a fallback); only while the job is not final.
  const stream = useJobStream<RcaResult>(started && isActive(started) ? started.id : undefined);
  const job = stream.job?.id === started?.id && stream.job ? stream.job : started;
  const error = startError ?? stream.error;

  const start = async () => {
    setStartError(undefined);
    setStarted(undefined);
    const end = Math.floor(Date.now() / 1000);
    const window = { start: end - Math.round(windowMinutes * 60), end };
    setWindow(window);
    try {
      setStarted(
        await api.startRca({
          namespace: namespace || undefined,
          target: service ? { service } : undefined,
          window,
        })
      );
    } catch (e) {
      setStartError(e);
    }
  };

  const windowMinutes = Number(windowText);
  const windowValid = windowText.trim() !== '' && Number.isFinite(windowMinutes) && windowMinutes > 0;
  const running = job !== undefined && isActive(job);
  const result = job?.result;
  const candidates = [...(result?.candidates ?? [])].sort((a, b) => b.score - a.score);
  // Explore opens on the baseline and the incident together, as the engine compared them.
  const w = result?.window;
  const range = w
    ? { from: w.baselineStart * 1000, to: w.end * 1000 }
    : window_
      ? { from: window_.start * 1000, to: window_.end * 1000 }
      : { from: 'now-1h', to: 'now' };
  const promUid = prometheusUid();

  return (
    <PluginPage>
      <div data-testid={testIds.rootCause.container}>
        <InlineFieldRow>
          <InlineField label="Namespace" labelWidth={14}>
            <Input
              data-testid={testIds.rootCause.namespace}
              width={20}
              value={namespace}
              onChange={(e) => setNamespace(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField
            label="Service"
            labelWidth={12}
            tooltip="The symptom to explain, e.g. frontend; empty analyses the whole namespace"
          >
            <Input
              data-testid={testIds.rootCause.service}
              width={20}
              value={service}
              placeholder="any"
              onChange={(e) => setService(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField
            label="Last (min)"
            labelWidth={12}
            invalid={!windowValid}
            error={windowValid ? undefined : 'Minutes, above zero'}
          >
            <Input
              data-testid={testIds.rootCause.windowMinutes}
              type="number"
              min={5}
              width={10}
              value={windowText}
              onChange={(e) => setWindowText(e.currentTarget.value)}
            />
          </InlineField>
          <Button
            data-testid={testIds.rootCause.start}
            icon="search"
            onClick={() => void start()}
            disabled={running || !windowValid}
          >
            Find root cause
          </Button>
        </InlineFieldRow>

        {error !== undefined && (
          <EngineErrorAlert error={error} title="Root-cause analysis failed" testId={testIds.rootCause.error} />
        )}

        {job && (
          <div className={s.section} data-testid={testIds.rootCause.progress}>
            <div
              className={s.progressTrack}
              role="progressbar"
              aria-valuenow={Math.round(job.progress * 100)}
              aria-valuemin={0}
              aria-valuemax={100}
            >
              <div className={s.progressBar} style={{ width: `${Math.round(job.progress * 100)}%` }} />
            </div>
            <div className={s.muted}>
              {job.status}: {job.message} ({Math.round(job.progress * 100)}%)
            </div>
            {job.status === 'failed' && job.error && (
              <EngineErrorAlert
                error={new Error(`${job.error.code}: ${job.error.message}`)}
                title="The analysis failed"
              />
            )}
          </div>
        )}

        {result?.narrative && (
          <div className={s.section} data-testid={testIds.rootCause.narrative}>
            <h3>Summary</h3>
            <p className={s.narrative}>{result.narrative}</p>
          </div>
        )}

        {result && result.warnings.length > 0 && (
          <Alert severity="warning" title="Some data could not be collected" className={s.section}>
            <ul>
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </Alert>
        )}

        {job?.status === 'succeeded' && candidates.length === 0 && (
          <p className={s.section}>No candidate stood out in this window.</p>
        )}

        {candidates.length > 0 && (
          <ol className={s.candidates}>
            {candidates.map((c, i) => (
              <CandidateItem
                key={`${c.service}/${c.signal}/${c.faultType}/${i}`}
                candidate={c}
                range={range}
                promUid={promUid}
              />
            ))}
          </ol>
        )}
      </div>
    </PluginPage>
  );
}

function CandidateItem({
  candidate,
  range,
  promUid,
}: {
  candidate: RcaCandidate;
  range: { from: number | string; to: number | string };
  promUid?: string;
}) {
  const s = useStyles2(getStyles);
  const { metrics, logs, events, changes } = candidate.evidence;
  return (
    <li className={s.candidate} data-testid={testIds.rootCause.candidate}>
      <div>
        <strong>{candidate.service}</strong>
        {candidate.signal && <span className={s.muted}> {candidate.signal}</span>}{' '}
        {candidate.faultType && <Badge color="orange" text={candidate.faultType} />}{' '}
        <span className={s.muted}>score {candidate.score.toFixed(2)}</span>
      </div>
      <ul className={s.evidence}>
        {metrics.map((m, i) => (
          <li key={`m${i}`}>
            {m.signal}: {fmt(m.incidentValue)}
            {m.unit ? ` ${m.unit}` : ''} against a baseline of {fmt(m.baselineMedian)} ({describeDeviation(m)})
            {m.changePoint !== undefined && `, changed at ${clock(m.changePoint)}`}
            {m.promql && (
              <>
                {' '}
                <LinkButton
                  href={exploreUrl(m.promql, range, promUid)}
                  size="sm"
                  fill="text"
                  icon="compass"
                  title={m.promql}
                >
                  Explore
                </LinkButton>
              </>
            )}
          </li>
        ))}
        {changes.map((c, i) => (
          <li key={`c${i}`}>
            {clock(c.time)} {c.kind}: {c.description}
          </li>
        ))}
        {events.map((e, i) => (
          <li key={`e${i}`}>
            {clock(e.time)} {e.type} {e.reason} on {e.object}: {e.message}
            {e.count > 1 && ` (x${e.count})`}
          </li>
        ))}
        {logs.map((l, i) => (
          <li key={`l${i}`}>
            {l.isNew ? 'new log pattern' : `log pattern ${l.countBaseline} → ${l.countIncident}`}:{' '}
            <code>{l.template}</code>
          </li>
        ))}
      </ul>
    </li>
  );
}

function fmt(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(3)).toString() : String(value);
}

/** Unix seconds as UTC wall-clock time. */
function clock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(11, 19);
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css`
    margin-top: ${theme.spacing(3)};
  `,
  progressTrack: css`
    height: ${theme.spacing(1)};
    background: ${theme.colors.background.secondary};
    border-radius: ${theme.shape.radius.default};
    overflow: hidden;
  `,
  progressBar: css`
    height: 100%;
    background: ${theme.colors.primary.main};
    transition: width 0.3s;
  `,
  narrative: css`
    white-space: pre-wrap;
  `,
  candidates: css`
    margin-top: ${theme.spacing(3)};
    padding-left: ${theme.spacing(3)};
  `,
  candidate: css`
    margin-bottom: ${theme.spacing(2)};
  `,
  evidence: css`
    margin-left: ${theme.spacing(2)};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
