import { z } from 'zod';
import { matcherString } from './matchers.js';
import { anomalyAlertSourceSchema } from './anomaly/AnomalyAlertSource.js';
import { suppressionSchema } from './schemas.js';

/**
 * Settings of unified alerting. The defaults were chosen across the development streams of
 * bench/alerts/generateAlertStream.ts (several seeds and shapes, see the README), never for one stream.
 */

const inhibitRuleSchema = z.object({
  /** Alertmanager syntax: `alertname="NodeDown"`, `severity=~"critical|page"`. */
  sourceMatchers: z.array(matcherString).min(1),
  targetMatchers: z.array(matcherString).default([]),
  /** Labels that must have equal values on source and target (missing equals missing, as in Alertmanager). */
  equal: z.array(z.string()).default([]),
  /** Shown as the mute reason. */
  name: z.string().default('inhibit rule'),
});

const pagingRuleSchema = z.object({
  matchers: z.array(matcherString).default([]),
  /** false: alerts matching never page on their own (they still group, and count toward corroboration). */
  page: z.boolean().default(true),
  /** "for T": firing continuously this long (from startsAt) before it may page. */
  forSeconds: z.coerce.number().min(0).default(0),
  /** "after N": received firing in at least this many deliveries (Alertmanager re-sends count). */
  afterCount: z.coerce.number().int().min(1).default(1),
  /** "N of M": at least `n` of its last `m` observed states were firing. */
  nOfM: z.object({ n: z.coerce.number().int().min(1), m: z.coerce.number().int().min(1) }).optional(),
});

/** The API's definition (alerts/schemas.ts) without its bounds on time: the config owns these windows. */
const suppressionWindowSchema = suppressionSchema({ source: 'config' });

const webhookSchema = z.object({
  url: z.url(),
  /** `json`: the engine's incident notification; `slack`: Slack incoming-webhook JSON (`text` + `blocks`). */
  format: z.enum(['json', 'slack']).default('json'),
  /** Notifications per minute to this target; the rest wait in a bounded queue (token bucket). */
  ratePerMinute: z.coerce.number().positive().default(30),
  headers: z.record(z.string(), z.string()).default({}),
});

export const DEFAULT_INHIBIT_RULES: Array<z.input<typeof inhibitRuleSchema>> = [
  // The maintenance-alert pattern from the Alertmanager docs: an always-firing alert scoped by service or node.
  {
    name: 'maintenance of the service',
    sourceMatchers: ['alertname=~"Maintenance|MaintenanceWindow"', 'service=~".+"'],
    equal: ['service'],
  },
  {
    name: 'maintenance of the node',
    sourceMatchers: ['alertname=~"Maintenance|MaintenanceWindow"', 'node=~".+"'],
    equal: ['node'],
  },
  // As kube-prometheus ships: a critical alert mutes the warnings of the same alertname and scope.
  {
    name: 'critical mutes warning',
    sourceMatchers: ['severity="critical"'],
    targetMatchers: ['severity="warning"'],
    equal: ['namespace', 'service', 'alertname'],
  },
];

export const DEFAULT_PAGING_RULES: Array<z.input<typeof pagingRuleSchema>> = [
  { matchers: ['alertname=~"Maintenance|MaintenanceWindow|Watchdog|InfoInhibitor"'], page: false },
  // Plus the resolution latency of Alertmanager (its group_interval, learned per group; see PagingStage).
  { matchers: ['severity=~"critical|page|error"'], page: true, forSeconds: 120 },
  { matchers: [], page: false },
];

const topologySchema = z
  .object({
    /** Alerts whose labels say a node is down: they mute alerts of pods placed on it (label `node`). */
    nodeDownMatchers: z
      .array(matcherString)
      .default(['alertname=~"KubeNodeNotReady|KubeNodeUnreachable|NodeDown|NodeNotReady"']),
    /** Alerts that say a service is down: they mute their callers' alerts (service graph edges). */
    serviceDownMatchers: z.array(matcherString).default(['alertname=~".*(Down|Unavailable)"']),
  })
  .default({
    nodeDownMatchers: ['alertname=~"KubeNodeNotReady|KubeNodeUnreachable|NodeDown|NodeNotReady"'],
    serviceDownMatchers: ['alertname=~".*(Down|Unavailable)"'],
  });

export const alertsConfigSchema = z
  .object({
    /** Labels naming an alert's service, first present wins. */
    serviceLabels: z.array(z.string()).min(1).default(['service', 'app', 'app_kubernetes_io_name']),
    /**
     * Labels that name the alert's service only when their value is a service of the graph, tried after
     * `serviceLabels`. Prometheus adds the scrape `job` to every alert: a ServiceMonitor's job is its Service's name,
     * but kube-state-metrics' and node-exporter's alerts carry theirs, which name no service of ours. On the robustness
     * streams (bench/alerts/generateAlertStream.ts --robustness-set, services named by service/app/job): relabelled-1/2
     * fragmentation 2.333 / 1.722 → 1.056 / 1.167, reduction 0.903 / 0.926 → 0.948 / 0.951; development streams identical.
     */
    knownServiceLabels: z.array(z.string()).default(['job']),
    /** Alerts sharing all values of one of these label sets join one incident (within the window). */
    groupBy: z.array(z.array(z.string()).min(1)).default([['namespace', 'service']]),
    /**
     * An alert joins an incident only through a member whose onset is within this window of its own (seconds). It was
     * 600: across the 16 development streams (bench/alerts/diagnoseStream.ts) no join of two alerts of one real
     * incident had onsets more than 210 s apart (1,591 joins), and none of the 149 joins 300–600 s apart was within one
     * incident (107 crossed incidents or mixed noise into one); 300 and 420 scored alike (purity mean 0.967 / 0.963,
     * fragmentation 1.098 / 1.113).
     */
    groupWindowSeconds: z.coerce.number().positive().default(300),
    /**
     * Until an Alertmanager group's flush rhythm (group_interval) has been seen, a resolution may arrive this late:
     * Alertmanager's default group_interval. "for T" waits for it on top of T.
     */
    defaultResolutionLatencySeconds: z.coerce.number().min(0).default(300),
    /** An alert joins only incidents whose first alert began at most this long before it (seconds). */
    maxIncidentSpanSeconds: z.coerce.number().positive().default(1200),
    /** Join alerts Alertmanager delivered under the same groupKey. */
    respectGroupKey: z.boolean().default(true),
    /** Join along service-graph edges (caller ↔ callee) and the Kubernetes owner/placement chain. */
    topologyGrouping: z.boolean().default(true),
    flap: z
      .object({
        /** State changes within `windowSeconds` that make an alert flapping. */
        changes: z.coerce.number().int().min(2).default(4),
        windowSeconds: z.coerce.number().positive().default(1800),
        /** Hysteresis: flapping ends only after this long without a state change. */
        quietSeconds: z.coerce.number().positive().default(1800),
      })
      .default({ changes: 4, windowSeconds: 1800, quietSeconds: 1800 }),
    inhibitRules: z
      .array(inhibitRuleSchema)
      .default(DEFAULT_INHIBIT_RULES.map((r) => inhibitRuleSchema.parse(r))),
    topology: topologySchema,
    /**
     * Informational alerts (any one matcher matches): they join incidents but page no one, bridge no join, corroborate
     * nothing and are not listed in pages (stages/ContextAlertStage.ts).
     */
    contextMatchers: z
      .array(matcherString)
      .default([
        'severity=~"info|none"',
        'alertname=~"Maintenance|MaintenanceWindow|Watchdog|InfoInhibitor"',
      ]),
    /** First matching rule decides whether and when an alert may page. */
    pagingRules: z
      .array(pagingRuleSchema)
      .default(DEFAULT_PAGING_RULES.map((r) => pagingRuleSchema.parse(r))),
    /** An incident with this many unmuted firing alerts on at least `services` services pages without waiting. */
    corroboration: z
      .object({
        alerts: z.coerce.number().int().min(2).default(3),
        services: z.coerce.number().int().min(1).default(2),
      })
      .default({ alerts: 3, services: 2 }),
    /** `all`: when every alert resolved; `first`: when the alert that opened it resolves; `last`: when the last one that joined does. */
    resolvePolicy: z.enum(['all', 'first', 'last']).default('all'),
    /** Alerts carrying this label or annotation were caused by the engine's own repair actions. */
    repairLabel: z.string().default('aicloudops_repair_id'),
    suppressions: z.array(suppressionWindowSchema).default([]),
    notify: z
      .object({
        webhooks: z.array(webhookSchema).default([]),
        /** Also notify when an incident resolves (counts toward notifications). */
        resolved: z.boolean().default(false),
        /** Notify again when a paged incident takes in a new failure that would page by itself. */
        updates: z.boolean().default(true),
      })
      .default({ webhooks: [], resolved: false, updates: true }),
    /** Start an RCA job when an incident pages, and link it. */
    autoRca: z.boolean().default(true),
    /** Pull Prometheus `/api/v1/alerts` at this interval (live profile; 0 = off). */
    prometheusPollSeconds: z.coerce.number().min(0).default(0),
    /** Seconds between clock ticks that release held incidents ("for T") and resolve stale ones. */
    tickSeconds: z.coerce.number().positive().default(1),
    /** How often the service graph alerts group along is re-read (configured edges and the edge query's), seconds. */
    topologyRefreshSeconds: z.coerce.number().positive().default(60),
    /**
     * Anomaly alerts without thresholds: these signals are read through the metrics source every `intervalSeconds`
     * and their detections enter the pipeline as alerts with source `anomaly`. Off unless signals are listed.
     */
    anomaly: anomalyAlertSourceSchema
      .extend({ intervalSeconds: z.coerce.number().positive().default(60) })
      .optional(),
  })
  .prefault({});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type InhibitRuleConfig = z.infer<typeof inhibitRuleSchema>;
export type PagingRuleConfig = z.infer<typeof pagingRuleSchema>;
export type SuppressionWindowConfig = z.infer<typeof suppressionWindowSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
export { suppressionWindowSchema };
