import React, { useState } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { t, Trans } from '@grafana/i18n';
import { Alert, Badge, Button, InlineField, InlineFieldRow, Input, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { useEngineApi } from '../api/useEngineApi';
import { isRetryableEngineError, useEngineQuery, type EngineQueryState } from '../api/useEngineQuery';
import { engineOutage } from '../api/engineOutage';
import type { FindingDto, RepairActionDto, RepairAuditRecordDto, RepairKillSwitch } from '../api/types';
import { EngineErrorAlert, type RetryControl } from '../components/EngineError/EngineErrorAlert';
import { testIds } from '../components/testIds';
import { DEFAULT_NAMESPACE } from '../constants';
import { initialParam } from '../utils/initialParam';
import { hasOrgRole } from '../utils/orgRole';
import { DataTable } from '../components/DataTable';
import { auditKindLabel, shortActionId } from '../components/repairLabels';
import { UNESCAPED } from '../locales/unescaped';
import { utcDateTime } from '../utils/utcTime';
import { timeAgo } from '../utils/timeAgo';

const SEVERITY_COLOR = { info: 'blue', warning: 'orange', critical: 'red' } as const;
/** The newest audit records shown; the whole chain is still verified on the engine. */
const AUDIT_SHOWN = 50;

export function RepairsPage() {
  const s = useStyles2(getStyles);
  const [draft, setDraft] = useState(() => initialParam('namespace', DEFAULT_NAMESPACE));
  const [namespace, setNamespace] = useState(draft);
  const killSwitch = useEngineQuery((api) => api.repairKillSwitch(), []);
  const findings = useEngineQuery((api) => api.repairFindings(namespace || undefined), [namespace]);
  const approvals = useEngineQuery((api) => api.repairApprovals(), []);
  const audit = useEngineQuery(
    async (api) => {
      const [records, verification] = await Promise.all([
        api.repairAudit({ namespace: namespace || undefined }),
        api.verifyRepairAudit(),
      ]);
      return { records, verification };
    },
    [namespace]
  );
  const reads = [killSwitch, findings, approvals, audit];
  const refreshAll = () => {
    setNamespace(draft);
    reads.forEach((q) => q.retry());
  };
  const unavailable = reads.find((q) => isRepairUnavailable(q.error));
  const outage = unavailable ? undefined : engineOutage(reads);
  /** A read's own error, unless the outage alert already says it. */
  const ownError = (q: EngineQueryState<unknown>) => (outage && isRetryableEngineError(q.error) ? undefined : q.error);

  return (
    <PluginPage>
      <div data-testid={testIds.repairs.container}>
        <p className={s.muted}>
          {t(
            'repairs.intro',
            "What the engine found wrong in the cluster, what its rules would do about it, the actions waiting for an Admin's approval with their dry-run diff, and the tamper-evident audit trail of everything it did."
          )}
        </p>
        <InlineFieldRow>
          <InlineField
            htmlFor="repairs-namespace"
            label={t('repairs.namespace.label', 'Namespace')}
            labelWidth={14}
            tooltip={t('repairs.namespace.tooltip', 'Empty shows findings of every namespace repair scans')}
          >
            <Input
              id="repairs-namespace"
              data-testid={testIds.repairs.namespace}
              width={24}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value.trim())}
              onKeyDown={(e) => e.key === 'Enter' && refreshAll()}
            />
          </InlineField>
          <Button data-testid={testIds.repairs.refresh} icon="sync" variant="secondary" onClick={refreshAll}>
            {t('repairs.refresh', 'Refresh')}
          </Button>
        </InlineFieldRow>
        {unavailable ? (
          <RepairUnavailable error={unavailable.error} />
        ) : (
          <>
            {outage && (
              <EngineErrorAlert
                error={outage.error}
                title={t('repairs.engine-down', 'Cannot read repairs from the engine')}
                testId={testIds.repairs.error}
                retry={outage}
              />
            )}
            <KillSwitchBar
              state={killSwitch.value}
              error={ownError(killSwitch)}
              onChange={killSwitch.retry}
              retry={killSwitch}
            />
            <FindingsSection
              findings={findings.value?.findings}
              loading={findings.loading}
              error={ownError(findings)}
              namespace={namespace}
              retry={findings}
            />
            <ApprovalsSection
              items={approvals.value}
              loading={approvals.loading}
              error={ownError(approvals)}
              retry={approvals}
              onDecided={() => [approvals, audit, findings].forEach((q) => q.retry())}
            />
            <AuditSection value={audit.value} loading={audit.loading} error={ownError(audit)} retry={audit} />
          </>
        )}
      </div>
    </PluginPage>
  );
}

/** The engine answers 503 UPSTREAM_UNAVAILABLE on every repair route when it cannot act on its default cluster. */
function isRepairUnavailable(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === 'UPSTREAM_UNAVAILABLE';
}

function RepairUnavailable({ error }: { error: unknown }) {
  return (
    <Alert
      severity="info"
      title={t('repairs.unavailable.title', 'Repair is not available on this engine')}
      data-testid={testIds.repairs.empty}
    >
      <div>{error instanceof Error ? error.message : String(error)}</div>
      <div>
        <Trans
          i18nKey="repairs.unavailable.help"
          defaults="Repair scans and acts on the engine's default cluster only: the engine needs read access to its workloads, pods, nodes and events, and write access plus a Lease to act. Check the <code>cluster</code> and <code>repair</code> sections of the engine config and its readiness on the Overview page."
          components={{ code: <code /> }}
        />
      </div>
    </Alert>
  );
}

function KillSwitchBar(props: {
  state?: RepairKillSwitch;
  error?: unknown;
  onChange: () => void;
  retry: RetryControl;
}) {
  const s = useStyles2(getStyles);
  const api = useEngineApi();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const { state } = props;
  const toggle = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await api.setRepairKillSwitch(!state?.on);
      props.onChange();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={s.section} data-testid={testIds.repairs.killSwitch}>
      {props.error !== undefined && (
        <EngineErrorAlert
          error={props.error}
          title={t('repairs.kill-switch.read-failed', 'Cannot read the kill switch')}
          retry={props.retry}
        />
      )}
      {state && (
        <div className={s.row}>
          <strong>{t('repairs.kill-switch.title', 'Kill switch')}</strong>
          <Badge
            color={state.on ? 'red' : 'green'}
            icon={state.on ? 'ban' : 'check'}
            text={
              state.on
                ? t('repairs.kill-switch.on', 'ON: no action is taken')
                : t('repairs.kill-switch.off', 'off: rules may act')
            }
          />
          <span className={s.muted} title={state.source === 'api' && state.at ? utcDateTime(state.at) : undefined}>
            {state.source === 'config' &&
              t('repairs.kill-switch.by-config', 'set in the engine config (only the config can lift it)')}
            {state.source === 'api' && killSwitchSetBy(state)}
          </span>
          {hasOrgRole('Admin') && state.source !== 'config' && (
            <Button
              size="sm"
              variant={state.on ? 'secondary' : 'destructive'}
              data-testid={testIds.repairs.killSwitchToggle}
              disabled={busy}
              onClick={toggle}
            >
              {state.on
                ? t('repairs.kill-switch.resume', 'Resume acting')
                : t('repairs.kill-switch.stop', 'Stop all acting')}
            </Button>
          )}
        </div>
      )}
      {failure !== undefined && (
        <EngineErrorAlert
          error={failure}
          title={t('repairs.kill-switch.change-failed', 'Cannot change the kill switch')}
        />
      )}
    </section>
  );
}

/** Who set the switch and when, one sentence so each language puts the time where it reads naturally. */
function killSwitchSetBy({ by, at }: RepairKillSwitch): string {
  const who = by ?? t('repairs.kill-switch.an-admin', 'an admin');
  return at
    ? t('repairs.kill-switch.by-when', 'set by {{who}} {{when}}', { who, when: timeAgo(at), ...UNESCAPED })
    : t('repairs.kill-switch.by', 'set by {{who}}', { who, ...UNESCAPED });
}

function FindingsSection(props: {
  findings?: FindingDto[];
  loading: boolean;
  error?: unknown;
  namespace: string;
  retry: RetryControl;
}) {
  const s = useStyles2(getStyles);
  const { findings } = props;
  return (
    <section className={s.section} data-testid={testIds.repairs.findings}>
      <h3>{t('repairs.findings.title', 'Findings')}</h3>
      {props.loading && !findings && (
        <LoadingPlaceholder text={t('repairs.findings.loading', 'Scanning the cluster...')} />
      )}
      {props.error !== undefined && (
        <EngineErrorAlert
          error={props.error}
          title={t('repairs.findings.failed', 'Cannot scan for findings')}
          testId={testIds.repairs.error}
          retry={props.retry}
        />
      )}
      {findings?.length === 0 && (
        <p className={s.muted} data-testid={testIds.repairs.empty}>
          {props.namespace
            ? t('repairs.findings.none-in', 'Nothing wrong in {{namespace}}.', {
                namespace: props.namespace,
                ...UNESCAPED,
              })
            : t('repairs.findings.none', 'Nothing wrong in any scanned namespace.')}{' '}
          {t(
            'repairs.findings.what',
            'The engine looks for crash loops, OOM kills, image pull and config errors, unschedulable and evicted pods, failing probes, stuck rollouts, node pressure, failed jobs, services without endpoints, pending volume claims and HPAs at their limit; what it finds shows here with its evidence.'
          )}
        </p>
      )}
      {findings && findings.length > 0 && (
        <DataTable label={t('repairs.findings.title', 'Findings')}>
          <thead>
            <tr>
              <th>{t('repairs.findings.column.type', 'Type')}</th>
              <th>{t('repairs.findings.column.object', 'Object')}</th>
              <th>{t('repairs.findings.column.since', 'Since')}</th>
              <th>{t('repairs.findings.column.evidence', 'Evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <tr key={f.fingerprint} data-testid={testIds.repairs.finding}>
                <td>
                  <Badge color={SEVERITY_COLOR[f.severity]} text={f.type} />
                </td>
                <td>{objectName(f.object)}</td>
                {/* Chinese breaks between any two characters: '2分钟前' broke in two beside a long evidence. */}
                <td className={s.nowrap} title={utcDateTime(f.since)}>
                  {timeAgo(f.since)}
                </td>
                <td className={s.detail}>{evidenceSummary(f)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

function ApprovalsSection(props: {
  items?: RepairActionDto[];
  loading: boolean;
  error?: unknown;
  retry: RetryControl;
  onDecided: () => void;
}) {
  const s = useStyles2(getStyles);
  const { items } = props;
  return (
    <section className={s.section} data-testid={testIds.repairs.approvals}>
      <h3>{t('repairs.approvals.title', 'Waiting for approval')}</h3>
      {props.loading && !items && <LoadingPlaceholder text={t('repairs.approvals.loading', 'Loading approvals...')} />}
      {props.error !== undefined && (
        <EngineErrorAlert
          error={props.error}
          title={t('repairs.approvals.failed', 'Cannot list approvals')}
          testId={testIds.repairs.error}
          retry={props.retry}
        />
      )}
      {items?.length === 0 && (
        <p className={s.muted} data-testid={testIds.repairs.empty}>
          <Trans
            i18nKey="repairs.approvals.none"
            defaults="No action waits for approval. Actions of rules in <code>approve</code> mode show here with their dry-run diff. The engine starts in shadow mode (<code>repair.maxMode: recommend</code>): it reports what it would do and touches nothing until the engine config raises <code>maxMode</code> to <code>approve</code>."
            components={{ code: <code /> }}
          />
        </p>
      )}
      {items?.map((action) => (
        <ApprovalCard key={action.id} action={action} onDecided={props.onDecided} />
      ))}
    </section>
  );
}

function ApprovalCard({ action, onDecided }: { action: RepairActionDto; onDecided: () => void }) {
  const s = useStyles2(getStyles);
  const api = useEngineApi();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const isAdmin = hasOrgRole('Admin');
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setFailure(undefined);
    try {
      await (decision === 'approve' ? api.approveRepair : api.rejectRepair)(action.id, comment || undefined);
      onDecided();
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };
  const { planned, dryRun, approval } = action;
  return (
    <div className={s.card} data-testid={testIds.repairs.approval}>
      <div className={s.row}>
        <strong>{planned.type}</strong> <span>{objectName(planned.target)}</span>
        <Badge color="orange" text={action.finding.type} />
        {approval && (
          <span className={s.muted} title={utcDateTime(approval.expiresAt)}>
            {t('repairs.approval.expires', 'expires {{when}}', {
              when: timeAgo(approval.expiresAt),
              ...UNESCAPED,
            })}
          </span>
        )}
      </div>
      <div className={s.detail}>
        <Trans
          i18nKey="repairs.approval.reason"
          defaults="{{reason}} (rule <code>{{rule}}</code> v{{version}})"
          values={{ reason: planned.reason, rule: planned.ruleId, version: planned.ruleVersion }}
          components={{ code: <code /> }}
        />
      </div>
      {action.plan && <div className={s.detail}>{action.plan.summary}</div>}
      <h4>
        {t('repairs.approval.dry-run', 'Dry run')}{' '}
        {dryRun && (
          <Badge
            color={dryRun.ok ? 'green' : 'red'}
            text={dryRun.ok ? t('repairs.approval.passed', 'passed') : t('repairs.approval.failed', 'failed')}
          />
        )}
      </h4>
      {dryRun?.error && <div className={s.detail}>{dryRun.error}</div>}
      {dryRun && dryRun.diff.length > 0 && (
        <DataTable label={t('repairs.approval.dry-run', 'Dry run')}>
          {/* Headers, so before and after are told apart by more than their colour. */}
          <thead>
            <tr>
              <th>{t('repairs.diff.column.field', 'Field')}</th>
              <th>{t('repairs.diff.column.before', 'Before')}</th>
              <th>{t('repairs.diff.column.after', 'After')}</th>
            </tr>
          </thead>
          <tbody>
            {dryRun.diff.map((d) => (
              <tr key={d.path} data-testid={testIds.repairs.diffEntry}>
                <td>
                  <code>{d.path}</code>
                </td>
                <td className={s.removed}>{showValue(d.before)}</td>
                <td className={s.added}>{showValue(d.after)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <div className={s.row}>
        <Input
          aria-label={t('repairs.approval.commentLabel', 'Approval comment')}
          data-testid={testIds.repairs.comment}
          width={40}
          placeholder={t('repairs.approval.comment', 'Comment (kept in the audit log)')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          disabled={!isAdmin}
        />
        <Button
          data-testid={testIds.repairs.approve}
          icon="check"
          disabled={!isAdmin || busy || dryRun?.ok === false}
          tooltip={
            isAdmin ? undefined : t('repairs.approval.approve-admin-only', 'Only Grafana Admins can approve repairs')
          }
          onClick={() => decide('approve')}
        >
          {t('repairs.approval.approve', 'Approve')}
        </Button>
        <Button
          data-testid={testIds.repairs.reject}
          icon="times"
          variant="secondary"
          disabled={!isAdmin || busy}
          tooltip={
            isAdmin ? undefined : t('repairs.approval.reject-admin-only', 'Only Grafana Admins can reject repairs')
          }
          onClick={() => decide('reject')}
        >
          {t('repairs.approval.reject', 'Reject')}
        </Button>
      </div>
      {failure !== undefined && (
        <EngineErrorAlert error={failure} title={t('repairs.approval.not-recorded', 'The decision was not recorded')} />
      )}
    </div>
  );
}

function AuditSection(props: {
  value?: {
    records: RepairAuditRecordDto[];
    verification: { ok: boolean; records: number; headHash: string; brokenAt?: { seq: number; reason: string } };
  };
  loading: boolean;
  error?: unknown;
  retry: RetryControl;
}) {
  const s = useStyles2(getStyles);
  const { value } = props;
  const newest = value ? [...value.records].reverse().slice(0, AUDIT_SHOWN) : undefined;
  const v = value?.verification;
  return (
    <section className={s.section} data-testid={testIds.repairs.audit}>
      <h3>{t('repairs.audit.title', 'Audit log')}</h3>
      {props.loading && !value && <LoadingPlaceholder text={t('repairs.audit.loading', 'Loading the audit log...')} />}
      {props.error !== undefined && (
        <EngineErrorAlert
          error={props.error}
          title={t('repairs.audit.failed', 'Cannot read the audit log')}
          testId={testIds.repairs.error}
          retry={props.retry}
        />
      )}
      {v && (
        <div className={s.row} data-testid={testIds.repairs.auditVerify}>
          <Badge
            color={v.ok ? 'green' : 'red'}
            icon={v.ok ? 'lock' : 'exclamation-triangle'}
            text={
              v.ok
                ? t('repairs.audit.verified', 'chain verified')
                : t('repairs.audit.broken-at', 'chain broken at record {{seq}}', { seq: v.brokenAt?.seq ?? '?' })
            }
          />
          <span className={s.muted}>
            {v.ok
              ? t('repairs.audit.rehashed', '{{count}} records re-hashed, head {{head}}', {
                  count: v.records,
                  head: v.headHash.slice(0, 12),
                })
              : (v.brokenAt?.reason ?? t('repairs.audit.changed', 'a record was changed or removed'))}
          </span>
        </div>
      )}
      {newest?.length === 0 && (
        <p className={s.muted} data-testid={testIds.repairs.empty}>
          {t(
            'repairs.audit.none',
            'No audit records yet. Every finding acted on, dry run, approval, change, check and rollback is appended here in a hash chain, so a changed or removed record shows as a broken chain.'
          )}
        </p>
      )}
      {newest && newest.length > 0 && (
        <DataTable label={t('repairs.audit.title', 'Audit log')}>
          <thead>
            <tr>
              <th>#</th>
              <th>{t('repairs.audit.column.when', 'When')}</th>
              <th>{t('repairs.audit.column.what', 'What')}</th>
              <th>{t('repairs.audit.column.target', 'Target')}</th>
              <th>{t('repairs.audit.column.who', 'Who')}</th>
              <th>{t('repairs.audit.column.action', 'Action')}</th>
            </tr>
          </thead>
          <tbody>
            {newest.map((r) => (
              <tr key={r.seq} data-testid={testIds.repairs.auditRecord}>
                <td>{r.seq}</td>
                <td>
                  <AuditTime at={r.at} />
                </td>
                <td>{auditKindLabel(r.kind)}</td>
                <td>{objectName(r.target)}</td>
                <td>{r.actor ?? ''}</td>
                <td className={s.muted} title={r.actionId}>
                  {r.actionId ? <code>{shortActionId(r.actionId)}</code> : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

/** '2026-12-07 18:54:04 UTC' that breaks only after its date: at 600 px the date broke at its hyphens (3 lines). */
function AuditTime({ at }: { at: string }) {
  const s = useStyles2(getStyles);
  const [date, ...clock] = utcDateTime(at).split(' ');
  return (
    <>
      <span className={s.nowrap}>{date}</span> <span className={s.nowrap}>{clock.join(' ')}</span>
    </>
  );
}

export function objectName(o: { kind: string; namespace?: string; name: string }): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

/** One line of what the detector saw: its message, the statuses, the loudest event and the last log line. */
export function evidenceSummary(f: FindingDto): string {
  const loudest = [...f.evidence.events].sort((a, b) => b.count - a.count)[0];
  const parts = [
    f.message,
    f.evidence.statuses.slice(0, 2).join(', '),
    loudest ? `${loudest.reason} x${loudest.count}: ${loudest.message}` : '',
    f.evidence.logTail.at(-1) ?? '',
  ];
  return parts.filter((p) => p.length > 0).join(' | ');
}

function showValue(value: unknown): string {
  if (value === undefined) {
    return t('repairs.diff.none', '(none)');
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css`
    margin-top: ${theme.spacing(3)};
  `,
  row: css`
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: ${theme.spacing(1)};
    margin: ${theme.spacing(1, 0)};
  `,
  card: css`
    border: 1px solid ${theme.colors.border.weak};
    border-radius: ${theme.shape.radius.default};
    padding: ${theme.spacing(2)};
    margin-bottom: ${theme.spacing(2)};
    background: ${theme.colors.background.secondary};
  `,
  removed: css`
    color: ${theme.colors.error.text};
    font-family: ${theme.typography.fontFamilyMonospace};
  `,
  added: css`
    color: ${theme.colors.success.text};
    font-family: ${theme.typography.fontFamilyMonospace};
  `,
  detail: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  muted: css`
    color: ${theme.colors.text.secondary};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  nowrap: css`
    white-space: nowrap;
  `,
});
