import { z } from 'zod';

/**
 * Settings of the rca capability; every field has a documented default so an empty section is valid. The defaults
 * were chosen once on the public development sets and are never tuned per incident or per dataset: the project is
 * also scored on cases nobody here has seen.
 */

const anomalySchema = z
  .object({
    /** Seconds of history before the incident start used as the "normal" baseline. */
    baselineSeconds: z.coerce.number().positive().default(3600),
    /** Length of the incident window when a request gives none (ends now, or at the alert's start plus this). */
    defaultWindowSeconds: z.coerce.number().positive().default(900),
    /**
     * Floor of the robust scale as a fraction of the baseline median: a signal that was perfectly flat must move by
     * more than this fraction before it looks anomalous, so quantisation noise never dominates.
     */
    relativeScaleFloor: z.coerce.number().min(0).default(0.001),
    /**
     * Seconds just before the onset whose median level the incident must also differ from. Guards against a baseline
     * that differs from the present for reasons unrelated to the incident (a shift hours ago, a different period).
     */
    recentSeconds: z.coerce.number().min(0).default(300),
    /**
     * Fraction of the largest baseline deviations ignored by the second scale estimate (the trimmed mean absolute
     * deviation, used when MAD is 0 because a signal sits at one value most of the time).
     */
    scaleTrim: z.coerce.number().min(0).max(0.5).default(0.02),
    /**
     * Seconds right before the onset left out of the recent level: a fault starts before the alert that reports it
     * (alerts wait for a `for:` duration, scrapes and buckets lag), so the last minutes may already be affected.
     */
    onsetGuardSeconds: z.coerce.number().min(0).default(300),
    /** Absolute floor of the robust scale (same unit as the signal), for signals whose median is 0. */
    absoluteScaleFloor: z.coerce.number().min(0).default(1e-6),
    /**
     * Quantile of the incident points, counted from the bad side, taken as the incident level (0.5 = median). Above
     * 0.5 a fault covering only part of the window still shows; below 1 a single spike does not.
     */
    incidentQuantile: z.coerce.number().min(0.5).max(1).default(0.5),
    /**
     * The incident level must also lie beyond this quantile of the baseline (on the bad side) to count as anomalous:
     * excursions the signal already made in the baseline are not news. 1 disables the check.
     */
    historyQuantile: z.coerce.number().min(0.5).max(1).default(0.99),
    /**
     * A level the baseline reached in fewer than this many separate episodes (each shorter than half the baseline) is
     * an earlier incident, not the signal's habit, and the history check (historyQuantile) does not hold it back;
     * traffic keeps the plain check (scoreSeries, onlyEarlierIncidents). 1 = any level reached counts as seen.
     * Chosen leave-one-fold-out over {1, 2, 3, 4, 6} (bench/rca/foldScores.ts --loso, 2026-12-06): PetShop
     * low_traffic/train top-1 0.625 -> 0.875, Online Boutique 0.732 -> 0.804 (top-3 0.911 both), every other fold
     * the same; 2 gives Online Boutique 0.839 but low_traffic/train 0.625 (bench/rca/MISSES.md).
     */
    historyEpisodes: z.coerce.number().int().min(1).default(4),
    /**
     * When the target's symptom signal shows no anomaly from the window's start, score it from onsetGuardSeconds
     * earlier as well (scoreFromEarlier: a step there that holds into the window): the start a request or a data set
     * gives can come after the fault began. Measured (bench/rca/foldScores.ts, 2026-12-06): PetShop low_traffic/train
     * 0.500 / 0.750 -> 0.625 / 0.875 (issue 1: PetSearch's latency and the target's rose a 5-minute row before the
     * issue's timestamp; before, no candidate), PetShop specificity 1.000 and every other fold the same (Online
     * Boutique and rca-live give no target).
     */
    targetEarlyOnset: z.boolean().default(true),
    /** Robust z above which a signal counts as anomalous. */
    threshold: z.coerce.number().positive().default(3),
    /**
     * Seconds a target's symptom signal (errors, latency, saturation) must stay beyond the threshold for the target
     * to count as anomalous: one point of noise is not a symptom. A minute is the shortest `for:` an alert commonly
     * waits and the shortest window the API takes; a point covering more (PetShop's 5-minute points) holds alone.
     */
    symptomHoldSeconds: z.coerce.number().min(0).default(60),
    /**
     * Least change, as a fraction of the baseline median, that level must also be above the baseline (and the recent
     * level) for a symptom that worsens upward (latency, error ratio, CPU): a 3-sigma move of a very steady series
     * can be a rise of 2 % that no operator would call a symptom. 0 disables it; falling signals (availability) are
     * exempt, since how far they can fall depends on their unit (see scoreSeries).
     */
    symptomMinChange: z.coerce.number().min(0).default(0.1),
    /**
     * Every series, not only the target's symptom, counts as anomalous only when its change is also material
     * (symptomMinChange of the baseline median, for signals that worsen upward). A 3 % rise of the demo redis-cart's
     * p99, which sits on a histogram bucket's edge (0.00499 -> 0.00515 s), was 31.7 robust sigma on its flat baseline
     * and led every rca-live scenario at +30 s when the shop's clock read 08:18 UTC (top-1 0.767, detection 60 s).
     * Measured, off -> on: PetShop every fold the same; Online Boutique top-1 0.804 -> 0.821 (top-3 0.911 both);
     * rca-live (120 runs each) at 08:18 UTC 0.767 -> 0.967, at 03:00 0.967 -> 0.967, at 14:00 see
     * bench/rca/RESULTS.md. A higher relativeScaleFloor instead (0.005-0.05) cost PetShop up to 0.75 of top-1.
     */
    requireMaterialChange: z.boolean().default(true),
    /** Robust z values are compressed above this level (log scale), so one huge ratio cannot drown all others. */
    saturation: z.coerce.number().positive().default(10),
    /**
     * Read the same hours on up to this many earlier days and score each series against them too, keeping the less
     * anomalous of that and the hour before (scoreSameHours: better than the hour before alone on every NAB fold,
     * AUC 0.775 -> 0.799 to 0.436 -> 0.630). 0 reads none. One range query per day and signal.
     */
    sameHoursDays: z.coerce.number().int().min(0).max(28).default(7),
    /** Fewest baseline points needed before a signal is scored against its own history. */
    minBaselinePoints: z.coerce.number().int().min(2).default(3),
    /**
     * Fewest points after a change inside the window for it to count as a later onset (scoreSeries): the window a
     * user gives need not start at the fault. Four points are a minute at the default 15 s step, the least a level
     * change needs (the shortest window the API accepts); 0 disables late onsets.
     */
    minOnsetPoints: z.coerce.number().int().min(0).default(4),
    /**
     * When no service is a candidate, list the changes too young to have held for symptomHoldSeconds (scoreFreshChange:
     * the last 2-3 points of a fine-step series, all beyond the threshold, material, a step and off their own trend),
     * with a reason saying they are unconfirmed. false: no candidates until a change has held. rca-live at +30 s
     * (2 seeds): top-1 0.833 -> 1.000 at 03:00 UTC, 20 -> 24 of 24 at 08:18 (cpu-hog and latency faults had no
     * candidate at all); all delays at 03:00 0.967 -> 1.000; PetShop (every fold, specificity) and Online Boutique
     * identical (their points are 1-5 minutes: never two inside the hold); the demo with no fault, 288 windows over a
     * day: no candidate either way. See bench/rca/RESULTS.md (session 12). When some service is a candidate, the
     * services only such changes make candidates follow it, unconfirmed (not those calling a ranked one): rca-live
     * +30 s top-3 0.917 -> 1.000 (a second fault beside one its Kubernetes event confirmed); every other fold the
     * same (RESULTS.md, session 16).
     */
    freshChanges: z.boolean().default(true),
    /**
     * A latency whose rise (window median over the baseline's, from its onset) is at most this many times the rise of
     * its own service's traffic, when that traffic rose 5 % or more, is the load, not a fault: no evidence
     * (capLoadLatency). The demo with no fault, 288 windows a day: Tuesday/Wednesday/Thursday 5/2/1 -> 0/0/0 false
     * alarms (latency_p99 on a weekday's ramp, convex in load: frontend +12 % on +9 % traffic, email +12.5 % on
     * +10 %); 1 and 1.25 left 7 and 4 of the 8 Tue-Thu. Every detection fold the same (PetShop folds, Online Boutique
     * 0.821 / 0.911, rca-live); 2 and 3 took Online Boutique top-1 to 0.804. 0: off. bench/rca/RESULTS.md, session 16.
     */
    loadExplainsLatency: z.coerce.number().min(0).default(1.5),
    /**
     * Score series whose own baseline is shorter than minBaselinePoints against the other services' changes
     * (scoreThinBaselines) instead of leaving them out: with no normal period every issue still gets a candidate.
     */
    scoreThinBaselines: z.boolean().default(true),
  })
  .prefault({});

const rankingSchema = z
  .object({
    /**
     * How much of a caller's anomaly is explained away by its most anomalous callee (0 = graph ignored, 1 = a caller
     * whose callee has at least half its evidence scores nothing). Faults propagate from callee to caller.
     */
    explainedByCallee: z.coerce.number().min(0).max(1).default(0.5),
    /**
     * A callee explains its caller's anomaly only through what travels up a call: its latency the caller's latency,
     * its errors the caller's errors (rankCandidates' explainedByKind); the caller's own saturation, traffic and
     * other signals, and a kind its callees do not show, stay its evidence. false: any callee anomaly explains all of
     * the caller's. Measured (bench/rca/foldScores.ts, every fold, 2026-12-06): PetShop low_traffic/train top-1
     * 0.250 -> 0.500 (PetSearch's errors no longer explained by S3's latency), Online Boutique top-3 0.893 -> 0.911,
     * every other fold and rca-live the same.
     */
    calleeExplainsByKind: z.boolean().default(true),
    /**
     * With a target, only anomalies of its symptom's kind (latency or errors) tie a candidate to its callers: a callee
     * that shows none of that kind cannot have produced the symptom, so it explains away none of its caller's
     * evidence, and a candidate that shows none of it earns no bonus for the anomalous callers it would explain
     * (rankCandidates' showsSymptom; without a target, or with another kind, nothing changes). Measured
     * (bench/rca/foldScores.ts --loso, every fold, 2026-12-07): PetShop temporal_traffic1/train top-1 0.000 -> 0.500,
     * temporal_traffic2/train 0.500 -> 1.000 (availability targets: PetSearch failed requests and its callee S3,
     * slower and busier but failing nothing, ranked first), every other fold, type and rank unchanged; each of the two
     * halves alone fixes one of the two issues only (bench/rca/MISSES.md).
     */
    symptomKindExplains: z.boolean().default(true),
    /**
     * A latency or errors target that shows no anomaly in the window still gets candidates: the services of its call
     * tree that show that kind of symptom themselves, with the result saying the target was quiet. false: no
     * candidates at all (the list stays empty). Measured in rankCandidates' quietTarget.
     */
    quietTargetLeads: z.boolean().default(true),
    /**
     * Bonus for explaining other anomalies: the score grows by this factor times the share of anomalous services
     * that reach the candidate through anomalous callers (faults propagate to callers, so a root cause sits below
     * the anomalous part of the graph).
     */
    ancestorWeight: z.coerce.number().min(0).default(1),
    /** Weight of the |correlation| with the target signal (symptom) in the final score. */
    correlationWeight: z.coerce.number().min(0).default(0.5),
    /**
     * Seconds before the onset included when correlating with the target: the shape of the change around the onset
     * matters, not hours of unrelated noise.
     */
    correlationLookbackSeconds: z.coerce.number().positive().default(1800),
    /**
     * Factor applied to services outside the target's call tree (when a target is given): kept listed, not excluded,
     * since a learned graph misses edges. rca-live's targeted score (two live faults, an RCA targeted at each) by
     * factor, 03:00 UTC: 0.5 → 0.912, 0.25 → 0.950, 0.1 → 0.963; untargeted rca-live and every PetShop / Online
     * Boutique fold identical at all three (their targets' call trees hold every candidate). At 0.5 a crash loop on
     * shipping outranked a fresh one on ads for an RCA of ads, which shipping cannot reach (found walking the README).
     */
    unreachablePenalty: z.coerce.number().min(0).max(1).default(0.1),
    /**
     * Weight of client-side signals (latency or errors of the calls a service makes): they mostly measure its callees,
     * so a service whose only symptom is slow dependencies is a weaker suspect than one slow in its own work.
     */
    clientSideWeight: z.coerce.number().min(0).max(1).default(0.5),
    /**
     * Weight of what callers see of a service: a caller's strongest client-side anomaly is added to its callees'
     * evidence (divided among them when it has several), since client-side latency and errors measure the callees.
     */
    callerViewWeight: z.coerce.number().min(0).default(0.5),
    /**
     * Weight of a signal whose kind (errors, latency, saturation, traffic) differs from the target's, when a target is
     * given: an error symptom is explained by errors below it, a latency symptom by slowness; other kinds corroborate.
     */
    otherKindWeight: z.coerce.number().min(0).max(1).default(0.5),
    /** Weight of the second-strongest signal of a service (corroboration by more than one signal). */
    secondSignalWeight: z.coerce.number().min(0).max(1).default(0.25),
    /** Weight of log evidence (bursting or new templates) relative to metric evidence. */
    logWeight: z.coerce.number().min(0).default(0.5),
    /** Weight of Kubernetes events and recent changes relative to metric evidence. */
    kubernetesWeight: z.coerce.number().min(0).default(0.5),
    /** Most candidates returned. */
    maxCandidates: z.coerce.number().int().positive().default(10),
  })
  .prefault({});

const logsSchema = z
  .object({
    /** Drain: similarity a line needs to join an existing template (fraction of equal tokens). */
    similarityThreshold: z.coerce.number().min(0).max(1).default(0.5),
    /**
     * Similarity needed instead when a line differs from a template in a plain word (letters only), which is more
     * often a constant than a variable (`initialization` / `finalization`).
     */
    wordSimilarityThreshold: z.coerce.number().min(0).max(1).default(0.7),
    /** Drain: depth of the prefix tree (levels of leading tokens used to route a line, plus two). */
    depth: z.coerce.number().int().min(3).default(4),
    /** Drain: most children of a tree node before further tokens are routed to a wildcard child. */
    maxChildren: z.coerce.number().int().positive().default(100),
    /** Extra masking rules (regex source → placeholder) applied before the built-in ones. */
    extraMasks: z
      .array(z.object({ pattern: z.string().min(1), replacement: z.string().default('<*>') }))
      .default([]),
    /** Most pods whose logs an RCA reads. */
    maxPods: z.coerce.number().int().positive().default(50),
    /** Lines read per pod from the cluster for an RCA. */
    tailLines: z.coerce.number().int().positive().default(2000),
    /**
     * Seconds of baseline a service's logs must cover (first to last baseline line) before its templates can be
     * called new or bursting; log tails are cut by line count and new pods have no history.
     */
    minBaselineCoverageSeconds: z.coerce.number().min(0).default(60),
    /**
     * Expected incident count of a template from its share of the service's own log lines (true) instead of from
     * elapsed time (false): the baseline may come from another hour or load, and more traffic means more lines of
     * every template, which is no anomaly. A template must then grow relative to the service's other lines.
     */
    normalizeByVolume: z.boolean().default(true),
    /** A template counts as bursting when its incident rate exceeds the baseline rate by this factor. */
    burstFactor: z.coerce.number().positive().default(3),
    /** Fewest incident occurrences before a template is evidence at all. */
    minIncidentCount: z.coerce.number().int().positive().default(3),
    /** Templates whose words suggest a failure (error, exception, timeout...) weigh this much more. */
    errorKeywordBoost: z.coerce.number().min(1).default(2),
  })
  .prefault({});

const kubernetesSchema = z
  .object({
    /** Seconds before the incident start within which a rollout, image or config change counts as "recent". */
    changeLookbackSeconds: z.coerce.number().positive().default(3600),
    /** Score (robust-z scale) of an event whose reason names a fault; grows with log10 of its count. */
    faultEventScore: z.coerce.number().min(0).default(8),
    /** Score of any other Warning event. */
    warningEventScore: z.coerce.number().min(0).default(3),
    /** Score of a change right at the onset (rollout, image or config change, restarts). */
    changeScore: z.coerce.number().min(0).default(6),
    /**
     * Seconds before the incident's onset within which events and restarts still count as its cause. The onset is
     * read from metrics, which lag the fault by the rate window (5m by default) and the scrape, so Kubernetes events
     * lead it by up to about that much. Anything whose last occurrence is earlier is history (a healed fault).
     */
    onsetSlackSeconds: z.coerce.number().min(0).default(300),
    /** Weight of history (events and restarts that ended before the onset) relative to evidence at the onset. */
    historyWeight: z.coerce.number().min(0).max(1).default(0.1),
    /**
     * Event reasons that name a symptom rather than a cause (a container that keeps failing, a probe that fails):
     * their fault type yields to a reason naming the cause (OOMKilled, FailedScheduling, ErrImagePull) and to a
     * rollout at the onset (bad-rollout).
     */
    symptomReasons: z.array(z.string()).default(['BackOff', 'CrashLoopBackOff', 'Unhealthy', 'Failed']),
    /** Event reasons that point at a fault, with the fault type they suggest. */
    eventReasons: z.record(z.string(), z.string()).default({
      OOMKilling: 'oom-killed',
      OOMKilled: 'oom-killed',
      BackOff: 'crash-loop',
      CrashLoopBackOff: 'crash-loop',
      FailedScheduling: 'unschedulable',
      Unhealthy: 'failing-readiness',
      Failed: 'image-pull-error',
      ErrImagePull: 'image-pull-error',
      ImagePullBackOff: 'image-pull-error',
      NodeNotReady: 'node-not-ready',
      Evicted: 'node-pressure',
    }),
  })
  .prefault({});

const graphSchema = z
  .object({
    /**
     * PromQL returning one series per caller → callee pair with traffic (any value > 0 is an edge); `$namespace` and
     * `$window` are substituted. Empty disables learning edges from metrics (config edges still apply).
     */
    edgeQuery: z
      .string()
      .default(
        'sum by (service, target) (rate(http_client_requests_total{namespace="$namespace"}[$window]))',
      ),
    /**
     * Learn edges from the baseline when no edge is known (none in config, none from the edge query or traces):
     * services whose traffic changes together are linked, slower → faster on a latency signal both report.
     */
    learnFromCorrelation: z.boolean().default(true),
    /** Correlation of step-to-step traffic changes that links two services when learning edges. */
    minCorrelation: z.coerce.number().min(0).max(1).default(0.5),
    /** Label of the edge query naming the caller. */
    callerLabel: z.string().default('service'),
    /** Label of the edge query naming the callee. */
    calleeLabel: z.string().default('target'),
  })
  .prefault({});

export const rcaConfigSchema = z
  .object({
    graph: graphSchema,
    anomaly: anomalySchema,
    ranking: rankingSchema,
    logs: logsSchema,
    kubernetes: kubernetesSchema,
    /** Step of the range queries, seconds. */
    stepSeconds: z.coerce.number().positive().default(15),
    /** Results kept in the store for re-runs and the history list, seconds (default 30 days). */
    resultTtlSeconds: z.coerce
      .number()
      .int()
      .positive()
      .default(30 * 24 * 3600),
  })
  .prefault({});

export type RcaConfig = z.infer<typeof rcaConfigSchema>;
