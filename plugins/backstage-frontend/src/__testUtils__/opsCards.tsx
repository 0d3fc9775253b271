import type { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import type { PortalSettings } from '@ai-cloudops/backstage-plugin-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef, type PermissionApi } from '@backstage/plugin-permission-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { CloudOpsApi, EntityRepairs } from '../api/CloudOpsApi';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import type {
  EntityScope,
  EntityWorkloadsResponse,
  FindingDto,
  IncidentDto,
  RepairActionDto,
  Unavailable,
} from '../api/types';
import { EntityOpsCards } from '../components/EntityOpsCards';

/** The entity, repairs, incidents and API the ops cards' tests share (EntityOpsCards.test, EntityOpsCards.permission.test). */

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'shop' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'shop-team' },
};

export function finding(type: FindingDto['type'], name: string): FindingDto {
  const pod = { kind: 'Pod', namespace: 'shop', name: `${name}-1` };
  return {
    fingerprint: `${type}/${name}`,
    type,
    object: pod,
    owners: [],
    workload: { kind: 'Deployment', namespace: 'shop', name },
    evidence: {
      statuses: ['terminated: OOMKilled'],
      events: [{ type: 'Warning', reason: 'BackOff', message: 'Back-off', count: 4, object: pod }],
      logTail: [],
    },
    since: '2026-12-06T10:00:00Z',
    heldSeconds: 300,
    severity: 'critical',
    message: `${name} was OOM killed 3 times`,
    details: {},
  };
}

export function pending(id: string, name: string): RepairActionDto {
  return {
    id,
    state: 'awaiting-approval',
    planned: {
      type: 'raise-memory-limit',
      target: { kind: 'Deployment', namespace: 'shop', name },
      params: {},
      mode: 'approve',
      ruleId: 'oom-raise-memory',
      ruleVersion: 1,
      findingFingerprint: `OOMKilled/${name}`,
      reason: 'OOMKilled 3 times in 10 minutes',
    },
    finding: finding('OOMKilled', name),
    createdAt: '2026-12-06T10:05:00Z',
    updatedAt: '2026-12-06T10:05:00Z',
    dryRun: {
      ok: true,
      at: '2026-12-06T10:05:01Z',
      diff: [
        { path: '/spec/template/spec/containers/0/resources/limits/memory', before: '256Mi', after: '384Mi' },
      ],
    },
    approval: { requestedAt: '2026-12-06T10:05:01Z', expiresAt: '2099-01-01T00:00:00Z' },
  };
}

export function incident(id: string): IncidentDto {
  const alert = (alertname: string, reason: IncidentDto['alerts'][number]['reason']) => ({
    fingerprint: `fp-${alertname}`,
    status: 'firing' as const,
    labels: { alertname, service: 'cart', namespace: 'shop' },
    annotations: {},
    startsAt: '2026-12-06T10:00:00Z',
    source: 'alertmanager',
    flapping: false,
    firstSeenAt: '2026-12-06T10:00:00Z',
    lastSeenAt: '2026-12-06T10:00:00Z',
    reason,
  });
  return {
    id,
    status: 'open',
    title: 'CartDown on cart',
    severity: 'critical',
    openedAt: '2026-12-06T10:00:00Z',
    updatedAt: '2026-12-06T10:00:00Z',
    services: ['cart'],
    truncatedAlerts: 0,
    rcaId: 'rca-7',
    alerts: [
      alert('CartDown', { kind: 'opened', detail: 'opened by CartDown on cart' }),
      alert('CartLatency', { kind: 'same-service', joinedTo: 'fp-CartDown', detail: 'same service' }),
    ],
  };
}

/** Records what the cards ask for and answers from per-test state; decisions change that state as the engine would. */
export class OpsApi implements CloudOpsApi {
  calls: string[] = [];
  // Not used by these cards: the knowledge page has its own test against a real engine.
  knowledgeDocument = async () => undefined;
  scopes: EntityScope[] = [];
  /** What the backend's /settings answers (cluster changes forwarded, unless a test says otherwise), or its failure. */
  portal: PortalSettings | Error = { clusterChanges: true };
  constructor(
    public repairs: EntityRepairs | Unavailable,
    public incidents: IncidentDto[] | Unavailable,
    private readonly refuseDecisions?: Error,
  ) {}

  async settings(): Promise<PortalSettings> {
    this.calls.push('settings');
    if (this.portal instanceof Error) throw this.portal;
    return this.portal;
  }
  async getEntityWorkloads(ref: CompoundEntityRef): Promise<EntityWorkloadsResponse> {
    this.calls.push(`workloads ${ref.name}`);
    return {
      entityRef: 'component:default/cart-service',
      target: { namespace: 'shop', labelSelector: 'backstage.io/kubernetes-id=cart' },
      items: [
        {
          cluster: 'simulated',
          workloads: [{ name: 'cart' } as EntityWorkloadsResponse['items'][number]['workloads'][number]],
        },
      ],
    };
  }
  async getRepairs(scope: EntityScope) {
    this.scopes.push(scope);
    return this.repairs;
  }
  async decideRepair(id: string, decision: 'approve' | 'reject', comment?: string) {
    this.calls.push(`${decision} ${id} ${comment ?? ''}`.trim());
    if (this.refuseDecisions) throw this.refuseDecisions;
    const repairs = this.repairs as EntityRepairs;
    const action = repairs.approvals.find((a) => a.id === id)!;
    this.repairs = { ...repairs, approvals: repairs.approvals.filter((a) => a.id !== id) };
    return { ...action, state: decision === 'approve' ? 'approved' : 'rejected' };
  }
  async getIncidents(scope: EntityScope) {
    this.scopes.push(scope);
    return this.incidents;
  }
  async updateIncident(id: string, action: 'ack' | 'resolve') {
    this.calls.push(`${action} ${id}`);
    const list = this.incidents as IncidentDto[];
    const current = list.find((i) => i.id === id)!;
    const next: IncidentDto =
      action === 'ack'
        ? { ...current, acknowledgedAt: '2026-12-06T10:02:00Z', acknowledgedBy: 'backstage' }
        : { ...current, status: 'resolved' };
    this.incidents = list.map((i) => (i.id === id ? next : i)).filter((i) => i.status === 'open');
    return next;
  }
  async runRca(): Promise<never> {
    throw new Error('not used');
  }
  async startRca(): Promise<never> {
    throw new Error('not used');
  }
  async job(): Promise<never> {
    throw new Error('not used');
  }
  // eslint-disable-next-line require-yield
  async *jobEvents(): AsyncGenerator<never> {
    throw new Error('not used');
  }
  async forecast(): Promise<never> {
    throw new Error('not used');
  }
  async scalePlan(): Promise<never> {
    throw new Error('not used');
  }
  async signals(): Promise<never> {
    throw new Error('not used');
  }
  async startBacktest(): Promise<never> {
    throw new Error('not used');
  }
  async ask(): Promise<never> {
    throw new Error('not used');
  }
  // eslint-disable-next-line require-yield
  async *askStream(): AsyncGenerator<never> {
    throw new Error('not used');
  }
}

/**
 * The permission framework's DENY, typed from the test utilities' own signature: @backstage/plugin-permission-common
 * (where AuthorizeResult lives) is not a dependency of this package, and the enum's value is its wire value.
 */
type Decision = Exclude<
  NonNullable<NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize']>,
  (...args: never[]) => unknown
>;
export const DENY = 'DENY' as Decision;

/** Backstage's own permission API fake: ALLOWs everything unless told otherwise, as a portal without a policy does. */
export async function renderOpsCards(api: CloudOpsApi, permission: PermissionApi = mockApis.permission()) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [cloudOpsApiRef, api],
        [permissionApiRef, permission],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityOpsCards />
      </EntityProvider>
    </TestApiProvider>,
  );
}
