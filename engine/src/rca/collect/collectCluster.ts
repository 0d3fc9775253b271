import type { ClusterSource, PodInfo, Workload } from '../../sources/cluster/ClusterSource.js';
import type { ChangeEvidence, IncidentWindow, KubeEventEvidence, LogRecord } from '../types.js';

export interface CollectClusterOptions {
  namespace: string;
  window: IncidentWindow;
  /** How far before the onset rollouts and restarts count as recent changes. */
  changeLookbackSeconds: number;
  tailLines: number;
  /** Most pods whose logs are read (the busiest services first would need metrics; we take them in name order). */
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
export async function collectCluster(cluster: ClusterSource, options: CollectClusterOptions): Promise<ClusterEvidence> {
  const warnings: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
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
  const serviceOf = (object: string) => names.find((n) => object === n || object.startsWith(`${n}-`)) ?? object;

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

  const from = window.start - options.changeLookbackSeconds;
  const changes: ChangeEvidence[] = [];
  for (const pod of pods) {
    const service = serviceOf(pod.name);
    for (const c of pod.containers) {
      const at = toSeconds(c.lastTerminatedAt);
      if (c.restartCount > 0 && at >= from && at <= window.end) {
        changes.push({
          service,
          time: at,
          kind: 'restart',
          description: `${pod.name}/${c.name} restarted (${c.restartCount} restarts, last: ${c.lastTerminationReason ?? 'unknown'})`,
        });
        if (c.lastTerminationReason) {
          events.push({
            service,
            time: at,
            type: 'Warning',
            reason: c.lastTerminationReason,
            message: `container ${c.name} terminated: ${c.lastTerminationReason}`,
            count: c.restartCount,
            object: `Pod/${pod.name}`,
          });
        }
      }
      if (c.state === 'waiting' && c.reason) {
        events.push({
          service,
          time: window.end,
          type: 'Warning',
          reason: c.reason,
          message: c.message ?? `container ${c.name} waiting: ${c.reason}`,
          count: 1,
          object: `Pod/${pod.name}`,
        });
      }
    }
  }

  const histories = await Promise.all(
    workloads
      .filter((w) => w.kind === 'Deployment')
      .map((w) => attempt(`rollout history of ${w.name}`, () => cluster.rolloutHistory(w), []).then((h) => ({ w, h }))),
  );
  for (const { w, h } of histories) {
    const ordered = h.slice().sort((a, b) => Number(a.revision) - Number(b.revision));
    for (let i = 1; i < ordered.length; i++) {
      const rev = ordered[i]!;
      const at = toSeconds(rev.createdAt);
      if (!(at >= from && at <= window.end)) continue;
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

  const logs: LogRecord[] = [];
  const sinceSeconds = Math.max(60, Math.ceil(Date.now() / 1000 - window.baselineStart));
  const chosen = pods.slice().sort((a, b) => a.name.localeCompare(b.name)).slice(0, options.maxPods);
  const texts = await Promise.all(
    chosen.map((pod) =>
      attempt(`logs of ${pod.name}`, () => cluster.podLogs(namespace, pod.name, { tailLines: options.tailLines, timestamps: true, sinceSeconds }), ''),
    ),
  );
  chosen.forEach((pod, i) => {
    const service = serviceOf(pod.name);
    for (const line of (texts[i] ?? '').split('\n')) {
      const parsed = parseTimestampedLine(line);
      if (parsed) logs.push({ service, ...parsed });
    }
  });

  const services = [...new Set([...workloads.map((w) => w.name)])];
  return { events, changes, logs, services, warnings };
}

/** `2024-05-01T12:00:00.123456789Z message` (what `timestamps=true` gives) → time and message. */
export function parseTimestampedLine(line: string): { timestamp: number; message: string } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})\s(.*)$/.exec(line);
  if (!m) return undefined;
  const timestamp = Date.parse(`${m[1]}${m[3]}`) / 1000 + (m[2] ? Number(`0${m[2]}`) : 0);
  return Number.isFinite(timestamp) ? { timestamp, message: m[4]! } : undefined;
}
