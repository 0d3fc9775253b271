import { t } from '@grafana/i18n';

/**
 * The engine's repair enums (ActionRecord's states, AuditLog's AUDIT_KINDS) in the user's language, for the Repairs
 * and Alerts pages: shown raw they were hyphenated ids ("awaiting-approval") and stayed English in zh-Hans. A value a
 * newer engine adds shows as sent.
 */
export function repairStateLabel(state: string): string {
  const known: Record<string, string> = {
    pending: t('repairs.state.pending', 'pending'),
    'awaiting-approval': t('repairs.state.awaiting-approval', 'awaiting approval'),
    approved: t('repairs.state.approved', 'approved'),
    applying: t('repairs.state.applying', 'applying'),
    verifying: t('repairs.state.verifying', 'verifying'),
    recommended: t('repairs.state.recommended', 'recommended'),
    observed: t('repairs.state.observed', 'observed only'),
    denied: t('repairs.state.denied', 'denied'),
    'dry-run-failed': t('repairs.state.dry-run-failed', 'dry run failed'),
    rejected: t('repairs.state.rejected', 'rejected'),
    expired: t('repairs.state.expired', 'approval expired'),
    stopped: t('repairs.state.stopped', 'stopped'),
    cleared: t('repairs.state.cleared', 'problem cleared'),
    persisted: t('repairs.state.persisted', 'problem persisted'),
    notified: t('repairs.state.notified', 'notified'),
    verified: t('repairs.state.verified', 'verified'),
    'rolled-back': t('repairs.state.rolled-back', 'rolled back'),
    failed: t('repairs.state.failed', 'failed'),
    unknown: t('repairs.state.unknown', 'outcome unknown'),
  };
  return known[state] ?? state;
}

export function auditKindLabel(kind: string): string {
  const known: Record<string, string> = {
    finding: t('repairs.audit.kind.finding', 'finding'),
    planned: t('repairs.audit.kind.planned', 'planned'),
    skipped: t('repairs.audit.kind.skipped', 'skipped'),
    'dry-run': t('repairs.audit.kind.dry-run', 'dry run'),
    'approval-requested': t('repairs.audit.kind.approval-requested', 'approval requested'),
    approved: t('repairs.audit.kind.approved', 'approved'),
    rejected: t('repairs.audit.kind.rejected', 'rejected'),
    recheck: t('repairs.audit.kind.recheck', 'rechecked'),
    applied: t('repairs.audit.kind.applied', 'applied'),
    verified: t('repairs.audit.kind.verified', 'verified'),
    'rolled-back': t('repairs.audit.kind.rolled-back', 'rolled back'),
    escalated: t('repairs.audit.kind.escalated', 'escalated'),
    failed: t('repairs.audit.kind.failed', 'failed'),
    unknown: t('repairs.audit.kind.unknown', 'outcome unknown'),
    'shadow-outcome': t('repairs.audit.kind.shadow-outcome', 'shadow-mode outcome'),
    'kill-switch': t('repairs.audit.kind.kill-switch', 'kill switch'),
  };
  return known[kind] ?? kind;
}

/** An action's UUID cut to its first 8 characters (as git cuts a hash); the full id goes in the cell's title. */
export function shortActionId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
