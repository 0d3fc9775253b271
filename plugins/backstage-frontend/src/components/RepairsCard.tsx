import { useState } from 'react';
import { InfoCard, Progress, Table, type TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { EngineErrorPanel } from './EngineErrorPanel';
import { UnavailableNote } from './UnavailableNote';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { useEngineRetry } from '../hooks/useEngineRetry';
import { EngineRetryNotice } from './EngineRetryNotice';
import { useTimeFormat, type TimeFormat } from '../hooks/useTimeFormat';
import { aiCloudOpsTranslationRef, type CloudOpsT as T } from '../translation';
import { isUnavailable, type EntityScope, type FindingDto, type RepairActionDto } from '../api/types';
import { GuideSample } from './GuideSample';
import { PermittedButton } from './PermittedButton';
import { aiCloudOpsApproveRepairPermission } from '@ai-cloudops/backstage-plugin-common';

type FindingRow = FindingDto & { id: string };

/** Test ids for the browser test and screenshots: keep them stable. */
export const repairsCardTestIds = {
  sample: 'aicloudops-repairs-sample',
} as const;

/**
 * The engine config that makes the shipped approve-mode rules (oom-raise-memory, bad-rollout-rollback, ...) put their
 * actions on this card: the default maxMode `recommend` only records what they would do.
 */
export function repairsConfigSample(namespace: string | undefined): string {
  return [
    'repair:',
    '  enabled: true',
    '  maxMode: approve',
    `  namespaces: [${namespace ?? '<namespace>'}]`,
    '  approvalTtlSeconds: 3600',
  ].join('\n');
}

const findingColumns = (t: T, { dateTime }: TimeFormat): TableColumn<FindingRow>[] => [
  { title: t('repairsCard.column.type'), field: 'type' },
  { title: t('repairsCard.column.object'), render: (f) => `${f.object.kind}/${f.object.name}` },
  { title: t('repairsCard.column.since'), render: (f) => dateTime(f.since) },
  { title: t('repairsCard.column.evidence'), render: (f) => evidenceSummary(f) },
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

/**
 * How often the open card reads findings and approvals again while the page is visible. The engine puts a new action
 * up for approval on its repair scan (every 60 s by default, repair.scanIntervalSeconds), and each findings read is a
 * fresh cluster scan of its own: 30 s shows a new approval within half a scan period without adding more scans than
 * the engine's own loop makes.
 */
export const REPAIRS_REFRESH_MS = 30_000;

/** The entity's repair findings and the actions on its workloads that wait for an operator's decision. */
export function RepairsCard({
  scope,
  refreshMs = REPAIRS_REFRESH_MS,
}: {
  scope: EntityScope;
  /** Re-read interval while visible; tests pass a short one. */
  refreshMs?: number;
}) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const time = useTimeFormat();
  const state = useEngineRetry(() => api.getRepairs(scope), [api, scope], { refreshMs });
  const { value, loading, error, retry } = state;

  return (
    <InfoCard title={t('repairsCard.title')} subheader={t('repairsCard.subheader')}>
      {loading && !value && !error ? <Progress /> : null}
      {error ? <EngineErrorPanel error={error} /> : null}
      {error ? <EngineRetryNotice state={state} /> : null}
      {value && isUnavailable(value) ? <UnavailableNote note={value} /> : null}
      {value && !isUnavailable(value) ? (
        <>
          {value.findings.length === 0 ? (
            <Typography paragraph>{t('repairsCard.noFindings')}</Typography>
          ) : (
            <Table<FindingRow>
              title={t('repairsCard.findings')}
              options={{ paging: false, search: false, padding: 'dense', draggable: false }}
              columns={findingColumns(t, time)}
              data={value.findings.map((f) => ({ ...f, id: f.fingerprint }))}
            />
          )}
          {value.approvals.length === 0 ? (
            <>
              <Typography variant="body2" color="textSecondary">
                {t('repairsCard.noApprovals')}
              </Typography>
              <GuideSample
                caption={t('repairsCard.sample', { file: <code>config.yaml</code> })}
                text={repairsConfigSample(scope.namespace)}
                testId={repairsCardTestIds.sample}
              />
            </>
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
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { dateTime } = useTimeFormat();
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
        {t('repairsCard.actionOn', {
          type: planned.type,
          target: `${planned.target.kind}/${planned.target.name}`,
        })}
      </Typography>
      <Typography variant="body2">
        {t('repairsCard.reason', {
          reason: planned.reason,
          finding: action.finding.type,
          rule: planned.ruleId,
        })}
      </Typography>
      {action.approval ? (
        <Typography variant="caption" display="block">
          {t('repairsCard.expires', { when: dateTime(action.approval.expiresAt) })}
        </Typography>
      ) : null}
      <Typography variant="body2" sx={{ mt: 1 }}>
        {t('repairsCard.dryRun', { result: dryRun ? dryRunText(dryRun, t) : t('repairsCard.notRun') })}
      </Typography>
      {dryRun?.diff.map((d) => (
        <Typography key={d.path} variant="body2" component="div" sx={{ fontFamily: 'monospace' }}>
          {d.path}: {show(d.before, t)} → {show(d.after, t)}
        </Typography>
      ))}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mt: 1 }}>
        <TextField
          size="small"
          label={t('repairsCard.comment')}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          inputProps={{ 'aria-label': t('repairsCard.comment') }}
        />
        <PermittedButton
          permission={aiCloudOpsApproveRepairPermission}
          changesCluster
          variant="contained"
          disabled={busy || dryRun?.ok === false}
          onClick={() => decide('approve')}
        >
          {t('repairsCard.approve')}
        </PermittedButton>
        <PermittedButton
          permission={aiCloudOpsApproveRepairPermission}
          variant="outlined"
          disabled={busy}
          onClick={() => decide('reject')}
        >
          {t('repairsCard.reject')}
        </PermittedButton>
      </Box>
      {error ? <EngineErrorPanel error={error} /> : null}
    </Box>
  );
}

function dryRunText(dryRun: NonNullable<RepairActionDto['dryRun']>, t: T): string {
  if (dryRun.ok) return t('repairsCard.passed');
  return dryRun.error ? t('repairsCard.failedWith', { error: dryRun.error }) : t('repairsCard.failed');
}

function show(value: unknown, t: T): string {
  if (value === undefined) return t('repairsCard.none');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
