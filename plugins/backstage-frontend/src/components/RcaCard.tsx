import { useState } from 'react';
import { InfoCard, Progress, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@mui/material/Box';
import { PermittedButton } from './PermittedButton';
import { aiCloudOpsRunAnalysisPermission } from '@ai-cloudops/backstage-plugin-common';
import Typography from '@mui/material/Typography';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  SERVICE_ANNOTATION,
} from '@ai-cloudops/backstage-plugin-common';
import { EngineErrorPanel } from './EngineErrorPanel';
import { UnavailableNote } from './UnavailableNote';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { aiCloudOpsTranslationRef, type CloudOpsT as T } from '../translation';
import {
  isUnavailable,
  type JobRecordDto,
  type RcaCandidate,
  type RcaResult,
  type Unavailable,
} from '../api/types';
import { isFinalJob, useJobStream } from '../hooks/useEventStream';
import { ServiceGraph } from './ServiceGraph';

/** Test ids for the browser test and screenshots: keep them stable. */
export const rcaCardTestIds = {
  card: 'aicloudops-rca-card',
  run: 'aicloudops-rca-run',
  emptyState: 'aicloudops-rca-empty',
  noCause: 'aicloudops-rca-no-cause',
  narrative: 'aicloudops-rca-narrative',
  baseline: 'aicloudops-rca-baseline',
  candidates: 'aicloudops-rca-candidates',
} as const;

/** What the engine compared the incident with, as the Grafana page says it; a kind a newer engine adds shows as sent. */
function baselineLine(t: T, baseline: NonNullable<RcaResult['baseline']>): string {
  const what =
    baseline.kind === 'same-hours'
      ? t('rcaCard.baseline.sameHours', { days: String(baseline.days ?? '?') })
      : baseline.kind === 'own-history'
        ? t('rcaCard.baseline.ownHistory')
        : baseline.kind === 'across-services'
          ? t('rcaCard.baseline.acrossServices')
          : String(baseline.kind);
  const trust = { high: t('rcaCard.baseline.trust.high'), medium: t('rcaCard.baseline.trust.medium'), low: t('rcaCard.baseline.trust.low') }[baseline.trust];
  const line = t('rcaCard.baseline.line', { what, points: String(baseline.points), trust });
  // The engine's own words on why (e.g. a ranking that rests on changes seconds old), shown as sent.
  return baseline.trustReason ? `${line} ${baseline.trustReason}` : line;
}

type CandidateRow = RcaCandidate & { id: string; rank: number };

const columns = (t: T): TableColumn<CandidateRow>[] => [
  { title: '#', field: 'rank' },
  { title: t('rcaCard.column.service'), field: 'service' },
  { title: t('rcaCard.column.fault'), field: 'faultType' },
  // A signal name is one token: the card's narrow table broke latency_p99 into "latency_p9" / "9" (entity tab screenshot).
  { title: t('rcaCard.column.signal'), field: 'signal', cellStyle: { whiteSpace: 'nowrap' } },
  { title: t('rcaCard.column.score'), render: (c) => c.score.toFixed(2) },
  { title: t('rcaCard.column.evidence'), render: (c) => summarizeEvidence(c, t) },
];

function summarizeEvidence(candidate: RcaCandidate, t: T): string {
  const e = candidate.evidence;
  const parts = [
    e.metrics.length ? t('rcaCard.evidence.metrics', { count: e.metrics.length }) : '',
    e.logs.length ? t('rcaCard.evidence.logs', { count: e.logs.length }) : '',
    e.events.length ? t('rcaCard.evidence.events', { count: e.events.length }) : '',
    e.changes.length ? t('rcaCard.evidence.changes', { count: e.changes.length }) : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : '—';
}

export function RcaCard({ service, namespace }: { service: string; namespace?: string }) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const [starting, setStarting] = useState(false);
  const [started, setStarted] = useState<JobRecordDto | Unavailable>();
  const [startError, setStartError] = useState<Error>();
  const jobId = started && !isUnavailable(started) && !isFinalJob(started) ? started.id : undefined;
  // Progress over the job's event stream (reconnecting, polling as a fallback).
  const stream = useJobStream(jobId);
  const job = stream.job ?? (started && !isUnavailable(started) ? started : undefined);
  const running = starting || (job !== undefined && !isFinalJob(job));
  const error =
    startError ??
    stream.error ??
    (job && isFinalJob(job) && job.status !== 'succeeded' ? jobError(job, t) : undefined);
  // The job schema keeps results unknown (one store serves every kind); an RCA job's result is an RcaResult.
  const result: RcaResult | Unavailable | undefined =
    started && isUnavailable(started)
      ? started
      : job?.status === 'succeeded'
        ? (job.result as RcaResult)
        : undefined;

  const run = async () => {
    setStarting(true);
    setStartError(undefined);
    setStarted(undefined);
    try {
      setStarted(await api.startRca({ service, ...(namespace ? { namespace } : {}) }));
    } catch (e) {
      setStartError(e as Error);
    } finally {
      setStarting(false);
    }
  };

  const candidates: CandidateRow[] =
    result && !isUnavailable(result)
      ? result.candidates.map((c, i) => ({ ...c, id: `${i}`, rank: i + 1 }))
      : [];

  return (
    <InfoCard title={t('rcaCard.title')} subheader={t('rcaCard.subheader', { service })}>
      <div data-testid={rcaCardTestIds.card}>
        {!result && !running && !error ? <RcaEmptyState service={service} namespace={namespace} /> : null}
        {/* Space between the button and what follows it (the narrative sat directly under it in entity-tab-rca.png). */}
        <Box sx={{ mb: 2 }}>
          <PermittedButton
            permission={aiCloudOpsRunAnalysisPermission}
            variant="contained"
            onClick={run}
            disabled={running}
            data-testid={rcaCardTestIds.run}
          >
            {t('rcaCard.run')}
          </PermittedButton>
        </Box>
        {running ? (
          <>
            <Progress />
            {job ? <Typography variant="body2">{job.message}</Typography> : null}
          </>
        ) : null}
        {error ? <EngineErrorPanel error={error} /> : null}
        {result && isUnavailable(result) ? <UnavailableNote note={result} /> : null}
        {result && !isUnavailable(result) ? (
          <>
            {result.narrative ? (
              <Typography paragraph data-testid={rcaCardTestIds.narrative}>
                {result.narrative}
              </Typography>
            ) : null}
            {result.baseline ? (
              <Typography variant="body2" color="text.secondary" paragraph data-testid={rcaCardTestIds.baseline}>
                {baselineLine(t, result.baseline)}
              </Typography>
            ) : null}
            {candidates.length === 0 ? <NoCause service={service} /> : null}
            {candidates.length > 0 ? <ServiceGraph result={result} /> : null}
            {candidates.length > 0 ? (
              <div data-testid={rcaCardTestIds.candidates}>
                <Table<CandidateRow>
                  title={t('rcaCard.candidates')}
                  options={{ paging: false, search: false, padding: 'dense', draggable: false }}
                  columns={columns(t)}
                  data={candidates}
                />
              </div>
            ) : null}
            {result.warnings.map((w) => (
              <Typography key={w} variant="caption" display="block">
                {w}
              </Typography>
            ))}
          </>
        ) : null}
      </div>
    </InfoCard>
  );
}

/** Before the first run: what the analysis does, what it reads, and a sample to try it on the demo engine. */
function RcaEmptyState({ service, namespace }: { service: string; namespace?: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const where = namespace ? t('rcaCard.empty.inNamespace', { namespace }) : '';
  return (
    <div data-testid={rcaCardTestIds.emptyState}>
      <Typography variant="body2" paragraph>
        {t('rcaCard.empty.what', {
          service: <strong>{service}</strong>,
          where,
          settings: <code>rca.anomaly</code>,
        })}
      </Typography>
      <Typography variant="body2" paragraph>
        {t('rcaCard.empty.needs', {
          service,
          serviceAnnotation: <code>{SERVICE_ANNOTATION}</code>,
          idAnnotation: <code>{KUBERNETES_ID_ANNOTATION}</code>,
          namespaceAnnotation: <code>{KUBERNETES_NAMESPACE_ANNOTATION}</code>,
          command: (
            <code>{`curl -X POST $ENGINE/api/v1/demo/faults -H 'content-type: application/json' -d '{"type":"latency","service":"${service}"}'`}</code>
          ),
        })}
      </Typography>
    </div>
  );
}

function NoCause({ service }: { service: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  return (
    <Typography variant="body2" paragraph data-testid={rcaCardTestIds.noCause}>
      {t('rcaCard.noCause', { service })}
    </Typography>
  );
}

function jobError(job: JobRecordDto, t: T): Error {
  return new Error(
    t('rcaCard.jobFailed', { status: job.status, message: job.error?.message ?? job.message }),
  );
}
