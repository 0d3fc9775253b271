import {
  createTranslationRef,
  createTranslationResource,
  type TranslationFunction,
} from '@backstage/core-plugin-api/alpha';

/**
 * Every text the CloudOps tab shows, in English. What the engine sends (workload names, reasons, answers) is shown
 * as sent. Chinese lives in ./translations/zh.ts, loaded only when a user picks 中文.
 */
export const aiCloudOpsMessages = {
  forecastCard: {
    title: 'Forecast: {{signal}}, next {{minutes}} min',
    model: 'model {{model}}',
    noPoints: 'The model returned no points.',
    now: 'now',
    peak: 'forecast peak',
    endOfHorizon: 'end of horizon',
    valueAt: '{{value}} at {{time}} ({{lower}}–{{upper}})',
    modelLine: 'model {{model}}, {{source}}; band: {{percent}}% interval',
    trained: 'trained v{{version}}',
    fittedNow: 'fitted now (no trained model yet)',
    whyModelLabel: 'why this model',
    noPlan: 'No replica plan: {{message}}',
    whyPlan: 'why this plan: {{reason}}',
    whyPlanLabel: 'why this plan',
    plan: 'Replica plan for {{workload}}: {{from}}{{replicas}} replicas at {{capacity}} {{signal}} per replica ({{source}}).',
    learned: 'learned from CPU',
    given: 'given',
    backtestRun: 'Backtest against the baselines',
    backtestHelp:
      'Scores every model and the baselines (naive, seasonal naive) by rolling origin over the last {{testDays}} of {{historyDays}} days of history, as the engine does before it promotes a model.',
    backtestFailed: 'backtest {{status}}: {{message}}',
    backtestWhy: 'how the model was chosen',
    empty: {
      inNamespace: ' (namespace {{namespace}})',
      what: 'Forecasts {{signal}} of {{service}}{{where}} for the next {{minutes}} minutes with a prediction interval, plans the replicas of the workload named {{service}} from it, and backtests the models against the baselines.',
      needs:
        "It needs a service (the entity's {{serviceAnnotation}} annotation, else {{idAnnotation}}, else its name) and, in the engine's Prometheus, the service's {{signal}} series (the engine's {{settings}} settings map the signal to a query); a day or more of history lets the models learn the daily pattern. Sample: the demo engine's {{sampleService}} service in namespace {{sampleNamespace}}.",
    },
  },
  forecastChart: {
    interval: '{{percent}}% interval',
    history: 'history',
    forecast: 'forecast',
    replicas: 'replicas',
    capacity: 'capacity of planned replicas',
    caption: '{{label}}: history (solid), forecast (dashed) with its {{interval}}',
    captionReplicas: ', replicas planned (step, right axis)',
    captionCapacity: ', capacity of the planned replicas at {{capacity}} per replica (dotted step)',
    end: '.',
  },
  backtestChart: {
    label: 'Backtest of {{series}}',
    minutes: '{{minutes}} min',
    minutesAhead: '{{minutes}} min ahead',
    chosen: '{{model}} (chosen)',
    notAvailable: 'n/a',
    caption:
      'MASE by minutes ahead (lower is better; below 1 beats the seasonal-naive error). Mean MASE: {{means}}.',
  },
  rcaCard: {
    title: 'Root-cause analysis',
    subheader: 'around {{service}}',
    run: 'Run root-cause analysis',
    candidates: 'Ranked candidates',
    noCause:
      "No likely cause found in this window: {{service}} shows no anomaly against its baseline. Run it again while the problem is visible in {{service}}'s metrics (errors, latency, restarts), or check the workloads above.",
    jobFailed: 'root-cause analysis {{status}}: {{message}}',
    empty: {
      inNamespace: ' (namespace {{namespace}})',
      what: "Ranks the services most likely to have caused a problem on {{service}}{{where}}: it compares the recent window of metrics, logs, Kubernetes events and changes with the baseline before it (the engine's {{settings}} settings), follows the service graph, and shows the candidates on the graph, shaded by score.",
      needs:
        "It needs a service: the entity's {{serviceAnnotation}} annotation, else {{idAnnotation}}, else its name (here {{service}}); the namespace from {{namespaceAnnotation}}; and the service's metrics in the engine's Prometheus. Sample: on the demo engine, inject a fault first ({{command}}), then run the analysis.",
    },
    evidence: {
      metrics: '{{count}} metric',
      logs: '{{count}} log pattern',
      events: '{{count}} event',
      changes: '{{count}} change',
    },
    baseline: {
      line: 'Compared with {{what}} ({{points}} points, trust {{trust}}).',
      sameHours: 'the same hours on {{days}} earlier days and the hour before',
      ownHistory: "each signal's own history before the onset",
      acrossServices: "the other services' changes (no normal period before the onset)",
      trust: { high: 'high', medium: 'medium', low: 'low' },
    },
    column: {
      service: 'Service',
      fault: 'Fault',
      signal: 'Signal',
      score: 'Score',
      evidence: 'Evidence',
    },
  },
  serviceGraph: {
    label: 'Service graph',
    labelAround: 'Service graph around {{target}}',
    rankScore: '#{{rank}} · score {{score}}',
    notCandidate: 'not a candidate',
    analysed: ' (analysed service)',
    caption:
      'Arrows point from caller to callee; a slow or failing callee makes its callers slow. Candidates are shaded by score (darker: more likely) and labelled with their rank and score; dashed: not a candidate.',
    captionTarget:
      'Arrows point from caller to callee; a slow or failing callee makes its callers slow. Candidates are shaded by score (darker: more likely) and labelled with their rank and score; {{target}} ◎ is the analysed service; dashed: not a candidate.',
  },
  engineRetry: {
    retry: 'Retry',
    retryingIn: 'Trying again on its own in {{seconds}} s',
    unreachable: 'Could not reach the AI-CloudOps engine',
    tokenRefused:
      "The AI-CloudOps engine refused the portal's token: not your sign-in, the portal's configuration; ask the portal's administrator",
  },
  permission: {
    missing: 'Needs the {{permission}} permission: ask your portal admin',
    clusterChangesOff:
      "The portal's administrator has turned cluster changes off ({{setting}} in the app config): the portal refuses this action for everyone",
  },
  workloadsCard: {
    title: 'Workloads',
    pods: 'Pods',
    selector: 'selector {{selector}}',
    clusterFailed: 'Could not read workloads from {{cluster}}',
    engineFailed: 'Could not reach the AI-CloudOps engine to list its clusters',
    none: 'No workloads match {{selector}}.',
    yes: 'yes',
    no: 'no',
    lastReason: 'last: {{reason}}',
    empty: {
      what: "Lists this entity's workloads ({{deployment}}, {{statefulSet}}, {{daemonSet}}) in every cluster the engine reads, with their health (degraded or failing, with the reason, when pods restart, are OOM killed, fail probes or cannot be scheduled) and their pods.",
      needs:
        "The card selects workloads by their labels: the entity's {{idAnnotation}} annotation stands for the selector {{idSelector}}, {{selectorAnnotation}} replaces it with any label selector, and {{namespaceAnnotation}} names the namespace (else the engine's default one). Label the workloads, or change the annotations, as in this sample.",
      sampleEntity: "In the entity's {{file}}:",
      sampleWorkload: 'On the workload, under {{labels}}:',
    },
    column: {
      workload: 'Workload',
      cluster: 'Cluster',
      namespace: 'Namespace',
      ready: 'Ready',
      health: 'Health',
      why: 'Why',
      pod: 'Pod',
      phase: 'Phase',
      restarts: 'Restarts',
      reason: 'Reason',
    },
  },
  repairsCard: {
    title: 'Repairs',
    subheader: "findings and pending approvals of this entity's workloads",
    noFindings:
      "Nothing wrong found in this entity's workloads. The engine scans for crash loops, OOM kills, image pull and config errors, unschedulable or evicted pods, failing probes and stuck rollouts; findings show here with their evidence.",
    findings: 'Findings',
    noApprovals:
      'No action waits for approval. Rules in approve mode put their actions here with a dry-run diff; the engine starts in shadow mode (repair.maxMode recommend) and changes nothing until its config allows more.',
    actionOn: '{{type}} on {{target}}',
    reason: '{{reason}} (finding {{finding}}, rule {{rule}})',
    expires: 'expires {{when}}',
    dryRun: 'Dry run: {{result}}',
    passed: 'passed',
    failed: 'failed',
    failedWith: 'failed: {{error}}',
    notRun: 'not run yet',
    comment: 'Comment',
    approve: 'Approve',
    reject: 'Reject',
    none: '(none)',
    sample:
      "Sample engine config ({{file}}) that puts the shipped approve-mode rules' actions here (raise the memory limit after repeated OOM kills, roll back a rollout that broke the pods):",
    column: {
      type: 'Type',
      object: 'Object',
      since: 'Since',
      evidence: 'Evidence',
    },
  },
  // A capability the engine lacks (an older engine, or repair that cannot act on its cluster), with the engine's reason.
  unavailable: {
    rca: 'Root-cause analysis is not available on this engine: {{reason}}',
    forecast: 'Forecasting is not available on this engine: {{reason}}',
    scalePlan: 'Replica planning is not available on this engine: {{reason}}',
    backtest: 'Backtesting is not available on this engine: {{reason}}',
    assistant: 'The assistant is not available on this engine: {{reason}}',
    repair: 'Repair is not available on this engine: {{reason}}',
    alerting: 'Alerting is not available on this engine: {{reason}}',
  },
  health: {
    healthy: 'healthy',
    degraded: 'degraded',
    unavailable: 'unavailable',
  },
  knowledgePage: {
    title: 'Knowledge base',
    from: 'from {{source}} · {{path}}',
    original: 'Open the original page',
    missingTitle: 'Page not found',
    missing:
      'The engine has no knowledge-base page at {{path}} any more (it may have been removed or re-ingested under another path). Search again to find its current version.',
    noPath:
      "Open a page from the portal search: this page shows one document of the engine's knowledge base.",
  },
  assistantCard: {
    title: 'Ask about this service',
    question: 'Question about {{service}}',
    ask: 'Ask',
    tooLong: 'At most {{max}} characters; this question has {{count}}.',
    citations: 'citations',
    byModel: 'answered by the model',
    extracted: 'extracted from the knowledge base (no model)',
    modelDown: 'extracted from the knowledge base: the model did not answer ({{reason}})',
    toolsRead: 'what the assistant read',
    interrupted:
      'The connection dropped before the answer was complete. The question was not sent again; ask again to retry.',
  },
  incidentsCard: {
    title: 'Open incidents',
    subheader: "grouped alerts on this entity's services",
    live: 'live',
    liveTitle: 'Changes appear as the engine records them',
    none: 'No open incident on {{services}}. Alerts reach the engine from Alertmanager (webhook receiver) or Prometheus; the engine groups those a cascade explains into one incident.',
    opened: 'opened {{when}} · services {{services}}',
    acknowledgedBy: ' · acknowledged by {{who}}',
    rca: ' · root-cause analysis {{id}}',
    rcaSkipped: ' · root cause: {{reason}}',
    joinedWith: ' (with {{alert}})',
    sample:
      "Sample Alertmanager receiver ({{file}}): replace {{engine}} with the engine's address and put an engine token with the {{role}} role in the credentials file. Each alert needs a {{serviceLabel}}, {{appLabel}} or {{nameLabel}} label naming one of {{services}}.",
    acknowledge: 'Acknowledge',
    resolve: 'Resolve',
    severity: {
      critical: 'critical',
      warning: 'warning',
      info: 'info',
    },
    status: {
      firing: 'firing',
      resolved: 'resolved',
    },
  },
} as const;

export const aiCloudOpsTranslationRef = createTranslationRef({
  id: 'plugin.aicloudops',
  messages: aiCloudOpsMessages,
  // Found by every app that offers 中文, with no app code: the same lazily loaded messages as the resource below.
  translations: {
    zh: () => import('./translations/zhMessages'),
  },
});

/**
 * The Chinese messages as a translation resource, for apps that list their resources explicitly
 * (`createApp({ __experimentalTranslations: { availableLanguages: ['en', 'zh'], resources: [aiCloudOpsTranslations] } })`).
 */
export const aiCloudOpsTranslations = createTranslationResource({
  ref: aiCloudOpsTranslationRef,
  translations: {
    zh: () => import('./translations/zh'),
  },
});

/** The `t` of {@link aiCloudOpsTranslationRef}, for helpers that word things outside a component. */
export type CloudOpsT = TranslationFunction<typeof aiCloudOpsTranslationRef.T>;
