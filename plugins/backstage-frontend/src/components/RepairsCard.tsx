import { useState } from 'react';
import { InfoCard, Progress, ResponseErrorPanel, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { isUnavailable, type EntityScope, type FindingDto, type RepairActionDto } from '../api/types';

type FindingRow = FindingDto & { id: string };

const findingColumns: TableColumn<FindingRow>[] = [
  { title: 'Type', field: 'type' },
  { title: 'Object', render: (f) => `${f.object.kind}/${f.object.name}` },
  { title: 'Since', render: (f) => new Date(f.since).toLocaleString() },
  { title: 'Evidence', render: (f) => evidenceSummary(f) },
];

/** The detector's message, the statuses it saw and the loudest event: enough to judge without opening the cluster. */
export function evidenceSummary(f: FindingDto): string {
  const loudest = [...f.evidence.events].sort((a, b) => b.count - a.count)[0];
  return [
    f.message,
    f.evidence.statuses.slice(0, 2).join(', '),
    loudest ? `${loudest.reason} x${loudest.count}` : '',
  ]
    .filter((p) => p.length > 0)
    .join(' | ');
}

/** The entity's repair findings and the actions on its workloads that wait for an operator's decision. */
export function RepairsCard({ scope }: { scope: EntityScope }) {
  const api = useApi(cloudOpsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => api.getRepairs(scope), [api, scope]);

  return (
    <InfoCard title="Repairs" subheader="findings and pending approvals of this entity's workloads">
      {loading && !value ? <Progress /> : null}
      {error ? <ResponseErrorPanel error={error} /> : null}
      {value && isUnavailable(value) ? <Typography>{value.message}</Typography> : null}
      {value && !isUnavailable(value) ? (
        <>
          {value.findings.length === 0 ? (
            <Typography paragraph>
              Nothing wrong found in this entity&apos;s workloads. The engine scans for crash loops, OOM
              kills, image pull and config errors, unschedulable or evicted pods, failing probes and stuck
              rollouts; findings show here with their evidence.
            </Typography>
          ) : (
            <Table<FindingRow>
              title="Findings"
              options={{ paging: false, search: false, padding: 'dense', draggable: false }}
              columns={findingColumns}
              data={value.findings.map((f) => ({ ...f, id: f.fingerprint }))}
            />
          )}
          {value.approvals.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No action waits for approval. Rules in approve mode put their actions here with a dry-run diff;
              the engine starts in shadow mode (repair.maxMode recommend) and changes nothing until its config
              allows more.
            </Typography>
          ) : (
            value.approvals.map((a) => <ApprovalItem key={a.id} action={a} onDecided={retry} />)
          )}
        </>
      ) : null}
    </InfoCard>
  );
}

function ApprovalItem({ action, onDecided }: { action: RepairActionDto; onDecided: () => void }) {
  const api = useApi(cloudOpsApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    try {
      await api.decideRepair(action.id, decision, comment || undefined);
      onDecided();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const { planned, dryRun } = action;
  return (
    <Box
      sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, mt: 2 }}
      data-testid="repair-approval"
    >
      <Typography variant="subtitle1">
        {planned.type} on {planned.target.kind}/{planned.target.name}
      </Typography>
      <Typography variant="body2">
        {planned.reason} (finding {action.finding.type}, rule {planned.ruleId})
      </Typography>
      {action.approval ? (
        <Typography variant="caption" display="block">
          expires {new Date(action.approval.expiresAt).toLocaleString()}
        </Typography>
      ) : null}
      <Typography variant="body2" sx={{ mt: 1 }}>
        Dry run:{' '}
        {dryRun ? (dryRun.ok ? 'passed' : `failed${dryRun.error ? `: ${dryRun.error}` : ''}`) : 'not run yet'}
      </Typography>
      {dryRun?.diff.map((d) => (
        <Typography key={d.path} variant="body2" component="div" sx={{ fontFamily: 'monospace' }}>
          {d.path}: {show(d.before)} → {show(d.after)}
        </Typography>
      ))}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mt: 1 }}>
        <TextField
          size="small"
          label="Comment"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          inputProps={{ 'aria-label': 'Comment' }}
        />
        <Button variant="contained" disabled={busy || dryRun?.ok === false} onClick={() => decide('approve')}>
          Approve
        </Button>
        <Button variant="outlined" disabled={busy} onClick={() => decide('reject')}>
          Reject
        </Button>
      </Box>
      {error ? <ResponseErrorPanel error={error} /> : null}
    </Box>
  );
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
