import type { ClusterSource, LogOptions, PodInfo, Workload } from '../../sources/cluster/ClusterSource.js';
import { plural } from '../../util/plural.js';
import type { ChangeEvidence, IncidentWindow, KubeEventEvidence, LogRecord } from '../types.js';

export interface CollectClusterOptions {
  namespace: string;
  window: IncidentWindow;
  /** How far before the onset rollouts and restarts count as recent changes. */
  changeLookbackSeconds: number;
  tailLines: number;
  /** Most pods whose logs are read: troubled pods first, then one per service in turn (podsForLogs). */
  maxPods: number;
}

export interface ClusterEvidence {
  events: KubeEventEvidence[];
  changes: ChangeEvidence[];
  logs: LogRecord[];
  services: string[];
  warnings: string[];
}

const toSeconds = (iso?: string) => (iso ? Date.parse(iso) / 1000 : NaN);

/**
 * Kubernetes evidence through the ClusterSource: events (attributed to the workload that owns the object), restarts and
 * their last termination reason, rollouts and image changes from the rollout history, and pod logs with timestamps.
 * Each part fails on its own: a warning, and the rest still counts.
 */
export async function collectCluster(
  cluster: ClusterSource,
  options: CollectClusterOptions,
): Promise<ClusterEvidence> {
  const warnings: string[] = [];
  const attempt: Attempt = async (what, fn, fallback) => {
    try {
      return await fn();
    } catch (error) {
      warnings.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
  };
  const { namespace, window } = options;
  const [workloads, pods, rawEvents] = await Promise.all([
    attempt('list workloads', () => cluster.listWorkloads(namespace), [] as Workload[]),
    attempt('list pods', () => cluster.listPods(namespace), [] as PodInfo[]),
    attempt('list events', () => cluster.listEvents(namespace), []),
  ]);
  const names = workloads.map((w) => w.name).sort((a, b) => b.length - a.length);
  const serviceOf = (object: string) =>
    names.find((n) => object === n || object.startsWith(`${n}-`)) ?? object;

  const events: KubeEventEvidence[] = rawEvents
    .map((e) => ({
      service: serviceOf(e.involvedName),
      time: toSeconds(e.lastTimestamp ?? e.firstTimestamp),
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: e.count || 1,
      object: `${e.involvedKind}/${e.involvedName}`,
    }))
    .filter((e) => Number.isFinite(e.time));
  const span = { from: window.start - options.changeLookbackSeconds, to: window.end };
  const containers = containerEvidence(pods, serviceOf, span);
  const [rollouts, logs] = await Promise.all([
    rolloutChanges(cluster, workloads, span, attempt),
    podLogs(cluster, pods, serviceOf, options, attempt),
  ]);
  return {
    events: [...events, ...containers.events],
    changes: [...containers.changes, ...rollouts],
    logs,
    services: [...new Set(workloads.map((w) => w.name))],
    warnings,
  };
}

/** Runs one part of the collection; a failure becomes a warning and the fallback, so the other parts still count. */
type Attempt = <T>(what: string, fn: () => Promise<T>, fallback: T) => Promise<T>;
type Span = { from: number; to: number };

/**
 * From the pods' container statuses: restarts within the span (a change, and their last termination reason as an
 * event: OOMKilled names the fault) and containers waiting now (CrashLoopBackOff, ImagePullBackOff).
 */
function containerEvidence(
  pods: PodInfo[],
  serviceOf: (object: string) => string,
  span: Span,
): { events: KubeEventEvidence[]; changes: ChangeEvidence[] } {
  const events: KubeEventEvidence[] = [];
  const changes: ChangeEvidence[] = [];
  for (const pod of pods) {
    const service = serviceOf(pod.name);
    for (const c of pod.containers) {
      const at = toSeconds(c.lastTerminatedAt);
      if (c.restartCount > 0 && at >= span.from && at <= span.to) {
        changes.push({
          service,
          time: at,
          kind: 'restart',
          description: `${pod.name}/${c.name} restarted (${plural(c.restartCount, 'restart')}, last: ${c.lastTerminationReason ?? 'unknown'})`,
        });
        if (c.lastTerminationReason) {
          const message = `container ${c.name} terminated: ${c.lastTerminationReason}`;
          events.push({
            service,
            time: at,
            type: 'Warning',
            reason: c.lastTerminationReason,
            message,
            count: c.restartCount,
            object: `Pod/${pod.name}`,
          });
        }
      }
      if (c.state === 'waiting' && c.reason) {
        const message = c.message ?? `container ${c.name} waiting: ${c.reason}`;
        events.push({
          service,
          time: span.to,
          type: 'Warning',
          reason: c.reason,
          message,
          count: 1,
          object: `Pod/${pod.name}`,
        });
      }
    }
  }
  return { events, changes };
}

/** Deployments' revisions created within the span: an image change, or a pod template change with the same images. */
async function rolloutChanges(
  cluster: ClusterSource,
  workloads: Workload[],
  span: Span,
  attempt: Attempt,
): Promise<ChangeEvidence[]> {
  const histories = await Promise.all(
    workloads
      .filter((w) => w.kind === 'Deployment')
      .map((w) =>
        attempt(`rollout history of ${w.name}`, () => cluster.rolloutHistory(w), []).then((h) => ({ w, h })),
      ),
  );
  const changes: ChangeEvidence[] = [];
  for (const { w, h } of histories) {
    const ordered = h.slice().sort((a, b) => Number(a.revision) - Number(b.revision));
    for (let i = 1; i < ordered.length; i++) {
      const rev = ordered[i]!;
      const at = toSeconds(rev.createdAt);
      if (!(at >= span.from && at <= span.to)) continue;
      const before = ordered[i - 1]!.images.join(', ');
      const after = rev.images.join(', ');
      changes.push({
        service: w.name,
        time: at,
        kind: before !== after ? 'image' : 'rollout',
        description:
          before !== after
            ? `rollout to revision ${rev.revision}: image ${before} → ${after}`
            : `rollout to revision ${rev.revision} (pod template changed, same images: config or env)`,
      });
    }
  }
  return changes;
}

/**
 * The pods whose logs are read when there are more than maxPods: troubled pods first (not ready, restarted, a
 * container waiting), then one pod per service in turn, so every service is heard. Before, the first maxPods in name
 * order: in a namespace of 20 services x 10 replicas the logs of 15 services were never read.
 */
export function podsForLogs(
  pods: PodInfo[],
  serviceOf: (object: string) => string,
  maxPods: number,
): PodInfo[] {
  const troubled = (p: PodInfo) =>
    !p.ready || p.restarts > 0 || p.containers.some((c) => c.state === 'waiting');
  const byName = pods.slice().sort((a, b) => a.name.localeCompare(b.name));
  const queues = new Map<string, PodInfo[]>();
  for (const pod of [...byName.filter(troubled), ...byName.filter((p) => !troubled(p))]) {
    const service = serviceOf(pod.name);
    queues.set(service, [...(queues.get(service) ?? []), pod]);
  }
  const chosen = byName.filter(troubled).slice(0, maxPods);
  const taken = new Set(chosen);
  for (let round = 0; chosen.length < maxPods && taken.size < pods.length; round++) {
    for (const queue of queues.values()) {
      const pod = queue[round];
      if (pod && !taken.has(pod) && chosen.length < maxPods) {
        chosen.push(pod);
        taken.add(pod);
      }
    }
  }
  return chosen;
}

/** Bytes read per container and read for a window in the past: tailLines lines of up to 256 bytes. */
const LINE_BYTES = 256;
/** A window that ended this long ago or less is live: its newest lines are the ones that matter. */
const LIVE_SLACK_SECONDS = 120;

/**
 * Log reads for a window. Live: the newest tailLines since the baseline's start. In the past: the API has no "until",
 * and the newest lines of a busy pod all lie after the window, so two reads forward (sinceSeconds + limitBytes), one
 * from the baseline's start and one from the incident's, each with half the byte budget.
 */
export function logReads(window: IncidentWindow, tailLines: number, now: number): LogOptions[] {
  // sinceSeconds counts back from when the kubelet answers, not from `now`: 30 s more, so a slow answer still
  // reaches back to t (the incident's first line was lost under load in the test without it).
  const ago = (t: number) => Math.max(60, Math.ceil(now - t) + 30);
  if (window.end >= now - LIVE_SLACK_SECONDS)
    return [{ tailLines, timestamps: true, sinceSeconds: ago(window.baselineStart) }];
  const limitBytes = Math.ceil((tailLines * LINE_BYTES) / 2);
  return [
    { timestamps: true, sinceSeconds: ago(window.baselineStart), limitBytes },
    { timestamps: true, sinceSeconds: ago(window.start), limitBytes },
  ];
}

/**
 * Timestamped log lines of up to maxPods pods (podsForLogs), every container of each (a pod with a sidecar answers
 * 400 to a read without a container name), within the window and its baseline, each line once, tagged with its service.
 */
async function podLogs(
  cluster: ClusterSource,
  pods: PodInfo[],
  serviceOf: (object: string) => string,
  options: CollectClusterOptions,
  attempt: Attempt,
): Promise<LogRecord[]> {
  const { window } = options;
  const reads = logReads(window, options.tailLines, Date.now() / 1000);
  const jobs = podsForLogs(pods, serviceOf, options.maxPods).flatMap((pod) =>
    (pod.containers.length ? pod.containers.map((c) => c.name) : [undefined]).flatMap((container) =>
      reads.map((read) => ({ pod, read: container ? { ...read, container } : read })),
    ),
  );
  const texts = await Promise.all(
    jobs.map(({ pod, read }) =>
      attempt(
        `logs of ${pod.name}${read.container ? `/${read.container}` : ''}`,
        () => cluster.podLogs(options.namespace, pod.name, read),
        '',
      ),
    ),
  );
  const logs: LogRecord[] = [];
  const seen = new Set<string>();
  jobs.forEach(({ pod, read }, i) => {
    const service = serviceOf(pod.name);
    const text = texts[i] ?? '';
    const lines = text.split('\n');
    // A read cut at limitBytes ends inside a line: that fragment is not a message.
    if (read.limitBytes !== undefined && !text.endsWith('\n')) lines.pop();
    for (const line of lines) {
      const parsed = parseTimestampedLine(line);
      const key = `${pod.name}/${read.container ?? ''} ${line}`;
      if (
        !parsed ||
        parsed.timestamp < window.baselineStart ||
        parsed.timestamp > window.end ||
        seen.has(key)
      )
        continue;
      seen.add(key);
      logs.push({ service, ...parsed });
    }
  });
  return logs;
}

/** `2024-05-01T12:00:00.123456789Z message` (what `timestamps=true` gives) → time and message. */
export function parseTimestampedLine(line: string): { timestamp: number; message: string } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})\s(.*)$/.exec(line);
  if (!m) return undefined;
  const timestamp = Date.parse(`${m[1]}${m[3]}`) / 1000 + (m[2] ? Number(`0${m[2]}`) : 0);
  return Number.isFinite(timestamp) ? { timestamp, message: m[4]! } : undefined;
}
