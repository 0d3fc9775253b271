import type { V1Job } from '@kubernetes/client-node';
import type { Detector, Finding } from '../types.js';
import { ownerChain } from '../snapshot/ownerChain.js';
import { indexSnapshot, refKey, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { containerStatuses, memoryLimits } from '../snapshot/podStatus.js';
import { toMillis } from '../snapshot/time.js';
import { createFinding } from './createFinding.js';

/**
 * Jobs that gave up (`Failed=True`: BackoffLimitExceeded, DeadlineExceeded). A CronJob's failed run is only a
 * finding while no later run of the same CronJob has completed: a failure the schedule has since recovered from
 * is history. Whether the pods were OOMKilled decides between a memory raise and a notification.
 */
const jobTime = (job: V1Job): number =>
  toMillis(job.status?.startTime ?? job.metadata?.creationTimestamp) ?? 0;
const completed = (job: V1Job) =>
  job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True');

function recoveredLater(index: SnapshotIndex, job: V1Job): boolean {
  const owner = job.metadata?.ownerReferences?.find((r) => r.kind === 'CronJob');
  if (!owner) return false;
  const runs = index.jobsByCronJob.get(refKey('CronJob', job.metadata?.namespace, owner.name)) ?? [];
  return runs.some((run) => jobTime(run) > jobTime(job) && completed(run));
}

function findingFor(index: SnapshotIndex, job: V1Job, now: Date): Finding | undefined {
  const failed = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  if (!failed || recoveredLater(index, job)) return undefined;
  const object = refOf('Job', job);
  const pods = index.podsByController.get(refKey('Job', object.namespace, object.name)) ?? [];
  const oomContainers = [
    ...new Set(
      pods.flatMap((p) =>
        containerStatuses(p)
          .filter(
            (cs) =>
              cs.state?.terminated?.reason === 'OOMKilled' ||
              cs.lastState?.terminated?.reason === 'OOMKilled',
          )
          .map((cs) => cs.name),
      ),
    ),
  ];
  const oomKilled = oomContainers.length > 0;
  return createFinding({
    type: 'JobFailed',
    object,
    owners: ownerChain(index, job),
    statuses: [
      `${object.name}: Failed (${failed.reason ?? ''}) ${failed.message ?? ''}`.trim(),
      `failed pods ${job.status?.failed ?? 0}, backoffLimit ${job.spec?.backoffLimit ?? 6}${oomKilled ? ', pods OOMKilled' : ''}`,
    ],
    events: [...index.eventsFor(object), ...pods.flatMap((p) => index.eventsFor(refOf('Pod', p)))].filter(
      (e) => e.type === 'Warning',
    ),
    sinceMs: toMillis(failed.lastTransitionTime) ?? now.getTime(),
    now,
    severity: 'warning',
    message: `Job ${object.namespace}/${object.name} failed: ${failed.reason ?? 'Failed'}${oomKilled ? ' (pods OOMKilled)' : ''}`,
    details: {
      reason: failed.reason,
      oomKilled,
      ...(oomKilled ? { containers: oomContainers } : {}),
      occurrences: job.status?.failed ?? 0,
      pods: pods.map((p) => p.metadata?.name ?? ''),
      memoryLimitBytes: memoryLimits(job.spec?.template?.spec?.containers ?? []),
    },
  });
}

export const jobFailedDetector: Detector = {
  name: 'job-failed',
  types: ['JobFailed'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    return (snapshot.jobs ?? []).flatMap((job) => findingFor(index, job, now) ?? []);
  },
};
