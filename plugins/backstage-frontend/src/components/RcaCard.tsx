import { useState } from 'react';
import { InfoCard, Progress, ResponseErrorPanel, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import {
  isUnavailable,
  type JobRecordDto,
  type RcaCandidate,
  type RcaResult,
  type Unavailable,
} from '../api/types';
import { isFinalJob, useJobStream } from '../hooks/useJobStream';

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
      <Button variant="contained" onClick={run} disabled={running}>
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
          {result.narrative ? <Typography paragraph>{result.narrative}</Typography> : null}
          {candidates.length === 0 ? <Typography>No likely cause found in this window.</Typography> : null}
          {candidates.length > 0 ? (
            <Table<CandidateRow>
              title="Ranked candidates"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={columns}
              data={candidates}
            />
          ) : null}
          {result.warnings.map((w) => (
            <Typography key={w} variant="caption" display="block">
              {w}
            </Typography>
          ))}
        </>
      ) : null}
    </InfoCard>
  );
}

function jobError(job: JobRecordDto): Error {
  return new Error(`root-cause analysis ${job.status}: ${job.error?.message ?? job.message}`);
}
