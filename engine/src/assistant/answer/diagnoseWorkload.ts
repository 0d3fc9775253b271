import type { EventInfo, PodInfo } from '../../sources/cluster/ClusterSource.js';

/** The failure a workload's live state names, in Kubernetes' own words. */
export interface Diagnosis {
  /** Kubernetes' name of the failure: CrashLoopBackOff, OOMKilled, ImagePullBackOff, Unschedulable, ProbeFailing. */
  failure: string;
  /** One line of evidence, e.g. "2/2 pods in CrashLoopBackOff, last termination reason Error, 14 restarts". */
  evidence: string;
  /** Words to retrieve with: the failure's name and the reasons seen (they are the runbooks' and docs' headings). */
  searchTerms: string;
}

/**
 * The workload's restarts: the sum of its pods' restartCount, what `kubectl get pods` shows. The one count the live
 * context states, in the failure seen and in the metrics line (clusterTools.ts), so the two cannot disagree.
 */
export const restartsOf = (pods: PodInfo[]): number => pods.reduce((s, p) => s + p.restarts, 0);

/** `1 restart`, `4 restarts`. */
const restartsText = (n: number) => `${n} restart${n === 1 ? '' : 's'}`;

const PULL = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * Names the failure seen in pods and events, most specific first: an image that cannot be pulled, a container killed
 * for memory (OOMKilled, also when it shows as CrashLoopBackOff: the kill is the cause, the back-off its effect),
 * a crash loop with its last termination reason, a pod the scheduler cannot place, a failing probe. Undefined when
 * the workload looks healthy. Pure, so it is tested on recorded states.
 */
export function diagnoseWorkload(pods: PodInfo[], events: EventInfo[]): Diagnosis | undefined {
  const containers = pods.flatMap((p) => p.containers.map((c) => ({ pod: p, c })));
  const total = pods.length;
  const count = (pred: (x: (typeof containers)[number]) => boolean) =>
    new Set(containers.filter(pred).map((x) => x.pod.name)).size;
  const restarts = restartsText(restartsOf(pods));
  const warning = (reason: RegExp) => events.filter((e) => e.type === 'Warning' && reason.test(e.reason));

  const pulling = containers.filter((x) => x.c.reason && PULL.has(x.c.reason));
  if (pulling.length) {
    const reasons = [...new Set(pulling.map((x) => x.c.reason!))];
    const image = pulling[0]!.c.image;
    return {
      failure: 'ImagePullBackOff',
      evidence: `${count((x) => PULL.has(x.c.reason ?? ''))}/${total} pods waiting with ${reasons.join(', ')} (image ${image})`,
      searchTerms: `ImagePullBackOff ErrImagePull ${reasons.join(' ')}`,
    };
  }
  const oom = containers.filter(
    (x) =>
      x.c.lastTerminationReason === 'OOMKilled' || (x.c.state === 'terminated' && x.c.reason === 'OOMKilled'),
  );
  if (oom.length) {
    return {
      failure: 'OOMKilled',
      evidence: `${count((x) => oom.includes(x))}/${total} pods with a container OOMKilled (last termination reason), ${restarts}`,
      searchTerms: 'OOMKilled memory limit exit code 137',
    };
  }
  const looping = containers.filter((x) => x.c.reason === 'CrashLoopBackOff');
  if (looping.length || warning(/^BackOff$/).length) {
    const last = [
      ...new Set(containers.map((x) => x.c.lastTerminationReason).filter((r): r is string => !!r)),
    ];
    return {
      failure: 'CrashLoopBackOff',
      evidence:
        `${count((x) => x.c.reason === 'CrashLoopBackOff')}/${total} pods in CrashLoopBackOff` +
        `${last.length ? `, last termination reason ${last.join(', ')}` : ''}, ${restarts}`,
      searchTerms: `CrashLoopBackOff ${last.join(' ')} restarts`,
    };
  }
  const pending = pods.filter(
    (p) =>
      p.phase === 'Pending' && p.conditions.some((c) => c.type === 'PodScheduled' && c.status === 'False'),
  );
  if (pending.length || warning(/^FailedScheduling$/).length) {
    const message =
      warning(/^FailedScheduling$/)[0]?.message ??
      pending[0]?.conditions.find((c) => c.type === 'PodScheduled')?.message;
    return {
      failure: 'Unschedulable',
      evidence: `${pending.length}/${total} pods Pending and unschedulable${message ? `: ${message}` : ''}`,
      searchTerms: 'Pending Unschedulable FailedScheduling',
    };
  }
  const unhealthy = warning(/^Unhealthy$/);
  const notReady = pods.filter((p) => p.phase === 'Running' && !p.ready);
  if (unhealthy.length || notReady.length) {
    const probe = /liveness/i.test(unhealthy[0]?.message ?? '') ? 'liveness' : 'readiness';
    return {
      failure: 'ProbeFailing',
      evidence: `${notReady.length}/${total} running pods not ready${unhealthy[0] ? `; ${unhealthy[0].message}` : ''}`,
      searchTerms: `${probe} probe failed Unhealthy not ready`,
    };
  }
  return undefined;
}
