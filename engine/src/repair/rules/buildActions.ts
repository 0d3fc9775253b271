import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { ActionSpec, ObjectRef, RepairRule } from '../types.js';
import { formatMemory } from '../snapshot/quantity.js';
import type { AnyObject } from '../snapshot/SnapshotIndex.js';
import type { FindingFacts } from './FindingFacts.js';

/** A concrete action before mode and policy: what to touch and with which parameters. */
export interface BuiltAction {
  type: ActionSpec['type'];
  target: ObjectRef;
  params: Record<string, unknown>;
}

export type BuildResult = { actions: BuiltAction[] } | { refused: string };

const REVISIONED = ['Deployment', 'StatefulSet', 'DaemonSet'];
/** A Job's template is immutable: raising its limit means re-creating it, which an operator approves. */
const MEMORY_TARGETS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'];

const ok = (...actions: BuiltAction[]): BuildResult => ({ actions });
const refuse = (refused: string): BuildResult => ({ refused });

function notifyTarget(facts: FindingFacts): ObjectRef {
  const f = facts.finding;
  // Evicted pods are a symptom: the person to tell needs the node whose pressure evicted them.
  if (f.type === 'Evicted' && facts.nodeName) return { kind: 'Node', namespace: '', name: facts.nodeName };
  return f.workload;
}

function rollback(facts: FindingFacts): BuildResult {
  const { failing, previous } = facts.rollout;
  const target = facts.finding.type === 'RolloutStuck' ? facts.finding.object : facts.finding.workload;
  if (!REVISIONED.includes(target.kind)) return refuse(`${target.kind} has no revisions to roll back to`);
  if (!failing || !previous) return refuse('no previous revision to roll back to');
  const to =
    previous.kind === 'ReplicaSet'
      ? { toReplicaSet: previous.name }
      : { toControllerRevision: previous.name };
  return ok({
    type: 'rollback',
    target,
    params: { toRevision: previous.revision, fromRevision: failing.revision, ...to },
  });
}

function raiseMemory(facts: FindingFacts, factor: number): BuildResult {
  const target = facts.finding.workload;
  if (!MEMORY_TARGETS.includes(target.kind))
    return refuse(`cannot change the pod template of a ${target.kind}`);
  const raise = facts.memoryRaise(factor);
  if (!raise.fits) return refuse(raise.reason ?? 'the raised limit would not fit');
  return ok(
    ...raise.changes.map((c) => ({
      type: 'raise-memory-limit' as const,
      target,
      params: {
        factor,
        container: c.container,
        from: formatMemory(c.fromBytes),
        to: formatMemory(c.toBytes),
        fromBytes: c.fromBytes,
        toBytes: c.toBytes,
      },
    })),
  );
}

function raiseHpaMax(facts: FindingFacts, factor: number, cap: number): BuildResult {
  const f = facts.finding;
  if (f.object.kind !== 'HorizontalPodAutoscaler') return refuse('raise-hpa-max needs an HPA finding');
  const hpa = facts.index.get<V2HorizontalPodAutoscaler>(
    'HorizontalPodAutoscaler',
    f.object.namespace,
    f.object.name,
  );
  const from = hpa?.spec?.maxReplicas ?? 0;
  const to = Math.min(cap, Math.ceil(from * factor));
  if (to <= from) return refuse(`maxReplicas ${from} is already at the cap ${cap}`);
  return ok({
    type: 'raise-hpa-max',
    target: f.object,
    params: { factor, cap, fromMaxReplicas: from, toMaxReplicas: to },
  });
}

function scale(facts: FindingFacts, addReplicas: number): BuildResult {
  const target = facts.scaleTarget;
  if (!target) return refuse('no Deployment or StatefulSet to scale');
  const obj = facts.index.get<AnyObject & { spec?: { replicas?: number } }>(
    target.kind,
    target.namespace,
    target.name,
  );
  const from = obj?.spec?.replicas ?? 1;
  return ok({
    type: 'scale',
    target,
    params: { addReplicas, fromReplicas: from, toReplicas: from + addReplicas },
  });
}

function nodeAction(
  facts: FindingFacts,
  type: 'cordon-node' | 'drain-node',
  params: Record<string, unknown>,
): BuildResult {
  if (!facts.nodeName) return refuse(`${type} needs a node`);
  return ok({ type, target: { kind: 'Node', namespace: '', name: facts.nodeName }, params });
}

/** At most `blastRadius` of the workload's pods at once, and at least one. */
function restartPods(facts: FindingFacts, rule: RepairRule): BuildResult {
  const pods = facts.finding.details.pods ?? [];
  if (pods.length === 0) return refuse('no pods to restart');
  const replicas = Math.max(pods.length, facts.podsOf(facts.finding.workload).length);
  const limit = Math.max(1, Math.floor(replicas * rule.blastRadius));
  return ok(
    ...pods.slice(0, limit).map((name) => ({
      type: 'restart-pod' as const,
      target: { kind: 'Pod', namespace: facts.finding.object.namespace, name },
      params: {},
    })),
  );
}

/** Turns a rule's action into concrete targets and parameters for one finding, or says why it cannot. */
export function buildActions(rule: RepairRule, facts: FindingFacts): BuildResult {
  const action = rule.action;
  const f = facts.finding;
  switch (action.type) {
    case 'notify':
      return ok({
        type: 'notify',
        target: notifyTarget(facts),
        params: { ...action.params, finding: f.type },
      });
    case 'rollback':
      return rollback(facts);
    case 'raise-memory-limit':
      return raiseMemory(facts, action.params.factor);
    case 'raise-hpa-max':
      return raiseHpaMax(facts, action.params.factor, action.params.cap);
    case 'scale':
      return scale(facts, action.params.addReplicas);
    case 'cordon-node':
      return nodeAction(facts, 'cordon-node', {});
    case 'drain-node':
      return nodeAction(facts, 'drain-node', { ...action.params });
    case 'delete-evicted-pods':
      return ok({ type: 'delete-evicted-pods', target: f.workload, params: { pods: f.details.pods ?? [] } });
    case 'restart-pod':
      return restartPods(facts, rule);
    case 'rollout-restart':
      return REVISIONED.includes(f.workload.kind)
        ? ok({ type: 'rollout-restart', target: f.workload, params: {} })
        : refuse(`cannot rollout-restart a ${f.workload.kind}`);
  }
}
