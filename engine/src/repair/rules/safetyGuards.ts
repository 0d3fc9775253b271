import type { V1Node } from '@kubernetes/client-node';
import type { ActionType } from '../types.js';
import { isControlPlane } from '../snapshot/podStatus.js';
import type { BuiltAction } from './buildActions.js';
import type { FindingFacts } from './FindingFacts.js';

/**
 * What a careful operator never does, whatever a rule file says. Each guard returns why it refuses an action or
 * undefined; the planner drops a refused action and goes on to the next matching rule (which ends in `notify`).
 */
export interface SafetyGuard {
  name: string;
  check(action: BuiltAction, facts: FindingFacts): string | undefined;
}

const NODE_ACTIONS: ActionType[] = ['cordon-node', 'drain-node'];
const acting = (a: BuiltAction) => a.type !== 'notify';

export const SAFETY_GUARDS: SafetyGuard[] = [
  {
    name: 'protected-namespace',
    check: (a, f) => {
      const ns = [f.finding.object.namespace, a.target.namespace];
      const hit = ns.find((n) => n && f.ctx.policy.protectedNamespaces.includes(n));
      return acting(a) && hit ? `namespace ${hit} is protected: notify only` : undefined;
    },
  },
  {
    name: 'unowned-object',
    check: (a, f) =>
      acting(a) && !f.ownedByController ? 'no controller owns the object: notify only' : undefined,
  },
  {
    name: 'control-plane-node',
    check: (a, f) => {
      if (a.target.kind !== 'Node' || !acting(a)) return undefined;
      const node = f.index.get<V1Node>('Node', '', a.target.name);
      return node && isControlPlane(node) ? 'never act on a control-plane node' : undefined;
    },
  },
  {
    name: 'last-ready-worker',
    check: (a, f) =>
      NODE_ACTIONS.includes(a.type) && !f.otherReadyWorker
        ? 'no other Ready worker would take its work: cordoning or draining only blocks recovery'
        : undefined,
  },
  {
    name: 'drain-needs-room',
    check: (a, f) =>
      a.type === 'drain-node' && !f.othersHaveRoom ? 'the other workers lack room for its pods' : undefined,
  },
  {
    name: 'rollback-needs-healthy-previous',
    check: (a, f) =>
      a.type === 'rollback' && !(f.rollout.began && f.rollout.previousHealthy)
        ? 'the failure did not begin with a rollout from a healthy previous revision'
        : undefined,
  },
  {
    name: 'memory-within-node',
    check: (a, f) => {
      if (a.type !== 'raise-memory-limit') return undefined;
      const to = Number(a.params['toBytes'] ?? Infinity);
      const from = Number(a.params['fromBytes'] ?? 0);
      if (to > from * 2) return 'never more than double a memory limit';
      return to > f.largestReadyNodeBytes ? 'the raised limit exceeds the largest Ready node' : undefined;
    },
  },
  {
    name: 'never-scale-down',
    check: (a) =>
      a.type === 'scale' && Number(a.params['toReplicas']) <= Number(a.params['fromReplicas'])
        ? 'nothing ever scales a workload down'
        : undefined,
  },
  {
    name: 'no-pods-that-cannot-schedule',
    check: (a, f) => {
      if (a.type !== 'scale' && a.type !== 'raise-hpa-max') return undefined;
      const target = f.scaleTarget;
      if (f.finding.type === 'Unschedulable') return 'more replicas would not schedule either';
      return target && f.hasUnschedulablePods(target)
        ? 'the workload already has pods no node can take'
        : undefined;
    },
  },
  {
    name: 'room-for-replicas',
    check: (a, f) => {
      const extra =
        a.type === 'scale'
          ? Number(a.params['addReplicas'] ?? 0)
          : a.type === 'raise-hpa-max'
            ? Number(a.params['toMaxReplicas'] ?? 0) - Number(a.params['fromMaxReplicas'] ?? 0)
            : 0;
      return extra > 0 && !f.roomForReplicas(extra)
        ? `the workers lack room for ${extra} more replicas`
        : undefined;
    },
  },
  {
    name: 'scale-fights-hpa',
    check: (a, f) => {
      if (a.type !== 'scale') return undefined;
      const t = a.target;
      return f.index.hpaByTarget.has(`${t.kind}/${t.namespace}/${t.name}`)
        ? 'an HPA manages its replicas'
        : undefined;
    },
  },
  {
    name: 'hpa-pods-ready',
    check: (a, f) =>
      a.type === 'raise-hpa-max' && !f.allPodsReady
        ? 'not all of its pods are scheduled and Ready'
        : undefined,
  },
];

/** The first guard's refusal, or undefined when every guard lets the action through. */
export function refusalOf(
  action: BuiltAction,
  facts: FindingFacts,
  guards: SafetyGuard[] = SAFETY_GUARDS,
): string | undefined {
  for (const guard of guards) {
    const reason = guard.check(action, facts);
    if (reason) return `${guard.name}: ${reason}`;
  }
  return undefined;
}
