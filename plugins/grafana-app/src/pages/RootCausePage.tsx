import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { t } from '@grafana/i18n';
import { Alert, Button, InlineField, InlineFieldRow, Input, useStyles2 } from '@grafana/ui';
import { useEngineApi } from '../api/useEngineApi';
import { useJobStream } from '../api/useEventStream';
import type { JobRecordOf, RcaResult } from '../api/types';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { CandidateCard } from '../components/rca/CandidateCard';
import { NarrativeSummary, type BaselineSummary } from '../components/rca/NarrativeSummary';
import { RcaEmptyState } from '../components/rca/RcaEmptyState';
import { ServiceGraph } from '../components/rca/ServiceGraph';
import { serviceGraphFrames } from '../datasource/serviceGraphFrames';
import { testIds } from '../components/testIds';
import { DEFAULT_NAMESPACE } from '../constants';
import { initialParam } from '../utils/initialParam';
import { prometheusUid } from '../utils/prometheusUid';
import { UNESCAPED } from '../locales/unescaped';

/** Queued jobs wait for a slot (admission control); both states end in a final one worth polling for. */
const isActive = (job: { status: string }) => job.status === 'queued' || job.status === 'running';

/** Unix seconds now; only event handlers call it (starting an analysis). */
const nowSeconds = () => Math.floor(Date.now() / 1000);

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

  const start = async (form = { namespace, service, minutes: windowMinutes }) => {
    setStartError(undefined);
    setStarted(undefined);
    const end = nowSeconds();
    const window = { start: end - Math.round(form.minutes * 60), end };
    setWindow(window);
    try {
      setStarted(
        await api.startRca({
          namespace: form.namespace || undefined,
          target: form.service ? { service: form.service } : undefined,
          window,
        })
      );
    } catch (e) {
      setStartError(e);
    }
  };
  // The sample: the demo shop's namespace, the whole namespace, the last 30 minutes (the demo opens on an incident).
  const tryDemo = () => {
    setNamespace(DEFAULT_NAMESPACE);
    setService('');
    setWindowText('30');
    void start({ namespace: DEFAULT_NAMESPACE, service: '', minutes: 30 });
  };

  const windowMinutes = Number(windowText);
  // The engine needs at least 60 s of window (a 400 on body.window.end below that); a fraction rounds to seconds.
  const windowValid = windowText.trim() !== '' && Number.isFinite(windowMinutes) && windowMinutes >= 1;
  const running = job !== undefined && isActive(job);
  const canStart = !running && windowValid;
  // Enter in a field starts, as in the Overview's and the Repairs page's fields.
  const startOnEnter = (e: React.KeyboardEvent) => e.key === 'Enter' && canStart && void start();
  const result = job?.result;
  const candidates = [...(result?.candidates ?? [])].sort((a, b) => b.score - a.score);
  // The same node and edge frames the datasource's service-graph query returns to dashboards.
  const graphFrames = useMemo(() => (result ? serviceGraphFrames(result) : undefined), [result]);
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
          <InlineField htmlFor="rca-namespace" label={t('rca.namespace.label', 'Namespace')} labelWidth={14}>
            <Input
              id="rca-namespace"
              data-testid={testIds.rootCause.namespace}
              onKeyDown={startOnEnter}
              width={20}
              value={namespace}
              onChange={(e) => setNamespace(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField
            htmlFor="rca-service"
            label={t('rca.service.label', 'Service')}
            labelWidth={12}
            tooltip={t(
              'rca.service.tooltip',
              'The symptom to explain, e.g. frontend; empty analyses the whole namespace'
            )}
          >
            <Input
              id="rca-service"
              data-testid={testIds.rootCause.service}
              onKeyDown={startOnEnter}
              width={20}
              value={service}
              placeholder={t('rca.service.placeholder', 'any')}
              onChange={(e) => setService(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField
            htmlFor="rca-window"
            label={t('rca.window.label', 'Last (min)')}
            labelWidth={12}
            invalid={!windowValid}
            error={windowValid ? undefined : t('rca.window.invalid', 'At least 1 minute')}
          >
            <Input
              id="rca-window"
              data-testid={testIds.rootCause.windowMinutes}
              onKeyDown={startOnEnter}
              type="number"
              min={1}
              width={10}
              value={windowText}
              onChange={(e) => setWindowText(e.currentTarget.value)}
            />
          </InlineField>
          <Button data-testid={testIds.rootCause.start} icon="search" onClick={() => void start()} disabled={!canStart}>
            {t('rca.start', 'Find root cause')}
          </Button>
        </InlineFieldRow>

        {error !== undefined && (
          <EngineErrorAlert
            error={error}
            title={t('rca.failed', 'Root-cause analysis failed')}
            testId={testIds.rootCause.error}
            // Starting an analysis that never reached the engine again; not on its own (each start is a new job).
            retry={startError !== undefined ? { retry: () => void start() } : undefined}
          />
        )}

        {job && (
          <div className={s.section} data-testid={testIds.rootCause.progress}>
            <div
              className={s.progressTrack}
              role="progressbar"
              aria-label={t('rca.progress.label', 'Analysis progress')}
              aria-valuenow={Math.round(job.progress * 100)}
              aria-valuemin={0}
              aria-valuemax={100}
            >
              <div className={s.progressBar} style={{ width: `${Math.round(job.progress * 100)}%` }} />
            </div>
            <div className={s.muted}>{jobProgressText(job)}</div>
            {job.status === 'failed' && job.error && (
              <EngineErrorAlert
                error={new Error(`${job.error.code}: ${job.error.message}`)}
                title={t('rca.job.failed', 'The analysis failed')}
              />
            )}
          </div>
        )}

        {!job && error === undefined && <RcaEmptyState onTryDemo={tryDemo} demoNamespace={DEFAULT_NAMESPACE} />}

        {result?.narrative && (
          <NarrativeSummary
            narrative={result.narrative}
            source={result.narrativeSource}
            baseline={baselineOf(result)}
          />
        )}

        {result && result.warnings.length > 0 && (
          <Alert
            severity="warning"
            title={t('rca.warnings.title', 'Some data could not be collected')}
            className={s.section}
          >
            <ul>
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </Alert>
        )}

        {job?.status === 'succeeded' && candidates.length === 0 && (
          <p className={s.section}>{t('rca.no-candidate', 'No candidate stood out in this window.')}</p>
        )}

        {graphFrames && result!.serviceGraph.services.length > 0 && <ServiceGraph frames={graphFrames} />}

        {candidates.length > 0 && (
          <ol className={s.candidates}>
            {candidates.map((c, i) => (
              <CandidateCard
                key={`${c.service}/${c.signal}/${c.faultType}/${i}`}
                candidate={c}
                window={result?.window}
                onset={onsetOf(result)}
                explore={{ range, promUid }}
              />
            ))}
          </ol>
        )}
      </div>
    </PluginPage>
  );
}

/** The job's state in words, the engine's message as sent, and how far it is: 'running: scoring services (50%)'. */
export function jobProgressText(job: { status: string; message: string; progress: number }): string {
  // One message, so Chinese uses its own colon and brackets ('已完成: done (100%)' read half in English punctuation).
  return t('rca.job.progress', '{{status}}: {{message}} ({{percent}}%)', {
    status: jobStatusLabel(job.status),
    message: job.message,
    percent: Math.round(job.progress * 100),
    ...UNESCAPED,
  });
}

/** A job state in the user's language; a state a newer engine adds shows as sent. */
function jobStatusLabel(status: string): string {
  const known: Record<string, string> = {
    queued: t('rca.job.status.queued', 'queued'),
    running: t('rca.job.status.running', 'running'),
    succeeded: t('rca.job.status.succeeded', 'succeeded'),
    failed: t('rca.job.status.failed', 'failed'),
    cancelled: t('rca.job.status.cancelled', 'cancelled'),
  };
  return known[status] ?? status;
}

/**
 * The incident's onset and the baseline. Read structurally: the engine's schema has both, but its built client types
 * (engine/dist) can lag the source; this keeps the page compiling against either.
 */
function baselineOf(result: RcaResult): BaselineSummary | undefined {
  return (result as { baseline?: BaselineSummary }).baseline;
}

function onsetOf(result: RcaResult | undefined): number | undefined {
  return (result as { onset?: { time?: number } } | undefined)?.onset?.time;
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
  candidates: css`
    margin-top: ${theme.spacing(3)};
    padding-left: 0;
    list-style: none;
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
});
