import { z } from 'zod';
import type { EngineContext } from '../../context.js';
import { EngineError, describeIssues, fieldIssuesFromZod, isEngineError } from '../../errors.js';
import type { ToolDefinition } from '../../model/ModelProvider.js';
import type { EventInfo, PodInfo, Workload } from '../../sources/cluster/ClusterSource.js';
import type { AnswerConfig } from '../config.js';
import type { ToolCallRecord } from '../schemas.js';
import { redactSecretsText } from '../../util/redact.js';
import { fillQueryTemplate } from '../../sources/metrics/escapeLabelValue.js';
import { kindOf, templateEscapeFor } from '../../sources/metrics/MetricsSourceRegistry.js';
import { restartsOf } from './diagnoseWorkload.js';

/**
 * Read-only tools over the engine's sources for one named workload: pods, events, logs, metrics. They are the only
 * way the assistant touches the live system, and none of them can change it, so nothing a retrieved passage or a
 * model says can trigger an action. Output is redacted and bounded before it goes anywhere.
 */

const argsSchema = z.object({
  workload: z.string().min(1).max(253),
  namespace: z.string().min(1).max(253).optional(),
});
const logArgsSchema = argsSchema.extend({ previous: z.boolean().optional() });

export const CLUSTER_TOOLS: ToolDefinition[] = [
  {
    name: 'get_pods',
    description:
      "Lists the workload's pods with phase, readiness, restarts and container states (read-only).",
    parameters: {
      type: 'object',
      properties: { workload: { type: 'string' }, namespace: { type: 'string' } },
      required: ['workload'],
    },
  },
  {
    name: 'get_events',
    description: 'Recent Kubernetes events about the workload and its pods (read-only).',
    parameters: {
      type: 'object',
      properties: { workload: { type: 'string' }, namespace: { type: 'string' } },
      required: ['workload'],
    },
  },
  {
    name: 'get_logs',
    description:
      "Tail of the logs of the workload's least healthy pod; previous=true reads the crashed container (read-only).",
    parameters: {
      type: 'object',
      properties: {
        workload: { type: 'string' },
        namespace: { type: 'string' },
        previous: { type: 'boolean' },
      },
      required: ['workload'],
    },
  },
  {
    name: 'get_metrics',
    description:
      'Current values of the configured signals (request rate, errors, latency, CPU, memory, restarts) for the workload (read-only).',
    parameters: {
      type: 'object',
      properties: { workload: { type: 'string' }, namespace: { type: 'string' } },
      required: ['workload'],
    },
  },
];

export interface ToolResult {
  record: ToolCallRecord;
  /** What the model reads (redacted, bounded). */
  output: string;
}

export class ClusterTools {
  /**
   * Workload listings by namespace, kept for this instance's life (one ask): the named-workload check and every read
   * after it each listed the namespace's workloads, 5 listings per ask (test/assistant/liveContext.test.ts). Pods,
   * events, logs and metrics are still read fresh by each call. Failed listings are not kept.
   */
  private readonly listings = new Map<string, Workload[]>();

  constructor(
    private readonly ctx: Pick<EngineContext, 'clusters' | 'metrics' | 'config'>,
    private readonly config: AnswerConfig,
    private readonly defaults: { namespace: string; cluster?: string },
  ) {}

  async run(name: string, rawArgs: unknown): Promise<ToolResult> {
    const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as Record<string, unknown>;
    try {
      switch (name) {
        case 'get_pods':
          return this.finish(name, args, await this.pods(this.parse(argsSchema, args)));
        case 'get_events':
          return this.finish(name, args, await this.events(this.parse(argsSchema, args)));
        case 'get_logs':
          return this.finish(name, args, await this.logs(this.parse(logArgsSchema, args)));
        case 'get_metrics':
          return this.finish(name, args, await this.metrics(this.parse(argsSchema, args)));
        default:
          throw new EngineError('BAD_REQUEST', `unknown tool ${name}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        record: {
          name,
          arguments: args,
          ok: false,
          summary: `${name} failed: ${redactSecretsText(message)}`,
        },
        output: `error: ${redactSecretsText(message)}`,
      };
    }
  }

  /** Pods and events of a workload as data (the failure is named from them); same reads as get_pods/get_events. */
  async state(
    name: string,
    namespace = this.defaults.namespace,
  ): Promise<{ pods: PodInfo[]; events: EventInfo[] }> {
    const { pods } = await this.podsOf(name, namespace);
    const names = new Set([name, ...pods.map((p) => p.name)]);
    const events = (await this.cluster().listEvents(namespace)).filter(
      (e) => names.has(e.involvedName) || e.involvedName.startsWith(`${name}-`),
    );
    return { pods, events };
  }

  private parse<T>(schema: z.ZodType<T>, args: Record<string, unknown>): T {
    const parsed = schema.safeParse(args);
    if (!parsed.success) {
      const issues = fieldIssuesFromZod(parsed.error.issues, 'arguments');
      throw new EngineError('INVALID_INPUT', `bad tool arguments: ${describeIssues(issues)}`, { issues });
    }
    return parsed.data;
  }

  private finish(
    name: string,
    args: Record<string, unknown>,
    result: { summary: string; output: string },
  ): ToolResult {
    const output = redactSecretsText(result.output);
    const bounded =
      output.length > this.config.maxToolOutputChars
        ? `${output.slice(0, this.config.maxToolOutputChars)}\n[truncated]`
        : output;
    return {
      record: { name, arguments: args, ok: true, summary: redactSecretsText(result.summary) },
      output: bounded,
    };
  }

  /**
   * Refuses a workload the namespace does not have, naming the request's field: asked about a typo, the assistant
   * answered 200 with every read failed and "I don't know" (found walking the README). Other failures (the cluster
   * unreachable) are left to the reads, which report them in the answer.
   */
  async requireWorkload(name: string, namespace: string, field: string): Promise<void> {
    try {
      await this.workload(name, namespace);
    } catch (error) {
      if (isEngineError(error) && error.code === 'NOT_FOUND') {
        throw new EngineError('NOT_FOUND', error.message, { issues: [{ field, message: error.message }] });
      }
    }
  }

  private cluster() {
    return this.ctx.clusters.get(this.defaults.cluster);
  }

  private async workload(name: string, namespace: string): Promise<Workload> {
    const all = this.listings.get(namespace) ?? (await this.cluster().listWorkloads(namespace));
    this.listings.set(namespace, all);
    const found = all.find((w) => w.name === name);
    if (!found) {
      const names = all.map((w) => w.name).slice(0, 20);
      throw new EngineError(
        'NOT_FOUND',
        `no workload ${name} in namespace ${namespace}${names.length ? ` (have: ${names.join(', ')})` : ''}`,
      );
    }
    return found;
  }

  private async podsOf(name: string, namespace: string): Promise<{ workload: Workload; pods: PodInfo[] }> {
    const workload = await this.workload(name, namespace);
    const pods = await this.cluster().listPods(namespace, { labelSelector: workload.selector });
    return { workload, pods };
  }

  private async pods(args: z.infer<typeof argsSchema>) {
    const namespace = args.namespace ?? this.defaults.namespace;
    const { workload, pods } = await this.podsOf(args.workload, namespace);
    const lines = pods.map((p) => {
      const containers = p.containers
        .map(
          (c) =>
            `${c.name}:${c.state}${c.reason ? `(${c.reason})` : ''}${c.lastTerminationReason ? ` last=${c.lastTerminationReason}` : ''}`,
        )
        .join(' ');
      return `${p.name} phase=${p.phase} ready=${p.ready} restarts=${p.restarts} node=${p.nodeName ?? '-'} ${containers}`;
    });
    const notReady = pods.filter((p) => !p.ready).length;
    return {
      summary: `pods of ${workload.kind}/${workload.name} in ${namespace}: ${pods.length} (${notReady} not ready, ${workload.readyReplicas}/${workload.replicas} replicas ready)`,
      output: [
        `${workload.kind} ${namespace}/${workload.name} replicas=${workload.replicas} ready=${workload.readyReplicas} images=${workload.images.join(',')}`,
        ...lines,
      ].join('\n'),
    };
  }

  private async events(args: z.infer<typeof argsSchema>) {
    const namespace = args.namespace ?? this.defaults.namespace;
    const { pods } = await this.podsOf(args.workload, namespace);
    const names = new Set([args.workload, ...pods.map((p) => p.name)]);
    const events = (await this.cluster().listEvents(namespace)).filter(
      (e) => names.has(e.involvedName) || e.involvedName.startsWith(`${args.workload}-`),
    );
    events.sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
    const recent = events.slice(0, 30);
    const warnings = recent.filter((e) => e.type === 'Warning');
    return {
      summary: `events of ${args.workload} in ${namespace}: ${recent.length} (${warnings.length} warnings${warnings[0] ? `, latest ${warnings[0].reason}` : ''})`,
      output:
        recent
          .map(
            (e) =>
              `${e.lastTimestamp ?? ''} ${e.type} ${e.reason} ${e.involvedKind}/${e.involvedName} x${e.count}: ${e.message}`,
          )
          .join('\n') || 'no events',
    };
  }

  private async logs(args: z.infer<typeof logArgsSchema>) {
    const namespace = args.namespace ?? this.defaults.namespace;
    const { pods } = await this.podsOf(args.workload, namespace);
    if (pods.length === 0) return { summary: `logs of ${args.workload}: no pods`, output: 'no pods' };
    // The least healthy pod tells the most: not ready first, then most restarts.
    const pod = [...pods].sort((a, b) => Number(a.ready) - Number(b.ready) || b.restarts - a.restarts)[0]!;
    // A pod with a sidecar answers 400 to a read without a container name: the least healthy container, else the first.
    const container = [...pod.containers].sort(
      (a, b) => Number(a.ready) - Number(b.ready) || b.restartCount - a.restartCount,
    )[0]?.name;
    const text = await this.cluster().podLogs(namespace, pod.name, {
      tailLines: this.config.logTailLines,
      ...(pod.containers.length > 1 && container ? { container } : {}),
      ...(args.previous ? { previous: true } : {}),
    });
    const lines = text.split('\n').filter(Boolean);
    const which = pod.containers.length > 1 && container ? ` container ${container}` : '';
    return {
      summary: `logs of pod ${pod.name}${which}${args.previous ? ' (previous container)' : ''}: last ${lines.length} lines`,
      output: lines.join('\n') || 'no log lines',
    };
  }

  /** The workload's restarts from its pods; undefined when they cannot be read (the metric is shown instead). */
  private async podRestarts(workload: string, namespace: string): Promise<number | undefined> {
    try {
      return restartsOf((await this.podsOf(workload, namespace)).pods);
    } catch {
      return undefined;
    }
  }

  private async metrics(args: z.infer<typeof argsSchema>) {
    const namespace = args.namespace ?? this.defaults.namespace;
    const { signals } = this.ctx.config;
    const label = signals.serviceLabel;
    const rows: string[] = [];
    for (const signal of signals.list) {
      try {
        const restarts = RESTART_COUNTER.test(signal.query)
          ? await this.podRestarts(args.workload, namespace)
          : undefined;
        if (restarts !== undefined) {
          rows.push(`${signal.name}=${restarts} (the pods' restartCount)`);
          continue;
        }
        // A signal names the metrics source its query is written for (InfluxQL for an InfluxDB source).
        const escape = templateEscapeFor(kindOf(this.ctx.metrics, signal.source));
        const query = fillQueryTemplate(
          signal.query,
          { namespace, window: signals.window, service: args.workload },
          escape,
        );
        const samples = await this.ctx.metrics.instantQuery(
          query,
          undefined,
          signal.source ? { source: signal.source } : {},
        );
        const mine = samples.find((s) => s.labels[label] === args.workload);
        rows.push(`${signal.name}=${mine ? withUnit(mine.value, signal.unit) : 'no data'}`);
      } catch (error) {
        rows.push(`${signal.name}=error (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    return {
      summary: `metrics of ${args.workload} in ${namespace}: ${rows.join(', ')}`,
      output: rows.join('\n'),
    };
  }
}

/**
 * kube-state-metrics' copy of the pods' restartCount. A signal over it (the default `restarts`, its increase over the
 * 5m window) said `restarts=0` beside "CrashLoopBackOff (..., 2 restarts)" from the pods: the window's count, on the
 * metrics' 15 s grid, lagging the kubelet's own counter (test/assistant/liveContext.test.ts). The live context states
 * the counter it copies instead, the one the failure seen counts.
 */
const RESTART_COUNTER = /\bkube_pod_container_status_restarts_total\b/;

/** A value with its signal's unit; bytes in the binary units kubectl prints (memory=123464995 bytes read as noise). */
function withUnit(v: number, unit: string | undefined): string {
  if (unit === 'bytes' && Number.isFinite(v) && Math.abs(v) >= 1024) {
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let scaled = v / 1024;
    let i = 0;
    while (Math.abs(scaled) >= 1024 && i < units.length - 1) {
      scaled /= 1024;
      i++;
    }
    return `${formatValue(scaled)} ${units[i]}`;
  }
  return `${formatValue(v)}${unit ? ` ${unit}` : ''}`;
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
}
