import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import { ownedBy, saveStatusIfChanged, type ControllerContext } from './ControllerContext.js';
import { JOBS } from './JobController.js';

export const CRON_JOBS = 'batch/cronjobs';
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Two days of minutes: how far back a missed start time is looked for. */
const LOOKBACK_MINUTES = 2 * 24 * 60;

interface CronJobSpec {
  schedule: string;
  suspend?: boolean;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  startingDeadlineSeconds?: number;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
  };
}

/**
 * CronJob → Jobs: at each scheduled minute (UTC) a Job `<name>-<minutes since epoch>`, honouring suspend,
 * concurrencyPolicy and startingDeadlineSeconds, keeping successful/failed history (3/1 by default) and the status
 * (active, lastScheduleTime, lastSuccessfulTime). The Job controller then runs each Job.
 */
export class CronJobController {
  reconcile(ctx: ControllerContext): void {
    const jobs = ctx.store.view(JOBS);
    for (const cj of ctx.store.view(CRON_JOBS)) {
      const spec = cj['spec'] as CronJobSpec;
      const owned = jobs.filter((j) => ownedBy(j, cj.metadata.uid));
      const active = owned.filter((j) => !finished(j));
      const status = { ...((cj['status'] ?? {}) as Record<string, unknown>) };
      const due = spec.suspend ? undefined : this.due(ctx, cj, spec, status);
      if (due !== undefined) {
        status['lastScheduleTime'] = new Date(due).toISOString();
        if (spec.concurrencyPolicy === 'Forbid' && active.length) {
          ctx.events.record(
            cj,
            'Normal',
            'JobAlreadyActive',
            'Not starting job because prior execution is running and concurrency policy is Forbid',
            { component: 'cronjob-controller' },
          );
        } else {
          if (spec.concurrencyPolicy === 'Replace')
            for (const j of active) ctx.store.delete(JOBS, j.metadata.namespace, j.metadata.name);
          if (!ctx.store.has(JOBS, cj.metadata.namespace, jobName(cj, due)))
            owned.push(this.createJob(ctx, cj, spec, due));
        }
      }
      this.trimHistory(ctx, spec, owned);
      const live = owned.filter((j) => ctx.store.has(JOBS, j.metadata.namespace, j.metadata.name));
      const running = live.filter((j) => !finished(j));
      const succeeded = live.filter((j) => finished(j) === 'Complete');
      const lastSuccess = succeeded
        .map((j) => String((j['status'] as { completionTime?: string })?.completionTime ?? ''))
        .sort()
        .pop();
      if (running.length)
        status['active'] = running.map((j) => ({
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: j.metadata.name,
          namespace: j.metadata.namespace,
          uid: j.metadata.uid,
        }));
      else delete status['active'];
      if (lastSuccess) status['lastSuccessfulTime'] = lastSuccess;
      saveStatusIfChanged(ctx.store, CRON_JOBS, cj, status);
    }
  }

  /** The latest scheduled minute in (last schedule, now], within startingDeadlineSeconds; undefined when none. */
  private due(
    ctx: ControllerContext,
    cj: KubeObject,
    spec: CronJobSpec,
    status: Record<string, unknown>,
  ): number | undefined {
    const now = ctx.now().getTime();
    const since = Date.parse(
      String(status['lastScheduleTime'] ?? cj.metadata.creationTimestamp ?? new Date(now).toISOString()),
    );
    const matches = cronMatcher(spec.schedule);
    // Newest first, so the latest missed start is found at once; a schedule is looked for no further back than
    // LOOKBACK_MINUTES (the real controller likewise starts only the latest of many missed runs).
    const first = Math.max(Math.floor(since / 60_000) + 1, Math.floor(now / 60_000) - LOOKBACK_MINUTES);
    let latest: number | undefined;
    for (let m = Math.floor(now / 60_000); m >= first && latest === undefined; m--) {
      if (matches(new Date(m * 60_000))) latest = m * 60_000;
    }
    if (latest === undefined) return undefined;
    if (spec.startingDeadlineSeconds !== undefined && now - latest > spec.startingDeadlineSeconds * 1000)
      return undefined;
    return latest;
  }

  private createJob(ctx: ControllerContext, cj: KubeObject, spec: CronJobSpec, at: number): KubeObject {
    const name = jobName(cj, at);
    const job = ctx.store.create(JOBS, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...spec.jobTemplate.metadata?.labels },
        annotations: { ...spec.jobTemplate.metadata?.annotations, [SCHEDULED]: new Date(at).toISOString() },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: cj.metadata.name,
            uid: cj.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { backoffLimit: 6, completions: 1, parallelism: 1, ...clone(spec.jobTemplate.spec) },
      status: {},
    });
    ctx.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, {
      component: 'cronjob-controller',
    });
    return job;
  }

  private trimHistory(ctx: ControllerContext, spec: CronJobSpec, owned: KubeObject[]): void {
    const byStart = (a: KubeObject, b: KubeObject) =>
      String(a.metadata.name).localeCompare(String(b.metadata.name));
    const limits: Array<['Complete' | 'Failed', number]> = [
      ['Complete', spec.successfulJobsHistoryLimit ?? 3],
      ['Failed', spec.failedJobsHistoryLimit ?? 1],
    ];
    for (const [outcome, keep] of limits) {
      const done = owned.filter((j) => finished(j) === outcome).sort(byStart);
      for (const job of done.slice(0, Math.max(0, done.length - keep))) {
        if (ctx.store.has(JOBS, job.metadata.namespace, job.metadata.name))
          ctx.store.delete(JOBS, job.metadata.namespace, job.metadata.name);
      }
    }
  }
}

const jobName = (cj: KubeObject, at: number) => `${cj.metadata.name}-${Math.floor(at / 60_000)}`;

function finished(job: KubeObject): 'Complete' | 'Failed' | undefined {
  const conditions =
    (job['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
    ?.type as 'Complete' | 'Failed' | undefined;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * A matcher for the five-field cron syntax CronJobs use (`*`, `a`, `a-b`, lists, `/step`, the @ macros), in UTC.
 * Hand-written: the simulator needs only "does this minute match", and no cron library is an engine dependency.
 */
export function cronMatcher(schedule: string): (at: Date) => boolean {
  const fields = (MACROS[schedule.trim()] ?? schedule).trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`schedule "${schedule}" must have five fields`);
  const ranges: Array<[number, number]> = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  const sets = fields.map((f, i) => parseField(f, ranges[i]!));
  return (at) =>
    sets[0]!.has(at.getUTCMinutes()) &&
    sets[1]!.has(at.getUTCHours()) &&
    sets[2]!.has(at.getUTCDate()) &&
    sets[3]!.has(at.getUTCMonth() + 1) &&
    (sets[4]!.has(at.getUTCDay()) || (sets[4]!.has(7) && at.getUTCDay() === 0));
}

function parseField(field: string, [min, max]: [number, number]): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, upTo] =
      range === '*' || range === '?' ? [min, max] : (range!.split('-').map(Number) as [number, number?]);
    const to = upTo ?? (stepText === undefined ? from : max);
    if (![from, to, step].every(Number.isInteger) || step < 1) throw new Error(`bad cron field "${field}"`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}
