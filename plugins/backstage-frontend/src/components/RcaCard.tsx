import { useState } from 'react';
import { InfoCard, Progress, ResponseErrorPanel, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { isUnavailable, type JobRecordDto, type RcaCandidate, type RcaResult, type Unavailable } from '../api/types';

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
  const [running, setRunning] = useState(false);
  const [job, setJob] = useState<JobRecordDto>();
  const [result, setResult] = useState<RcaResult | Unavailable>();
  const [error, setError] = useState<Error>();

  const run = async () => {
    setRunning(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.runRca({ service, ...(namespace ? { namespace } : {}) }, setJob));
    } catch (e) {
      setError(e as Error);
    } finally {
      setRunning(false);
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
