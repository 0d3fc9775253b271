import type { FindingDto, IncidentAlert, IncidentDto, RepairActionDto, RepairAuditRecordDto } from '../api/types';

/**
 * Repair and alerting replies shaped like the engine's schemas (engine/src/repair/repairSchemas.ts,
 * engine/src/alerts/schemas.ts); the types come from the engine's client, so a schema change breaks these at compile time.
 */

export function finding(type: FindingDto['type'], name: string, overrides: Partial<FindingDto> = {}): FindingDto {
  const pod = { kind: 'Pod', namespace: 'shop', name: `${name}-7d9f8-0` };
  return {
    fingerprint: `${type}/${name}`,
    type,
    object: pod,
    owners: [{ kind: 'Deployment', namespace: 'shop', name }],
    workload: { kind: 'Deployment', namespace: 'shop', name },
    evidence: {
      statuses: ['waiting: CrashLoopBackOff'],
      events: [
        { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', count: 12, object: pod },
        { type: 'Warning', reason: 'Unhealthy', message: 'Liveness probe failed', count: 2, object: pod },
      ],
      logTail: ['panic: connection refused'],
    },
    since: '2026-12-06T10:00:00Z',
    heldSeconds: 600,
    severity: 'critical',
    message: `${name} restarts in a loop`,
    details: {},
    ...overrides,
  };
}

export function pendingAction(id: string, name: string, overrides: Partial<RepairActionDto> = {}): RepairActionDto {
  const target = { kind: 'Deployment', namespace: 'shop', name };
  return {
    id,
    state: 'awaiting-approval',
    planned: {
      type: 'raise-memory-limit',
      target,
      params: { factor: 1.5 },
      mode: 'approve',
      ruleId: 'oom-raise-memory',
      ruleVersion: 1,
      findingFingerprint: `OOMKilled/${name}`,
      reason: 'OOMKilled 3 times in 10 minutes',
    },
    finding: finding('OOMKilled', name),
    createdAt: '2026-12-06T10:05:00Z',
    updatedAt: '2026-12-06T10:05:00Z',
    plan: {
      summary: `raise the memory limit of ${name} from 256Mi to 384Mi`,
      reversible: true,
      requests: [],
      reverse: [],
      details: {},
    },
    dryRun: {
      ok: true,
      at: '2026-12-06T10:05:01Z',
      diff: [{ path: '/spec/template/spec/containers/0/resources/limits/memory', before: '256Mi', after: '384Mi' }],
    },
    approval: { requestedAt: '2026-12-06T10:05:01Z', expiresAt: '2099-12-06T11:05:01Z' },
    ...overrides,
  };
}

export function auditRecord(seq: number, kind: RepairAuditRecordDto['kind'], actionId = 'a1'): RepairAuditRecordDto {
  return {
    seq,
    kind,
    at: `2026-12-06T10:0${seq}:00Z`,
    actionId,
    target: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
    actor: kind === 'approved' ? 'admin-user' : undefined,
    data: {},
    prevHash: `h${seq - 1}`,
    hash: `h${seq}`,
  };
}

export function incidentAlert(
  alertname: string,
  service: string,
  reason: IncidentAlert['reason'],
  overrides: Partial<IncidentAlert> = {}
): IncidentAlert {
  return {
    fingerprint: `fp-${alertname}-${service}`,
    status: 'firing',
    labels: { alertname, service, namespace: 'shop', severity: 'critical' },
    annotations: {},
    startsAt: '2026-12-06T10:00:00Z',
    source: 'alertmanager',
    flapping: false,
    firstSeenAt: '2026-12-06T10:00:00Z',
    lastSeenAt: '2026-12-06T10:01:00Z',
    reason,
    ...overrides,
  };
}

export function incident(id: string, overrides: Partial<IncidentDto> = {}): IncidentDto {
  const first = incidentAlert('HighLatency', 'payment', { kind: 'opened', detail: 'opened by HighLatency on payment' });
  return {
    id,
    status: 'open',
    title: 'HighLatency on payment',
    severity: 'critical',
    openedAt: '2026-12-06T10:00:00Z',
    updatedAt: '2026-12-06T10:01:00Z',
    services: ['payment', 'checkout'],
    truncatedAlerts: 0,
    alerts: [
      first,
      incidentAlert('HighErrorRate', 'checkout', {
        kind: 'service-graph',
        joinedTo: first.fingerprint,
        detail: 'edge checkout -> payment',
      }),
    ],
    ...overrides,
  };
}
