import { useState } from 'react';
import { InfoCard, Progress, ResponseErrorPanel, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  SERVICE_ANNOTATION,
} from '@ai-cloudops/backstage-plugin-common';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import {
  isUnavailable,
  type JobRecordDto,
  type RcaCandidate,
  type RcaResult,
  type Unavailable,
} from '../api/types';
import { isFinalJob, useJobStream } from '../hooks/useJobStream';
import { ServiceGraph } from './ServiceGraph';

/** Test ids for the browser test and screenshots: keep them stable. */
export const rcaCardTestIds = {
  card: 'aicloudops-rca-card',
  run: 'aicloudops-rca-run',
  emptyState: 'aicloudops-rca-empty',
  noCause: 'aicloudops-rca-no-cause',
  narrative: 'aicloudops-rca-narrative',
  candidates: 'aicloudops-rca-candidates',
} as const;

type CandidateRow = RcaCandidate & { id: string; rank: number };

const columns: TableColumn<CandidateRow>[] = [
  { title: '#', field: 'rank' },
  { title: 'Service', field: 'service' },
  { title: 'Fault', field: 'faultType' },
  { title: 'Signal', field: 'signal' },
  { title: 'Score', render: (c) => c.score.toFixed(2) },
  { title: 'Evidence', render: (c) => summarizeEvidence(c) },
];

function summarizeEvidence(candidate: RcaCandidate): string {
  const e = candidate.evidence;
  const parts = [
    e.metrics.length ? `${e.metrics.length} metric` : '',
    e.logs.length ? `${e.logs.length} log pattern` : '',
    e.events.length ? `${e.events.length} event` : '',
    e.changes.length ? `${e.changes.length} change` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : '—';
}

export function RcaCard({ service, namespace }: { service: string; namespace?: string }) {
  const api = useApi(cloudOpsApiRef);
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
    (job && isFinalJob(job) && job.status !== 'succeeded' ? jobError(job) : undefined);
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
    <InfoCard title="Root-cause analysis" subheader={`around ${service}`}>
      <div data-testid={rcaCardTestIds.card}>
        {!result && !running && !error ? <RcaEmptyState service={service} namespace={namespace} /> : null}
        <Button variant="contained" onClick={run} disabled={running} data-testid={rcaCardTestIds.run}>
          Run root-cause analysis
        </Button>
        {running ? (
          <>
            <Progress />
            {job ? <Typography variant="body2">{job.message}</Typography> : null}
          </>
        ) : null}
        {error ? <ResponseErrorPanel error={error} /> : null}
        {result && isUnavailable(result) ? <Typography>{result.message}</Typography> : null}
        {result && !isUnavailable(result) ? (
          <>
            {result.narrative ? (
              <Typography paragraph data-testid={rcaCardTestIds.narrative}>
                {result.narrative}
              </Typography>
            ) : null}
            {candidates.length === 0 ? <NoCause service={service} /> : null}
            {candidates.length > 0 ? <ServiceGraph result={result} /> : null}
            {candidates.length > 0 ? (
              <div data-testid={rcaCardTestIds.candidates}>
                <Table<CandidateRow>
                  title="Ranked candidates"
                  options={{ paging: false, search: false, padding: 'dense', draggable: false }}
                  columns={columns}
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
  return (
    <div data-testid={rcaCardTestIds.emptyState}>
      <Typography variant="body2" paragraph>
        Ranks the services most likely to have caused a problem on <strong>{service}</strong>
        {namespace ? ` (namespace ${namespace})` : ''}: it compares the recent window of metrics, logs,
        Kubernetes events and changes with the baseline before it (the engine's <code>rca.anomaly</code>{' '}
        settings), follows the service graph, and shows the candidates on the graph, shaded by score.
      </Typography>
      <Typography variant="body2" paragraph>
        It needs a service: the entity&apos;s <code>{SERVICE_ANNOTATION}</code> annotation, else{' '}
        <code>{KUBERNETES_ID_ANNOTATION}</code>, else its name (here {service}); the namespace from{' '}
        <code>{KUBERNETES_NAMESPACE_ANNOTATION}</code>; and the service&apos;s metrics in the engine&apos;s
        Prometheus. Sample: on the demo engine, inject a fault first (
        <code>{`curl -X POST $ENGINE/api/v1/demo/faults -H 'content-type: application/json' -d '{"type":"latency","service":"${service}"}'`}</code>
        ), then run the analysis.
      </Typography>
    </div>
  );
}

function NoCause({ service }: { service: string }) {
  return (
    <Typography variant="body2" paragraph data-testid={rcaCardTestIds.noCause}>
      No likely cause found in this window: {service} shows no anomaly against its baseline. Run it again
      while the problem is visible in {service}&apos;s metrics (errors, latency, restarts), or check the
      workloads above.
    </Typography>
  );
}

function jobError(job: JobRecordDto): Error {
  return new Error(`root-cause analysis ${job.status}: ${job.error?.message ?? job.message}`);
}
