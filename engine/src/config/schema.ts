import { z } from 'zod';
import { rcaConfigSchema } from '../rca/config.js';
import { forecastConfigSchema } from '../forecast/config.js';
import { assistantConfigSchema } from '../assistant/config.js';
import { repairConfigSchema } from '../repair/config.js';
import { alertsConfigSchema } from '../alerts/config.js';
import { jobKindSchema } from '../jobs/jobKinds.js';

/**
 * The one configuration schema: a YAML file, then AICLOUDOPS_* environment overrides (config/loadConfig.ts).
 * Profile `demo` runs everything embedded (simulated cluster, synthetic metrics, memory store, no model);
 * profile `live` points at real Prometheus, clusters, Redis and a model provider.
 */

export const roleSchema = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/**
 * What a scoped token may do, named `resource:action` as OAuth scopes and Grafana's RBAC actions are. One so far:
 * `alerts:ingest`, the alert-ingest routes (POST /alerts/webhook/alertmanager, POST /alerts).
 */
export const tokenScopeSchema = z.enum(['alerts:ingest']);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const tokenSchema = z.object({
  /** Shown in logs and audit entries instead of the secret. */
  name: z.string().min(1),
  token: z.string().min(16, 'must be at least 16 characters'),
  role: roleSchema,
  /**
   * Limits the token to the routes of these scopes (its role still applies on top); any other route answers 403.
   * Without it the token may call every route its role allows. For a token a third party holds: Alertmanager's
   * credentials file is often readable across its monitoring namespace, and an operator token there could also
   * approve repairs; `scopes: [alerts:ingest]` lets it only send alerts.
   */
  scopes: z.array(tokenScopeSchema).min(1, 'must list at least one scope, or be left out').optional(),
  /**
   * Marks a trusted front-end (the Backstage backend) that calls on behalf of its signed-in users: only such a token
   * may name the user in `X-AICloudOps-User` (at most 256 printable ASCII characters, e.g. `user:default/jane`), and
   * the request is then recorded as `<user> via <token name>` (acknowledgements, repair decisions, the repair audit),
   * with the token's role and scopes. Any other token sending that header is refused (403), as Kubernetes refuses
   * Impersonate-User without the `impersonate` verb. Whoever holds such a token can act as any user name: give it
   * only to a backend that authenticates its users.
   */
  actsForUsers: z.boolean().optional(),
});

/** Text that spells a number, as that number; anything else as it is, so the schema refuses it as what it is. */
function numericText(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value;
}

/**
 * A number setting that may arrive as text (a `${VAR}` in the YAML is substituted as a string). z.coerce.number read
 * "abc" as NaN ("expected number, received NaN"), `true` as 1 and "" as 0 (found by a new-user walk); only numeric
 * text is read here, so "abc" is "expected number, received string". `rules` adds the bounds.
 */
const configNumber = (rules: (n: z.ZodNumber) => z.ZodNumber = (n) => n) =>
  z.preprocess(numericText, rules(z.number()));

/**
 * A listen port. Strings are taken as numbers: `--port` and a `${PORT}` in the YAML give strings
 * (AICLOUDOPS_SERVER__PORT is JSON-parsed to a number before). z.coerce.number made "abc" NaN and answered "expected
 * number, received NaN", naming neither the rule nor what was given.
 */
const portMessage = (issue: { input?: unknown }) =>
  `must be a whole number from 0 to 65535, got ${JSON.stringify(issue.input) ?? String(issue.input)}`;
const portSchema = z.preprocess(
  numericText,
  z
    .number({ error: portMessage })
    .int({ error: portMessage })
    .min(0, { error: portMessage })
    .max(65535, { error: portMessage }),
);

const allowedHostMessage = (issue: { input?: unknown }) =>
  `must be a host name such as engine.example.com, or .example.com for it and its subdomains (no scheme, port or path), got ${JSON.stringify(issue.input)}`;
/** A host name of server.allowedHosts, lower-cased and without a trailing dot, as the Host check compares it. */
const allowedHostSchema = z
  .string({ error: allowedHostMessage })
  .regex(/^\.?[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?$/i, {
    error: allowedHostMessage,
  })
  .transform((host) => host.toLowerCase().replace(/\.$/, ''));

export const serverConfigSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: portSchema.default(8080),
    /** Largest accepted request body in bytes. */
    bodyLimitBytes: configNumber((n) => n.int().positive()).default(1_048_576),
    /** Seconds that shutdown waits for in-flight requests and jobs before it gives up. */
    shutdownGraceSeconds: configNumber((n) => n.positive()).default(30),
    auth: z
      .object({
        /** Off only in the demo profile; live deployments must set tokens. */
        enabled: z.boolean().default(true),
        tokens: z.array(tokenSchema).default([]),
        /**
         * A live profile, or any server on a non-loopback host, refuses to start without tokens unless this says so
         * explicitly; then every caller is an anonymous admin and the engine logs a warning at start.
         */
        allowAnonymous: z.boolean().default(false),
      })
      .default({ enabled: true, tokens: [], allowAnonymous: false }),
    /**
     * Host names the engine answers to besides loopback names and IP addresses (Host header, port ignored; a leading
     * dot allows the name and its subdomains, as in Vite and webpack-dev-server). Empty: any name, except that an
     * engine without auth on loopback answers loopback names only. Against DNS rebinding (server/auth.ts, hostGuard).
     */
    allowedHosts: z.array(allowedHostSchema).default([]),
    /** Origins allowed to call the API from a browser (Grafana, Backstage). */
    corsOrigins: z.array(z.string()).default([]),
    /** Log what users type to the assistant (search `q`, ask questions); off by default, as they may hold secrets. */
    logQueries: z.boolean().default(false),
    /**
     * Server-sent event streams open at once in this process (incidents, repair events, job progress, streamed
     * answers); one more answers 429 with Retry-After. Each holds a socket and ~14 KB (5,000 streams: +69 MB RSS,
     * measured on the demo), so without a cap one viewer's loop of connections used every file descriptor.
     */
    maxSseStreams: configNumber((n) => n.int().positive()).default(1000),
    /**
     * Of those, streams one caller may hold at once (a token by its name; without auth, a client address); one more
     * answers 429 with Retry-After. Without it one viewer token could take every stream of the engine. A Grafana or
     * Backstage backend that proxies many people under one token counts as one caller: give it a larger share.
     */
    maxSseStreamsPerCaller: configNumber((n) => n.int().positive()).default(100),
    /**
     * Seconds a client has to send its whole request (headers and body); then 408 and the socket closes. Fastify sets
     * no limit by default: a body sent a byte every 5 s held its socket indefinitely, before auth too (a 401 left the
     * socket open while the declared body trickled in), so anyone reaching the port could use up the descriptors.
     * Streams the engine sends (SSE) are responses and not bounded by this.
     */
    requestTimeoutSeconds: configNumber((n) => n.positive().max(3600)).default(30),
  })
  .default({
    host: '127.0.0.1',
    port: 8080,
    bodyLimitBytes: 1_048_576,
    shutdownGraceSeconds: 30,
    auth: { enabled: true, tokens: [], allowAnonymous: false },
    allowedHosts: [],
    corsOrigins: [],
    logQueries: false,
    maxSseStreams: 1000,
    maxSseStreamsPerCaller: 100,
    requestTimeoutSeconds: 30,
  });

const syntheticMetricsSchema = z.object({
  kind: z.literal('synthetic'),
  /** Seed of the demo shop's traffic so runs are reproducible. */
  seed: configNumber((n) => n.int()).default(42),
});

const prometheusMetricsSchema = z.object({
  kind: z.literal('prometheus'),
  url: z.url(),
  timeoutSeconds: configNumber((n) => n.positive()).default(30),
  /** Extra headers, e.g. `Authorization` for a managed Prometheus. */
  headers: z.record(z.string(), z.string()).default({}),
});

/** InfluxDB 1.x, or 2.x / Cloud through its 1.x-compatible `/query` API (a DBRP mapping names the database). */
const influxMetricsSchema = z.object({
  kind: z.literal('influxdb'),
  url: z.url(),
  database: z.string().min(1),
  retentionPolicy: z.string().min(1).optional(),
  /** 1.x credentials (HTTP basic auth); never logged or returned. */
  username: z.string().optional(),
  password: z.string().optional(),
  /** 2.x / Cloud API token; never logged or returned. */
  token: z.string().optional(),
  timeoutSeconds: configNumber((n) => n.positive()).default(30),
  headers: z.record(z.string(), z.string()).default({}),
});

export const metricsSourceConfigSchema = z.discriminatedUnion('kind', [
  syntheticMetricsSchema,
  prometheusMetricsSchema,
  influxMetricsSchema,
]);
export type MetricsSourceConfig = z.infer<typeof metricsSourceConfigSchema>;

const sourceNameSchema = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _');

/**
 * The default metrics source (the `metrics:` section as it always was), plus optional named `sources` a signal
 * (`signals.list[].source`) or a request (`source`) can choose, e.g. an InfluxDB beside Prometheus.
 */
const withNamedSources = {
  /** The default source's name, for requests and signals that name it. */
  name: sourceNameSchema.default('default'),
  sources: z.record(sourceNameSchema, metricsSourceConfigSchema).default({}),
};

export const metricsConfigSchema = z
  .discriminatedUnion('kind', [
    syntheticMetricsSchema.extend(withNamedSources),
    prometheusMetricsSchema.extend(withNamedSources),
    influxMetricsSchema.extend(withNamedSources),
  ])
  .default({ kind: 'synthetic', seed: 42, name: 'default', sources: {} });

export const clusterConfigSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('simulated'),
      /** Faults injected over time in the demo shop. */
      injectFaults: z.boolean().default(true),
      /** Seconds between injected faults. */
      faultIntervalSeconds: configNumber((n) => n.positive()).default(600),
    }),
    z.object({
      kind: z.literal('kubernetes'),
      /** Path of a kubeconfig; omitted means $KUBECONFIG, ~/.kube/config, or in-cluster service account. */
      kubeconfig: z.string().optional(),
      inCluster: z.boolean().default(false),
      /** Contexts to use; empty means the kubeconfig's current context. The first is the default cluster. */
      contexts: z.array(z.string()).default([]),
      /** Namespaces the engine reads; empty means all it may list. */
      namespaces: z.array(z.string()).default([]),
    }),
  ])
  .default({ kind: 'simulated', injectFaults: true, faultIntervalSeconds: 600 });

export const storeConfigSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('memory') }),
    z.object({
      kind: z.literal('redis'),
      url: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
      keyPrefix: z.string().default('aicloudops:'),
    }),
  ])
  .default({ kind: 'memory' });

export const modelConfigSchema = z
  .discriminatedUnion('provider', [
    z.object({ provider: z.literal('none') }),
    z.object({
      /** Any OpenAI-compatible server: OpenAI, Ollama (`http://localhost:11434/v1`), vLLM. */
      provider: z.literal('openai'),
      baseURL: z.url().optional(),
      apiKey: z.string().default(''),
      chatModel: z.string().min(1),
      embeddingModel: z.string().optional(),
      timeoutSeconds: configNumber((n) => n.positive()).default(60),
      maxRetries: configNumber((n) => n.int().min(0)).default(2),
    }),
  ])
  .default({ provider: 'none' });

/**
 * Named PromQL templates for the signals the capabilities read. `$namespace`, `$service` and `$window` are
 * substituted; results must carry a `service` label (or the label named by `serviceLabel`). The defaults follow
 * cAdvisor/kube-state-metrics and common HTTP instrumentation names, which the demo shop also exposes.
 */
export const signalSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
  query: z.string().min(1),
  unit: z.string().default(''),
  /** Whether a rise (`up`), a fall (`down`) or any change (`both`) is bad. */
  badDirection: z.enum(['up', 'down', 'both']).default('up'),
  /**
   * Whether the signal counts events: `rate` for a per-second rate over `$window` (a `rate()` of a counter), `count`
   * for a number of events per point (`increase()`). Counts carry Poisson noise (n events vary by about √n), so the
   * RCA never calls a move from 0 to 1 request an anomaly however flat the baseline was. `none` for levels.
   */
  events: z.enum(['none', 'rate', 'count']).default('none'),
  /** Name of the metrics source the query is written for (`metrics.sources`); omitted means the default source. */
  source: z.string().min(1).optional(),
});

export const DEFAULT_SIGNALS: Array<z.input<typeof signalSchema>> = [
  {
    name: 'request_rate',
    query: 'sum by (service) (rate(http_requests_total{namespace="$namespace"}[$window]))',
    unit: 'req/s',
    badDirection: 'both',
    events: 'rate',
  },
  {
    name: 'error_ratio',
    query:
      'sum by (service) (rate(http_requests_total{namespace="$namespace",code=~"5.."}[$window])) / sum by (service) (rate(http_requests_total{namespace="$namespace"}[$window]))',
    unit: 'ratio',
    badDirection: 'up',
  },
  {
    name: 'latency_p99',
    query:
      'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{namespace="$namespace"}[$window])))',
    unit: 's',
    badDirection: 'up',
  },
  {
    name: 'cpu',
    query: 'sum by (service) (rate(container_cpu_usage_seconds_total{namespace="$namespace"}[$window]))',
    unit: 'cores',
    badDirection: 'up',
  },
  {
    name: 'memory',
    query: 'sum by (service) (container_memory_working_set_bytes{namespace="$namespace"})',
    unit: 'bytes',
    badDirection: 'up',
  },
  {
    name: 'restarts',
    query:
      'sum by (service) (increase(kube_pod_container_status_restarts_total{namespace="$namespace"}[$window]))',
    unit: 'count',
    badDirection: 'up',
    events: 'count',
  },
];

export const signalsConfigSchema = z
  .object({
    serviceLabel: z.string().default('service'),
    /** Range window substituted for `$window`. */
    window: z
      .string()
      .regex(/^\d+[smh]$/, 'must be a duration like 5m')
      .default('5m'),
    list: z
      .array(signalSchema)
      .min(1)
      .default(DEFAULT_SIGNALS.map((s) => signalSchema.parse(s))),
  })
  .default({
    serviceLabel: 'service',
    window: '5m',
    list: DEFAULT_SIGNALS.map((s) => signalSchema.parse(s)),
  });

export const serviceGraphSchema = z
  .object({
    /** Edges caller → callee from config; merged with edges learned from request metrics when available. */
    edges: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) })).default([]),
  })
  .default({ edges: [] });

const jobKindLimitsSchema = z.object({
  /** Jobs of this kind running at once in one engine process. */
  concurrency: configNumber((n) => n.int().min(1).max(64)).optional(),
  /** Jobs of this kind waiting for a slot; one more is refused with 429 and Retry-After. */
  maxQueued: configNumber((n) => n.int().min(0).max(10_000)).optional(),
});

/** Admission control and durability of jobs (RCA, training, backtests, ingest). */
export const jobsConfigSchema = z
  .object({
    /** Default jobs of one kind running at once per process; RCA and training are CPU-heavy on small hosts. */
    concurrency: configNumber((n) => n.int().min(1).max(64)).default(2),
    /** Default jobs of one kind waiting for a slot before submissions get 429. */
    maxQueued: configNumber((n) => n.int().min(0).max(10_000)).default(20),
    /** Per-kind overrides, e.g. `{ "forecast.train": { concurrency: 1 } }`. */
    perKind: z.partialRecord(jobKindSchema, jobKindLimitsSchema).default({}),
    /** How long a submission waits for the store to take the job record before answering 503. */
    submitTimeoutMs: configNumber((n) => n.int().min(100).max(60_000)).default(3_000),
    /** Ceiling of the backoff between retries of a job record the store did not take. */
    persistRetryMaxMs: configNumber((n) => n.int().min(10).max(300_000)).default(5_000),
    /**
     * Lifetime of each engine's lease in the store. Jobs of an engine whose lease expired (it died) are marked
     * `interrupted` by the engines still running, within about this long.
     */
    leaseSeconds: configNumber((n) => n.min(1).max(3_600)).default(15),
  })
  .default({
    concurrency: 2,
    maxQueued: 20,
    perKind: {},
    submitTimeoutMs: 3_000,
    persistRetryMaxMs: 5_000,
    leaseSeconds: 15,
  });

/** List endpoints answer one page at a time: `limit` items and an opaque `nextCursor` for the rest. */
export const paginationConfigSchema = z
  .object({
    defaultLimit: configNumber((n) => n.int().min(1).max(10_000)).default(100),
    maxLimit: configNumber((n) => n.int().min(1).max(10_000)).default(500),
  })
  .refine((p) => p.defaultLimit <= p.maxLimit, {
    message: 'defaultLimit must not exceed maxLimit',
    path: ['defaultLimit'],
  })
  .default({ defaultLimit: 100, maxLimit: 500 });

/**
 * The engine's one scheduler (periodic work such as forecast retraining): every replica runs it, the leader runs the
 * tasks. Leadership is a Kubernetes Lease when `cluster.kind` is kubernetes, a lock in the store otherwise.
 */
export const schedulerConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** How long a dead leader keeps the lease before another replica takes over. */
    leaseSeconds: configNumber((n) => n.min(1).max(600)).default(15),
    /** The Lease's name (and the store lock's). */
    leaseName: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name')
      .default('aicloudops-engine-scheduler'),
    /** The Lease's namespace; omitted: the pod's own (in cluster), else `defaultNamespace`. */
    leaseNamespace: z.string().min(1).optional(),
  })
  .default({ enabled: true, leaseSeconds: 15, leaseName: 'aicloudops-engine-scheduler' });

export const configSchema = z.object({
  profile: z.enum(['demo', 'live']).default('demo'),
  /** Namespace the capabilities look at when a request names none. */
  defaultNamespace: z.string().default('shop'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * With a memory store, where the knowledge base is also written (`<dataDir>/knowledge-base`), so a restarted demo
   * and one-shot CLI runs (`ingest`, then `ask`) keep it. Nothing else is written here: trained forecast models, jobs,
   * incidents, alerts and conversations live in the memory store and end with the process (a Redis store keeps them).
   * This said models were written here too; they never were (forecast/persistence/ModelRegistry.ts uses the store).
   */
  dataDir: z.string().default('./data'),
  server: serverConfigSchema,
  metrics: metricsConfigSchema,
  cluster: clusterConfigSchema,
  store: storeConfigSchema,
  model: modelConfigSchema,
  signals: signalsConfigSchema,
  serviceGraph: serviceGraphSchema,
  rca: rcaConfigSchema,
  forecast: forecastConfigSchema,
  assistant: assistantConfigSchema,
  repair: repairConfigSchema,
  alerts: alertsConfigSchema,
  jobs: jobsConfigSchema,
  scheduler: schedulerConfigSchema,
  pagination: paginationConfigSchema,
});

export type EngineConfig = z.infer<typeof configSchema>;
export type EngineConfigInput = z.input<typeof configSchema>;
export type SignalDefinition = z.infer<typeof signalSchema>;
