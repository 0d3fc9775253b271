import type { RcaConfig } from '../config.js';
import type { RcaTarget, ServiceGraph, Seconds } from '../types.js';
import type { SeriesAnomaly } from '../anomaly/scoreSeries.js';
import type {
  ChangeEvidenceOut,
  EventEvidence,
  LogEvidence,
  MetricEvidence,
  RcaCandidate,
} from '../schemas.js';
import { pearson } from '../stats/robust.js';
import { guessFaultType } from './guessFaultType.js';
import { signalKind, type SignalKind } from './signalKind.js';

/** Non-metric evidence already scored per service by the log and Kubernetes analysers. */
export interface ServiceSideEvidence {
  logs: LogEvidence[];
  logScore: number;
  events: EventEvidence[];
  changes: ChangeEvidenceOut[];
  kubernetesScore: number;
  /** A fault type the events name outright (OOMKilled → oom-killed), which beats a guess from signal names. */
  faultType?: string;
}

export interface RankInput {
  anomalies: SeriesAnomaly[];
  graph: ServiceGraph;
  target?: RcaTarget;
  side: Map<string, ServiceSideEvidence>;
  window: { baselineStart: Seconds; start: Seconds; end: Seconds };
  /**
   * Answer only when the target itself is anomalous (default). Off when the baseline is borrowed from the other
   * services (no normal period): two points cannot tell whether the symptom moved, and a ranked guess marked as low
   * trust serves the on-call engineer better than silence.
   */
  gateOnTarget?: boolean;
  /** Also return each anomalous service's score factors (diagnostics: bench/rca/diagnoseMisses.ts). */
  explain?: boolean;
}

type CorrelationWindow = { correlationStart: Seconds; end: Seconds };

export interface RankOutput {
  candidates: RcaCandidate[];
  /** Why the list is empty, when it is, or what limits it (a target that shows no anomaly). */
  reason?: string;
  /** With `explain`: every anomalous service's evidence and the factors that turned it into its score, best first. */
  breakdown?: ScoreBreakdown[];
}

export interface ScoreBreakdown {
  service: string;
  score: number;
  /** Metric, caller-view and side evidence before the graph and correlation factors. */
  evidence: number;
  callerView: number;
  /** Multipliers: anomalous ancestors explained, victim of a callee, outside the target's call tree, correlation. */
  factors: { ancestors: number; callee: number; unreachable: number; correlation: number };
  /** The strongest signals, `signal=score` (onset when later than the window's start). */
  signals: string[];
}

interface ServiceState {
  service: string;
  anomalies: SeriesAnomaly[];
  metricScore: number;
  evidence: number;
  /** Each anomaly's weighted score and kind, strongest first. */
  weighted: Array<{ kind: SignalKind; weight: number }>;
  /** What callers see of the service, per kind of their client-side signal (before callerViewWeight). */
  callerView: Map<SignalKind, number>;
  /** Strongest weighted evidence per kind, caller view included: what the service passes on to its callers. */
  strength: Map<SignalKind, number>;
  sideScore: number;
  correlation: number;
}

/**
 * Ranks services as root-cause candidates:
 * 1. metric evidence = the strongest signal's saturated robust z, plus a share of the second (corroboration);
 * 2. log and Kubernetes evidence are added with their configured weights;
 * 3. the service graph discounts a caller whose anomaly a callee explains (faults travel callee → caller: a callee's
 *    latency explains its caller's latency, its errors the caller's errors, nothing explains the caller's own
 *    saturation), and services outside the target's call tree when a target is given; with a target, only anomalies
 *    of its symptom's kind tie a candidate to its callers (rca.ranking.symptomKindExplains);
 * 4. correlation with the target signal (the symptom) scales the score.
 * When nothing is anomalous the list is empty: no root cause is better than a guess. When the target itself is not,
 * only services of its call tree showing its symptom's kind are listed, with a reason saying so (quietTarget).
 */
export function rankCandidates(input: RankInput, config: RcaConfig): RankOutput {
  const { threshold } = config.anomaly;
  const byService = groupByService(input.anomalies);
  const targetSeries = findTargetSeries(input);
  const quiet = quietTarget(input, targetSeries, byService, config);
  if (quiet && !quiet.leadsBy) return { candidates: [], reason: quiet.reason };

  const corrWindow: CorrelationWindow = {
    correlationStart: Math.max(
      input.window.baselineStart,
      input.window.start - config.ranking.correlationLookbackSeconds,
    ),
    end: input.window.end,
  };
  const callees = adjacency(input.graph);
  const states = serviceStates(input, config, byService, callees, targetSeries, corrWindow);
  const anomalous = [...states.values()].filter((s) => s.evidence >= threshold);
  if (anomalous.length === 0) return { candidates: [], reason: 'no service shows an anomaly in the window' };

  const reachable =
    input.target && input.graph.edges.length > 0 ? reachableFrom(input.target.service, callees) : undefined;
  // With a target, only its symptom's kind ties a candidate to its callers (rca.ranking.symptomKindExplains).
  const symptomKind = targetSeries ? signalKind(targetSeries.series.signal) : undefined;
  const tyingKind =
    config.ranking.symptomKindExplains && symptomKind && PROPAGATING.has(symptomKind)
      ? symptomKind
      : undefined;
  const graph: GraphContext = {
    callees,
    callers: reverse(callees),
    states,
    anomalous: new Set(anomalous.map((s) => s.service)),
    reachable,
    hasTarget: targetSeries !== undefined,
    showsSymptom: (s) => s !== undefined && (!tyingKind || (s.strength.get(tyingKind) ?? 0) >= threshold),
  };
  // A quiet target: only the services of its call tree that show its symptom's kind themselves (rca.ranking.quietTargetLeads).
  const eligible = quiet?.leadsBy
    ? anomalous.filter((s) => leadsQuietTarget(s, quiet.leadsBy!, input.target!, reachable, threshold))
    : anomalous;
  if (quiet && eligible.length === 0) return { candidates: [], reason: quiet.reason };
  const scored = eligible.map((state) => scoreState(state, graph, config));
  scored.sort((a, b) => b.score - a.score || a.state.service.localeCompare(b.state.service));

  const candidates = scored
    .slice(0, config.ranking.maxCandidates)
    .map(({ state, score }) =>
      toCandidate(state, score, input.side.get(state.service), config, (a) =>
        metricEvidence(a, targetSeries, corrWindow),
      ),
    );
  const caveat = quiet
    ? { reason: `${quiet.reason}; listed: the services in its call tree that show its ${quiet.leadsBy}` }
    : {};
  return input.explain
    ? { candidates, breakdown: scored.map((s) => explainScore(s, input.window.start)), ...caveat }
    : { candidates, ...caveat };
}

function groupByService(anomalies: SeriesAnomaly[]): Map<string, SeriesAnomaly[]> {
  const byService = new Map<string, SeriesAnomaly[]>();
  for (const a of anomalies) {
    const list = byService.get(a.series.service) ?? [];
    list.push(a);
    byService.set(a.series.service, list);
  }
  return byService;
}

/**
 * Each service's evidence before the graph: its anomalies weighted (client-side views and kinds other than the
 * target's symptom count less), the strongest plus a share of the second, what its callers see of it, and the log
 * and Kubernetes evidence.
 */
function serviceStates(
  input: RankInput,
  config: RcaConfig,
  byService: Map<string, SeriesAnomaly[]>,
  callees: Map<string, Set<string>>,
  targetSeries: SeriesAnomaly | undefined,
  corrWindow: CorrelationWindow,
): Map<string, ServiceState> {
  const ranking = config.ranking;
  const inbound = callerViewOfCallees(byService, callees, config.anomaly.threshold);
  const services = new Set<string>([...byService.keys(), ...input.side.keys(), ...inbound.keys()]);
  const symptomKind = targetSeries ? signalKind(targetSeries.series.signal) : undefined;
  const kindWeight = (a: SeriesAnomaly) =>
    symptomKind && symptomKind !== 'other' && signalKind(a.series.signal) !== symptomKind
      ? ranking.otherKindWeight
      : 1;
  const weight = (a: SeriesAnomaly) =>
    (a.series.perspective === 'client' ? ranking.clientSideWeight : 1) * kindWeight(a) * a.score;
  const states = new Map<string, ServiceState>();
  for (const service of services) {
    const anomalies = (byService.get(service) ?? []).slice().sort((a, b) => weight(b) - weight(a));
    const first = anomalies[0] ? weight(anomalies[0]) : 0;
    const second = anomalies[1] ? weight(anomalies[1]) : 0;
    const metricScore = first + ranking.secondSignalWeight * Math.min(second, first);
    const side = input.side.get(service);
    const callerView = inbound.get(service) ?? new Map<SignalKind, number>();
    const sideEvidence = side ? sideScore(side, config) : 0;
    const evidence =
      metricScore + ranking.callerViewWeight * Math.max(0, ...callerView.values()) + sideEvidence;
    const correlation = targetSeries ? correlationWithTarget(anomalies, targetSeries, corrWindow) : 0;
    const weighted = anomalies.map((a) => ({ kind: signalKind(a.series.signal), weight: weight(a) }));
    const strength = new Map<SignalKind, number>();
    for (const w of weighted) strength.set(w.kind, Math.max(strength.get(w.kind) ?? 0, w.weight));
    for (const [kind, view] of callerView)
      strength.set(kind, Math.max(strength.get(kind) ?? 0, ranking.callerViewWeight * view));
    states.set(service, {
      service,
      anomalies,
      metricScore,
      evidence,
      correlation,
      weighted,
      callerView,
      strength,
      sideScore: sideEvidence,
    });
  }
  return states;
}

/** What the graph stage reads: the call graph both ways, every service's state, and the target's call tree. */
interface GraphContext {
  callees: Map<string, Set<string>>;
  callers: Map<string, Set<string>>;
  states: Map<string, ServiceState>;
  anomalous: Set<string>;
  /** The target's call tree, when there are a target and edges. */
  reachable: Set<string> | undefined;
  hasTarget: boolean;
  /** Whether a service shows the target's symptom kind (always true without one or with symptomKindExplains off). */
  showsSymptom: (s: ServiceState | undefined) => boolean;
}

type Scored = { state: ServiceState; score: number; factors: ScoreBreakdown['factors'] };

/** A service's evidence turned into its score by the graph (ancestors explained, callees, call tree) and correlation. */
function scoreState(state: ServiceState, graph: GraphContext, config: RcaConfig): Scored {
  const ranking = config.ranking;
  const factors = { ancestors: 1, callee: 1, unreachable: 1, correlation: 1 };
  // A root cause explains the anomalies of the services that (transitively) call it; a side branch explains few.
  // ... but a candidate showing none of the target's symptom cannot have passed it up to them.
  if (graph.anomalous.size > 1 && graph.showsSymptom(state)) {
    const explained = anomalousAncestors(state.service, graph.callers, graph.anomalous);
    factors.ancestors = 1 + ranking.ancestorWeight * (explained / (graph.anomalous.size - 1));
  }
  // A caller whose callee moved at least as much is probably a victim of that callee.
  factors.callee = ranking.calleeExplainsByKind
    ? explainedByKind(state, graph.callees, graph.states, config, graph.showsSymptom)
    : explainedByAnyCallee(state, graph, config);
  if (graph.reachable && !graph.reachable.has(state.service))
    factors.unreachable = ranking.unreachablePenalty;
  if (graph.hasTarget)
    factors.correlation =
      (1 + ranking.correlationWeight * state.correlation) / (1 + ranking.correlationWeight);
  const score =
    state.evidence * factors.ancestors * factors.callee * factors.unreachable * factors.correlation;
  return { state, score, factors };
}

/** rca.ranking.calleeExplainsByKind off: the strongest callee's evidence of any kind discounts the caller. */
function explainedByAnyCallee(state: ServiceState, graph: GraphContext, config: RcaConfig): number {
  let strongestCallee = 0;
  for (const callee of graph.callees.get(state.service) ?? []) {
    if (callee !== state.service)
      strongestCallee = Math.max(strongestCallee, graph.states.get(callee)?.evidence ?? 0);
  }
  if (strongestCallee < config.anomaly.threshold) return 1;
  return 1 - config.ranking.explainedByCallee * Math.min(1, (2 * strongestCallee) / state.evidence);
}

function explainScore({ state, score, factors }: Scored, windowStart: number): ScoreBreakdown {
  return {
    service: state.service,
    score: round(score),
    evidence: round(state.evidence),
    callerView: round(Math.max(0, ...state.callerView.values())),
    factors: {
      ancestors: round(factors.ancestors),
      callee: round(factors.callee),
      unreachable: factors.unreachable,
      correlation: round(factors.correlation),
    },
    signals: state.anomalies
      .slice(0, 4)
      .map(
        (a) =>
          `${a.series.signal}${a.series.perspective === 'client' ? '(client)' : ''}=${round(a.score)}${a.onset !== undefined ? `@+${a.onset - windowStart}s` : ''}${a.thinBaseline ? '(thin)' : ''}`,
      ),
  };
}

/** The candidate as the API returns it: its leading signal, its fault type (events first) and its evidence. */
function toCandidate(
  state: ServiceState,
  score: number,
  side: ServiceSideEvidence | undefined,
  config: RcaConfig,
  evidenceOf: (a: SeriesAnomaly) => MetricEvidence,
): RcaCandidate {
  const threshold = config.anomaly.threshold;
  const top = state.anomalies[0];
  const signal =
    top && state.metricScore >= (side ? sideScore(side, config) : 0)
      ? top.series.signal
      : side?.logs.length
        ? 'logs'
        : side?.events.length || side?.changes.length
          ? 'events'
          : (top?.series.signal ?? 'unknown');
  const named = namingAnomaly(state.anomalies, threshold);
  const faultType =
    side?.faultType ??
    (named
      ? guessFaultType(named.series.signal, named.deviation)
      : side?.logs.length
        ? guessFaultType(side.logs[0]!.template, 1) === 'errors'
          ? 'errors'
          : 'log-anomaly'
        : 'anomaly');
  return {
    service: state.service,
    signal,
    faultType,
    score: round(score),
    evidence: {
      metrics: state.anomalies
        .filter((a) => a.score >= threshold)
        .slice(0, 5)
        .map(evidenceOf),
      logs: side?.logs ?? [],
      events: side?.events ?? [],
      changes: side?.changes ?? [],
    },
  };
}

/**
 * When the target shows no anomaly in the window: its reason, and the symptom kind by which the services of its call
 * tree may still lead (rca.ranking.quietTargetLeads; a latency or errors target only), or none (no candidates).
 * The user asked about the target because something looked wrong, and a detector that misses a mild symptom should
 * not hide a callee that shows the same kind of symptom plainly; a service that shows another kind, or lies outside
 * the call tree, has no such tie. Measured (bench/rca/foldScores.ts, bench/rca-petshop.bench.ts, 2026-12-07): the
 * two PetShop issues with a quiet target get candidates (low_traffic/train issue 3: PetSearch first, top-1 0.875 ->
 * 1.000), specificity on normal data stays 1.000 (the slices it would otherwise blame show only a traffic rise on
 * DynamoDB, evidence 3.2-3.7); ranking every anomalous service instead took specificity to 0.833 on both latency
 * targets.
 */
/**
 * A service that may lead a quiet target: another service of its call tree with a series of the target's symptom
 * kind that is anomalous in the window (score) and passes the test the target failed (symptomLevel: held, and a
 * material change). Either test alone let a non-incident through: in the demo, a target whose latency rose a few
 * per cent with the load led itself on the score alone (test/rca/quietTarget); on PetShop's normal data a held
 * level alone blamed a service in one slice of six on both latency targets (specificity 1.000 -> 0.833).
 */
function leadsQuietTarget(
  state: ServiceState,
  kind: SignalKind,
  target: RcaTarget,
  reachable: Set<string> | undefined,
  threshold: number,
): boolean {
  if (state.service === target.service || (reachable && !reachable.has(state.service))) return false;
  return state.anomalies.some(
    (a) => signalKind(a.series.signal) === kind && Math.min(a.score, symptomLevel(a)) >= threshold,
  );
}

function quietTarget(
  input: RankInput,
  targetSeries: SeriesAnomaly | undefined,
  byService: Map<string, SeriesAnomaly[]>,
  config: RcaConfig,
): { reason: string; leadsBy?: SignalKind } | undefined {
  const target = input.target;
  if (!target || input.gateOnTarget === false || (!targetSeries && !byService.has(target.service)))
    return undefined;
  const targetScore = targetSeries
    ? symptomLevel(targetSeries)
    : Math.max(0, ...(byService.get(target.service) ?? []).map(symptomLevel));
  const targetSide = input.side.get(target.service);
  if (targetScore + (targetSide ? sideScore(targetSide, config) : 0) >= config.anomaly.threshold)
    return undefined;
  const reason = `the target ${describeTarget(target)} shows no anomaly in the window`;
  const kind = targetSeries ? signalKind(targetSeries.series.signal) : undefined;
  return config.ranking.quietTargetLeads && kind && PROPAGATING.has(kind)
    ? { reason, leadsBy: kind }
    : { reason };
}

/**
 * How strongly a target series shows a symptom: an alert fires on a peak, but a symptom persists. A symptom signal
 * (errors, latency, saturation) counts by the highest level it held for symptomHoldSeconds (heldPeak); a traffic or
 * unrecognised signal only by its incident level, a sustained shift (a traffic peak is load, not a symptom). Before,
 * the single highest point counted: in the demo, with a latency fault on payment, the Poisson noise of the quiet
 * `ads`' request rate peaked above 3 robust sigma in 5 of 8 windows tried, and payment, checkout and frontend were
 * ranked for a target with no symptom. Over 20 windows × 7 services the fault does not reach, the target passed in 28
 * of 140 (the single peak), 22 (symptom kinds only), 15 (symptom kinds held for a minute). PetShop's results are
 * unchanged (its 5-minute points each hold alone; a hold of two points instead took its top-1 from 0.711 to 0.658).
 * The 15 left were sustained moves of 3–4 robust sigma with the simulated load (latency, CPU), each a rise of under
 * 10 % of the median; heldPeak now also needs rca.anomaly.symptomMinChange (10 %) of the median: 0 of 140 pass.
 */
function symptomLevel(a: SeriesAnomaly): number {
  const kind = signalKind(a.series.signal);
  return kind === 'errors' || kind === 'latency' || kind === 'saturation' ? a.heldPeak : a.score;
}

/**
 * The anomaly that names a service's fault: a resource that saturated (CPU, memory or restarts up) when one did,
 * since exhausting it slows and fails the service's own work (the USE method's order), while its latency and errors
 * are the symptoms any cause shows; otherwise the strongest signal. Before, the strongest signal alone named it, and a
 * CPU hog in the demo whose latency moved more than its CPU was called `latency` (rca-live).
 */
function namingAnomaly(anomalies: SeriesAnomaly[], threshold: number): SeriesAnomaly | undefined {
  const top = anomalies[0];
  if (!top || top.score < threshold) return undefined;
  return namingResource(anomalies, threshold) ?? top;
}

/**
 * A saturated resource names the fault rather than the latency it causes, but only a material rise held for the
 * symptom's hold time (heldPeak: memory up 3 % on a flat baseline is hundreds of robust sigma and no pressure), and
 * of several resources the one that changed first (the later rise is a consequence). Before, the strongest
 * saturation signal in the ranking's order named it: on Online Boutique's 53 faults whose service is a candidate,
 * fault type right 27 → 35 (CPU contention typed memory-pressure 11 → 5 times; network delays typed latency 11 → 13);
 * PetShop's 36 and rca-live's type accuracy (0.963) unchanged. `bench/rca/foldScores.ts` prints the type per fold.
 */
function namingResource(anomalies: SeriesAnomaly[], threshold: number): SeriesAnomaly | undefined {
  const rising = anomalies.filter(
    (a) =>
      a.score >= threshold &&
      a.deviation > 0 &&
      a.heldPeak >= threshold &&
      signalKind(a.series.signal) === 'saturation',
  );
  const began = (a: SeriesAnomaly) => a.onset ?? a.changePoint ?? Infinity;
  // A stable sort: resources that changed at the same moment keep the ranking's order.
  return rising.sort((a, b) => (began(a) === began(b) ? 0 : began(a) - began(b)))[0];
}

/** Signal kinds a callee passes on to its callers: a slow or failing dependency makes its callers slow or fail. */
const PROPAGATING = new Set<SignalKind>(['latency', 'errors']);

/**
 * The share of a caller's evidence left once its callees explain what they can: a callee passes on slowness and
 * failures (PROPAGATING), so its latency explains its caller's latency and its errors the caller's errors, each in
 * proportion as before (a callee with half the caller's strength in that kind explains `explainedByCallee` of it).
 * The caller's own saturation, traffic and other signals, and any kind its callees do not show, are its own. Only
 * callees that could have produced the target's symptom (`canExplain`) explain anything: a callee that got slower but
 * failed nothing does not clear its caller of an error symptom.
 */
function explainedByKind(
  state: ServiceState,
  callees: Map<string, Set<string>>,
  states: Map<string, ServiceState>,
  config: RcaConfig,
  canExplain: (callee: ServiceState | undefined) => boolean,
): number {
  const { threshold } = config.anomaly;
  const ranking = config.ranking;
  const explaining = [...(callees.get(state.service) ?? [])].filter(
    (c) => c !== state.service && canExplain(states.get(c)),
  );
  const factor = new Map<SignalKind, number>();
  for (const kind of PROPAGATING) {
    const own = state.strength.get(kind) ?? 0;
    if (own <= 0) continue;
    let callee = 0;
    for (const c of explaining) callee = Math.max(callee, states.get(c)?.strength.get(kind) ?? 0);
    if (callee >= threshold)
      factor.set(kind, 1 - ranking.explainedByCallee * Math.min(1, (2 * callee) / own));
  }
  if (factor.size === 0 || state.evidence <= 0) return 1;
  const f = (kind: SignalKind) => factor.get(kind) ?? 1;
  const metric = combined(
    state.weighted.map((w) => w.weight * f(w.kind)),
    ranking.secondSignalWeight,
  );
  const view = Math.max(0, ...[...state.callerView].map(([kind, v]) => v * f(kind)));
  return Math.min(1, (metric + ranking.callerViewWeight * view + state.sideScore) / state.evidence);
}

/** The strongest weighted score plus a share of the second (the metric-score formula), for a subset of signals. */
function combined(weights: number[], secondWeight: number): number {
  const sorted = weights.slice().sort((a, b) => b - a);
  const first = sorted[0] ?? 0;
  return first + secondWeight * Math.min(sorted[1] ?? 0, first);
}

function sideScore(side: ServiceSideEvidence, config: RcaConfig): number {
  return config.ranking.logWeight * side.logScore + config.ranking.kubernetesWeight * side.kubernetesScore;
}

function describeTarget(target: RcaTarget): string {
  return target.signal ? `${target.service}/${target.signal}` : target.service;
}

function findTargetSeries(input: RankInput): SeriesAnomaly | undefined {
  const target = input.target;
  if (!target) return undefined;
  const own = input.anomalies.filter((a) => a.series.service === target.service);
  if (target.signal) return own.find((a) => a.series.signal === target.signal);
  return own.slice().sort((a, b) => b.score - a.score)[0];
}

/** |Pearson| between a service's most correlated anomalous signal and the target, on shared timestamps. */
function correlationWithTarget(
  anomalies: SeriesAnomaly[],
  target: SeriesAnomaly,
  window: CorrelationWindow,
): number {
  let best = 0;
  for (const a of anomalies.slice(0, 5)) {
    best = Math.max(best, Math.abs(alignedCorrelation(a, target, window)));
  }
  return best;
}

function alignedCorrelation(a: SeriesAnomaly, b: SeriesAnomaly, window: CorrelationWindow): number {
  const bByTime = new Map<number, number>();
  const bs = b.series;
  for (let i = 0; i < bs.timestamps.length; i++) {
    const t = bs.timestamps[i]!;
    if (t >= window.correlationStart && t <= window.end && Number.isFinite(bs.values[i]!))
      bByTime.set(t, bs.values[i]!);
  }
  const x: number[] = [];
  const y: number[] = [];
  const as = a.series;
  for (let i = 0; i < as.timestamps.length; i++) {
    const t = as.timestamps[i]!;
    const other = bByTime.get(t);
    if (other !== undefined && Number.isFinite(as.values[i]!)) {
      x.push(as.values[i]!);
      y.push(other);
    }
  }
  return pearson(x, y);
}

function metricEvidence(
  a: SeriesAnomaly,
  target: SeriesAnomaly | undefined,
  window: CorrelationWindow,
): MetricEvidence {
  const evidence: MetricEvidence = {
    signal: a.series.signal,
    baselineMedian: a.baselineMedian,
    incidentValue: a.incidentValue,
    deviation: round(a.deviation),
  };
  if (a.series.promql) evidence.promql = a.series.promql;
  if (a.series.unit) evidence.unit = a.series.unit;
  if (a.changePoint !== undefined) evidence.changePoint = a.changePoint;
  if (target && target !== a) evidence.correlation = round(Math.abs(alignedCorrelation(a, target, window)));
  return evidence;
}

/**
 * What callers see of each callee: a caller's client-side signals (latency or errors of the calls it makes) measure
 * its callees, so the strongest of them is charged to the callees too, shared equally among them when the caller
 * has several (without per-call data nobody can tell which one it was).
 */
function callerViewOfCallees(
  byService: Map<string, SeriesAnomaly[]>,
  callees: Map<string, Set<string>>,
  threshold: number,
): Map<string, Map<SignalKind, number>> {
  const inbound = new Map<string, Map<SignalKind, number>>();
  for (const [caller, anomalies] of byService) {
    const targets = [...(callees.get(caller) ?? [])].filter((c) => c !== caller);
    if (targets.length === 0) continue;
    const client = new Map<SignalKind, number>();
    for (const a of anomalies) {
      if (a.series.perspective !== 'client') continue;
      const kind = signalKind(a.series.signal);
      client.set(kind, Math.max(client.get(kind) ?? 0, a.score));
    }
    if (Math.max(0, ...client.values()) < threshold) continue;
    for (const callee of targets) {
      const view = inbound.get(callee) ?? new Map<SignalKind, number>();
      for (const [kind, score] of client)
        view.set(kind, Math.max(view.get(kind) ?? 0, score / targets.length));
      inbound.set(callee, view);
    }
  }
  return inbound;
}

function adjacency(graph: ServiceGraph): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const edge of graph.edges) {
    const set = map.get(edge.from) ?? new Set<string>();
    set.add(edge.to);
    map.set(edge.from, set);
  }
  return map;
}

function reverse(edges: Map<string, Set<string>>): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const [from, tos] of edges) {
    for (const to of tos) {
      const set = map.get(to) ?? new Set<string>();
      set.add(from);
      map.set(to, set);
    }
  }
  return map;
}

/** Anomalous services that reach this one through callers that are all anomalous themselves. */
function anomalousAncestors(
  service: string,
  callers: Map<string, Set<string>>,
  anomalous: Set<string>,
): number {
  const seen = new Set<string>([service]);
  const queue = [service];
  while (queue.length) {
    const next = queue.pop()!;
    for (const caller of callers.get(next) ?? []) {
      if (!seen.has(caller) && anomalous.has(caller)) {
        seen.add(caller);
        queue.push(caller);
      }
    }
  }
  return seen.size - 1;
}

function reachableFrom(start: string, callees: Map<string, Set<string>>): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length) {
    const next = queue.pop()!;
    for (const callee of callees.get(next) ?? []) {
      if (!seen.has(callee)) {
        seen.add(callee);
        queue.push(callee);
      }
    }
  }
  return seen;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
