import { describe, expect, it } from 'vitest';
import type { V1CronJob, V1Job } from '@kubernetes/client-node';
import { NOW, ago, pod } from '../../../test/fixtures/repair/kubeObjects.js';
import { jobFailedDetector } from './jobFailedDetector.js';

const cron = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'export', namespace: 'rep', uid: 'u-cj' },
  spec: {
    schedule: '0 5 * * *',
    jobTemplate: {
      spec: {
        template: {
          spec: { containers: [{ name: 'exporter', resources: { limits: { memory: '256Mi' } } }] },
        },
      },
    },
  },
} as unknown as V1CronJob;

function job(name: string, startedAgo: number, outcome: 'Failed' | 'Complete'): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'rep',
      uid: `u-${name}`,
      creationTimestamp: ago(startedAgo),
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: 'export', uid: 'u-cj', controller: true },
      ],
    },
    spec: {
      backoffLimit: 2,
      template: { spec: { containers: [{ name: 'exporter', resources: { limits: { memory: '256Mi' } } }] } },
    },
    status: {
      startTime: ago(startedAgo),
      failed: outcome === 'Failed' ? 3 : 0,
      conditions: [
        {
          type: outcome,
          status: 'True',
          reason: outcome === 'Failed' ? 'BackoffLimitExceeded' : undefined,
          lastTransitionTime: ago(startedAgo - 300),
        },
      ],
    },
  } as unknown as V1Job;
}

const jobPod = (jobName: string, reason: string) =>
  pod('rep', `${jobName}-x1`, {
    phase: 'Failed',
    owner: { kind: 'Job', name: jobName },
    node: 'worker-1',
    state: { waiting: 'none' },
    lastTerminated: { reason, exitCode: 137, finishedAgo: 600 },
    container: { name: 'exporter' },
  });

describe('jobFailedDetector', () => {
  it('finds a CronJob run past its backoff limit with the CronJob in its owner chain', () => {
    const snapshot = {
      cronJobs: [cron],
      jobs: [job('export-1', 1200, 'Failed')],
      pods: [jobPod('export-1', 'Error')],
    };
    const [finding] = jobFailedDetector.detect(snapshot, NOW);
    expect(finding!.type).toBe('JobFailed');
    expect(finding!.object).toMatchObject({ kind: 'Job', name: 'export-1' });
    expect(finding!.owners).toMatchObject([{ kind: 'CronJob', name: 'export' }]);
    expect(finding!.workload.kind).toBe('CronJob');
    expect(finding!.details.reason).toBe('BackoffLimitExceeded');
    expect(finding!.details['oomKilled']).toBe(false);
  });

  it('says when its pods were OOMKilled', () => {
    const snapshot = {
      cronJobs: [cron],
      jobs: [job('export-1', 1200, 'Failed')],
      pods: [jobPod('export-1', 'OOMKilled')],
    };
    expect(jobFailedDetector.detect(snapshot, NOW)[0]!.details).toMatchObject({
      oomKilled: true,
      containers: ['exporter'],
    });
  });

  it('forgets a failed run once a later run of the CronJob completed, and ignores completed Jobs', () => {
    const snapshot = {
      cronJobs: [cron],
      jobs: [job('export-1', 2 * 86_400, 'Failed'), job('export-2', 86_400, 'Complete')],
    };
    expect(jobFailedDetector.detect(snapshot, NOW)).toHaveLength(0);
  });
});
