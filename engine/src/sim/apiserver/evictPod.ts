import { ApiError, badRequest } from './ApiError.js';
import { clone, type KubeObject } from './KubeObject.js';
import type { ObjectStore } from './ObjectStore.js';
import type { RequestTarget } from './RequestTarget.js';
import { isDryRun, type HandlerResult } from './ResourceHandlers.js';
import { selectorString } from './groups/apps.js';
import { matchesLabels, parseLabelSelector } from './selectors.js';

export const PDBS = 'policy/poddisruptionbudgets';

/** kube-apiserver's cap on evictions the disruption controller has not yet confirmed (MaxDisruptedPodSize). */
const MAX_DISRUPTED_PODS = 2000;

interface PdbStatus {
  observedGeneration?: number;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  disruptedPods?: Record<string, string>;
  conditions?: Array<Record<string, unknown>>;
}

interface EvictionBody {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  deleteOptions?: { gracePeriodSeconds?: number; dryRun?: string[]; preconditions?: unknown };
}

/** The PodDisruptionBudgets whose selector matches the pod (a nil selector matches nothing, `{}` everything). */
export function budgetsFor(store: ObjectStore, pod: KubeObject): KubeObject[] {
  return store.view(PDBS, pod.metadata.namespace).filter((pdb) => {
    const selector = (pdb['spec'] as { selector?: unknown } | undefined)?.selector;
    if (selector === undefined || selector === null) return false;
    return matchesLabels(parseLabelSelector(selectorString(selector) || undefined), pod.metadata.labels);
  });
}

const phaseOf = (pod: KubeObject) => (pod['status'] as { phase?: string } | undefined)?.phase;

/** Ready condition True: the pod counts toward a budget's currentHealthy. */
export function isHealthy(pod: KubeObject): boolean {
  const conditions = (pod['status'] as { conditions?: Array<{ type: string; status: string }> })?.conditions;
  return (
    !pod.metadata.deletionTimestamp &&
    (conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/**
 * `POST pods/{name}/eviction` (policy/v1 Eviction) with kube-apiserver's rules (pkg/registry/core/pod/storage/
 * eviction.go): a pod that is finished, pending or already terminating is deleted without consulting budgets; more
 * than one matching PodDisruptionBudget is a 500; a budget whose status lags its generation, or that allows no
 * disruption, answers 429 TooManyRequests with a DisruptionBudget cause; otherwise the budget's disruptionsAllowed is
 * decremented, the pod recorded in disruptedPods (so the disruption controller does not count it healthy before it
 * is gone) and the pod deleted with the eviction's DeleteOptions. Dry-run checks everything and changes nothing.
 */
export function evictPod(
  store: ObjectStore,
  target: RequestTarget,
  body: unknown,
  query: URLSearchParams,
  deletePod: (query: URLSearchParams, options: unknown) => HandlerResult,
  now: () => Date = () => new Date(),
): HandlerResult {
  const eviction = (body ?? {}) as EvictionBody;
  if (eviction.kind !== undefined && eviction.kind !== 'Eviction') {
    throw badRequest(`the body of the request was of kind ${eviction.kind}, not Eviction`);
  }
  if (eviction.metadata?.name && eviction.metadata.name !== target.name) {
    throw badRequest('name in URL does not match name in Eviction object');
  }
  const dryRun = isDryRun(query) || (eviction.deleteOptions?.dryRun ?? []).includes('All');
  const deleteQuery = new URLSearchParams(dryRun ? { dryRun: 'All' } : {});
  const options = eviction.deleteOptions ?? {};
  const pod = store.get('/pods', target.namespace, target.name!);
  if (!pod)
    throw new ApiError('NotFound', `pods "${target.name}" not found`, { name: target.name, kind: 'pods' });
  const phase = phaseOf(pod);
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp) {
    deletePod(deleteQuery, options);
    return evicted();
  }
  const budgets = budgetsFor(store, pod);
  if (budgets.length > 1) {
    throw new ApiError(
      'InternalError',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  const pdb = budgets[0];
  if (pdb && !isUnhealthyWithinHealthyBudget(pod, pdb)) {
    const status = checkBudget(pdb);
    if (!dryRun) recordDisruption(store, pdb, status, target.name!, now());
  }
  deletePod(deleteQuery, options);
  return evicted();
}

/** The default unhealthyPodEvictionPolicy (IfHealthyBudget): a not-Ready pod goes while the budget is met. */
function isUnhealthyWithinHealthyBudget(pod: KubeObject, pdb: KubeObject): boolean {
  if (isHealthy(pod)) return false;
  const status = (pdb['status'] ?? {}) as PdbStatus;
  const policy = (pdb['spec'] as { unhealthyPodEvictionPolicy?: string }).unhealthyPodEvictionPolicy;
  if (policy === 'AlwaysAllow') return true;
  return (status.desiredHealthy ?? 0) > 0 && (status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0);
}

/** checkAndDecrement's refusals; returns the status with one disruption spent. */
function checkBudget(pdb: KubeObject): PdbStatus {
  const status = clone((pdb['status'] ?? {}) as PdbStatus);
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 1)) {
    throw tooManyRequests(
      `The disruption budget ${pdb.metadata.name} is still being processed by the server.`,
      10,
    );
  }
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0) throw new ApiError('InternalError', 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw new ApiError(
      'InternalError',
      'DisruptedPods map too big - too many evictions not confirmed by PDB controller',
    );
  }
  if (allowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
    );
  }
  status.disruptionsAllowed = allowed - 1;
  return status;
}

function recordDisruption(
  store: ObjectStore,
  pdb: KubeObject,
  status: PdbStatus,
  pod: string,
  at: Date,
): void {
  status.disruptedPods = { ...status.disruptedPods, [pod]: at.toISOString() };
  if (status.disruptionsAllowed === 0) {
    status.conditions = [
      ...(status.conditions ?? []).filter((c) => c['type'] !== 'DisruptionAllowed'),
      {
        type: 'DisruptionAllowed',
        status: 'False',
        reason: 'InsufficientPods',
        message: '',
        observedGeneration: pdb.metadata.generation ?? 1,
        lastTransitionTime: at.toISOString(),
      },
    ];
  }
  // The resourceVersion read above is the precondition, as the real server's optimistic update of the budget.
  store.update(PDBS, { ...pdb, status });
}

function tooManyRequests(cause: string, retryAfterSeconds?: number): ApiError {
  return new ApiError(
    'TooManyRequests',
    "Cannot evict pod as it would violate the pod's disruption budget.",
    {
      causes: [{ reason: 'DisruptionBudget', message: cause }],
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    },
  );
}

/** What kube-apiserver answers a successful eviction with. */
function evicted(): HandlerResult {
  return {
    status: 201,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
  };
}
