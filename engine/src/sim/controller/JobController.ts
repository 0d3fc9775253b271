import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import { PODS, controllerOf, ownedBy, type ControllerContext } from './ControllerContext.js';
import { safeSuffix } from './random.js';

export const JOBS = 'batch/jobs';
/** How a simulated Job's containers end: `succeed` (exit 0), `fail` (exit 1) or `oom` (OOMKilled, exit 137). */
export const JOB_OUTCOME = 'sim.aicloudops.io/outcome';
/** Ticks a Job's container runs before it exits. */
const RUN_TICKS = 2;

type Outcome = 'succeed' | 'fail' | 'oom';
const EXIT: Record<Outcome, { exitCode: number; reason: string; phase: string }> = {
  succeed: { exitCode: 0, reason: 'Completed', phase: 'Succeeded' },
  fail: { exitCode: 1, reason: 'Error', phase: 'Failed' },
  oom: { exitCode: 137, reason: 'OOMKilled', phase: 'Failed' },
};

/**
 * The Job controller and, for Job pods, the kubelet's part: one pod at a time until `completions` succeed or more
 * than `backoffLimit` failed (then `Failed=True`, BackoffLimitExceeded). Pods run to completion (restartPolicy
 * Never) and end as the Job's `sim.aicloudops.io/outcome` annotation says.
 */
export class JobController {
  private readonly runningSince = new Map<string, number>();

  reconcile(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS);
    for (const job of ctx.store.view(JOBS)) {
      if (isDone(job)) continue;
      const owned = pods.filter((p) => ownedBy(p, job.metadata.uid));
      for (const pod of owned) this.run(ctx, job, pod);
      this.sync(ctx, job);
    }
  }

  private run(ctx: ControllerContext, job: KubeObject, pod: KubeObject): void {
    const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
    const node = (pod['spec'] as { nodeName?: string }).nodeName;
    if (!node || phase === 'Succeeded' || phase === 'Failed') return;
    const uid = pod.metadata.uid!;
    const container = ((pod['spec'] as { containers: Array<{ name: string; image: string }> }).containers ??
      [])[0]!;
    const since = this.runningSince.get(uid);
    const now = ctx.now().toISOString();
    if (since === undefined) {
      this.runningSince.set(uid, ctx.tick);
      this.status(ctx, pod, 'Running', {
        name: container.name,
        image: container.image,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      });
      return;
    }
    if (ctx.tick - since < RUN_TICKS) return;
    const outcome = (job.metadata.annotations?.[JOB_OUTCOME] as Outcome | undefined) ?? 'succeed';
    const exit = EXIT[outcome] ?? EXIT.succeed;
    this.runningSince.delete(uid);
    this.status(ctx, pod, exit.phase, {
      name: container.name,
      image: container.image,
      ready: false,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode: exit.exitCode, reason: exit.reason, finishedAt: now } },
    });
    if (outcome !== 'succeed') {
      ctx.events.record(
        pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name}`,
        { component: 'kubelet', host: (pod['spec'] as { nodeName?: string }).nodeName ?? '' },
      );
    }
  }

  private status(
    ctx: ControllerContext,
    pod: KubeObject,
    phase: string,
    container: Record<string, unknown>,
  ): void {
    const next = clone(pod);
    const ready = phase === 'Running' ? 'True' : 'False';
    const time = ctx.now().toISOString();
    next['status'] = {
      ...(pod['status'] as object),
      phase,
      startTime: (pod['status'] as { startTime?: string } | undefined)?.startTime ?? time,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: time },
        {
          type: 'Ready',
          status: ready,
          lastTransitionTime: time,
          ...(ready === 'False' ? { reason: phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed' } : {}),
        },
      ],
      containerStatuses: [container],
    };
    ctx.store.update(PODS, next);
  }

  /** Counts, conditions, and the next pod when one is due. */
  private sync(ctx: ControllerContext, job: KubeObject): void {
    const owned = ctx.store.view(PODS).filter((p) => ownedBy(p, job.metadata.uid));
    const phaseOf = (p: KubeObject) => (p['status'] as { phase?: string } | undefined)?.phase;
    const succeeded = owned.filter((p) => phaseOf(p) === 'Succeeded').length;
    const failed = owned.filter((p) => phaseOf(p) === 'Failed').length;
    const active = owned.length - succeeded - failed;
    const spec = job['spec'] as { completions?: number; backoffLimit?: number };
    const time = ctx.now().toISOString();
    const conditions: Array<Record<string, string>> = [];
    if (succeeded >= (spec.completions ?? 1)) {
      conditions.push({ type: 'Complete', status: 'True', lastTransitionTime: time, lastProbeTime: time });
    } else if (failed > (spec.backoffLimit ?? 6)) {
      conditions.push({
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        lastTransitionTime: time,
        lastProbeTime: time,
      });
      ctx.events.record(
        job,
        'Warning',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
        { component: 'job-controller' },
      );
    } else if (active === 0) {
      this.createPod(ctx, job);
    }
    const previous = (job['status'] ?? {}) as Record<string, unknown>;
    const status = {
      ...previous,
      startTime: previous['startTime'] ?? time,
      active: conditions.length ? 0 : Math.max(active, 1),
      succeeded,
      failed,
      ...(conditions.length
        ? { conditions, ...(conditions[0]!['type'] === 'Complete' ? { completionTime: time } : {}) }
        : {}),
    };
    if (JSON.stringify(status) !== JSON.stringify(job['status'])) ctx.store.update(JOBS, { ...job, status });
  }

  private createPod(ctx: ControllerContext, job: KubeObject): void {
    const template = (
      job['spec'] as {
        template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> };
      }
    ).template;
    const name = `${job.metadata.name}-${safeSuffix(ctx.random)}`;
    const pod = ctx.store.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: job.metadata.namespace,
        labels: {
          ...template.metadata?.labels,
          'job-name': job.metadata.name,
          'batch.kubernetes.io/job-name': job.metadata.name,
          'controller-uid': job.metadata.uid!,
        },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: job.metadata.name,
            uid: job.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { ...clone(template.spec), restartPolicy: template.spec['restartPolicy'] ?? 'Never' },
      status: { phase: 'Pending', qosClass: 'Burstable' },
    });
    ctx.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
      component: 'job-controller',
    });
  }
}

/** Pods the Job controller runs itself; the kubelet leaves them alone. */
export const isJobPod = (pod: KubeObject): boolean => controllerOf(pod)?.kind === 'Job';

function isDone(job: KubeObject): boolean {
  const conditions =
    (job['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}
