import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { AlertPipeline } from '../../src/alerts/AlertPipeline.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { matchesAll, parseMatcher } from '../../src/alerts/matchers.js';
import { fromAlertmanager } from '../../src/alerts/ingest/normalizeAlerts.js';
import { meanDelaySeconds } from '../../src/alerts/AlertMetrics.js';
import { alertmanagerWebhookSchema } from '../../src/alerts/schemas.js';
import type {
  Incident,
  MergeReason,
  Notification,
  PipelineOutput,
  TrackedAlert,
} from '../../src/alerts/types.js';
import { score, truthTimeline, type Delivery } from '../alert-noise.bench.js';

/**
 * Why a stream misses the alert-noise targets: replays DIR/alerts.jsonl through the AlertPipeline on the benchmark's
 * virtual clock (same 5 s ticks, same 30 min drain, same webhook normalisation, so the same notifications as
 * `npm run bench -- alert-noise --data DIR --no-storm`) and lists, against `truth`:
 * - merge: a join whose alert and the member it joined through belong to different real incidents (or one is noise),
 *   with the rule or edge that made it; these are what lower purity;
 * - split: a real incident paged from more than one engine incident, with the alert that opened each extra one and
 *   the nearest alert of the same incident it did not join (service distance, onset gap);
 * - missed: a real incident no notification carried, with what became of each of its alerts (held, muted, joined);
 * - noise: a notification carrying only noise, with why its incident paged.
 *
 * Usage: npx tsx bench/alerts/diagnoseStream.ts DIR [DIR ...] [--config overrides.json] [--summary]
 * (`--summary`: one line of scores and miss counts by mechanism per stream, then the totals.)
 */

const TICK_MS = 5_000;
const DRAIN_MS = 30 * 60_000;

interface Join {
  at: number;
  incident: string;
  fingerprint: string;
  reason: MergeReason;
  /** Onsets (startsAt) of the alert and of the member it joined through, when it joined (an alert's later episodes move it). */
  startsAt: number;
  joinedToStartsAt?: number;
}

export interface Miss {
  type: 'merge' | 'split' | 'missed' | 'noise';
  /** A short class to count by, e.g. `merge service-graph real→other`. */
  mechanism: string;
  /** For merges: the notified alerts it made impure (what it cost purity); 1 for the other kinds. */
  weight?: number;
  detail: string;
}

export interface Diagnosis {
  stream: string;
  scores: Record<string, number>;
  misses: Miss[];
}

/** The replay's record: every join and notification in order, plus the pipeline's final state. */
interface Replay {
  pipeline: AlertPipeline;
  joins: Join[];
  sent: Notification[];
  /** Mute reason of each notified fingerprint at the moment of sending, and of each alert at its join. */
  muteAtJoin: Map<string, string>;
}

export function replayStream(
  deliveries: Delivery[],
  edges: Array<[string, string]>,
  overrides: Record<string, unknown> = {},
): Replay {
  const pipeline = new AlertPipeline(
    alertsConfigSchema.parse({ autoRca: false, ...overrides }),
    edges.map(([from, to]) => ({ from, to })),
  );
  const joins: Join[] = [];
  const sent: Notification[] = [];
  const muteAtJoin = new Map<string, string>();
  const collect = (out: PipelineOutput, at: number) => {
    for (const j of out.joined) {
      const alert = pipeline.alerts.get(j.fingerprint)!;
      const via = j.reason.joinedTo ? pipeline.alerts.get(j.reason.joinedTo) : undefined;
      joins.push({
        at,
        incident: j.incidentId,
        fingerprint: j.fingerprint,
        reason: j.reason,
        startsAt: alert.startsAt,
        ...(via ? { joinedToStartsAt: via.startsAt } : {}),
      });
      const mute = pipeline.muteOf(alert, at);
      muteAtJoin.set(`${j.incidentId}/${j.fingerprint}`, mute ? `${mute.kind} (${mute.detail})` : '');
    }
    sent.push(...out.notifications);
  };
  let clock = deliveries.length > 0 ? Date.parse(deliveries[0]!.at) : 0;
  for (const d of deliveries) {
    const at = Date.parse(d.at);
    for (let t = clock + TICK_MS; t < at; t += TICK_MS) collect(pipeline.tick((clock = t)), clock);
    clock = Math.max(clock, at);
    const body = alertmanagerWebhookSchema.parse(d.payload);
    collect(
      pipeline.ingest(fromAlertmanager(body, clock), clock, { truncatedAlerts: body.truncatedAlerts }),
      clock,
    );
  }
  for (const end = clock + DRAIN_MS; clock < end;) collect(pipeline.tick((clock += TICK_MS)), clock);
  return { pipeline, joins, sent, muteAtJoin };
}

export function diagnose(dir: string, overrides: Record<string, unknown> = {}): Diagnosis {
  const deliveries = readFileSync(resolve(dir, 'alerts.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Delivery);
  const topologyFile = resolve(dir, 'topology.json');
  const edges = existsSync(topologyFile)
    ? ((JSON.parse(readFileSync(topologyFile, 'utf8')) as { edges?: Array<[string, string]> }).edges ?? [])
    : [];
  const run = replayStream(deliveries, edges, overrides);
  const truthAt = truthTimeline(deliveries);
  const real = new Set(
    deliveries.flatMap((d) => Object.values(d.truth ?? {})).filter((t): t is string => t !== null),
  );
  const scores = score(run.sent, truthAt, real) as Record<string, number>;
  scores.notifications = run.sent.length;
  scores.reduction = 1 - run.sent.length / Math.max(1, deliveries.length);
  scores.mean_notification_delay_s = meanDelaySeconds(run.pipeline.stats());
  const ctx = new Context(run, truthAt, deliveries);
  return {
    stream: basename(dir),
    scores,
    misses: [...ctx.merges(), ...ctx.splits(real), ...ctx.missed(real), ...ctx.noisePages()],
  };
}

class Context {
  private readonly p: AlertPipeline;
  private readonly joinOf = new Map<string, Join>();
  /** fingerprint → when each of its episodes began and ended (first resolved delivery), from the stream. */
  private readonly episodes = new Map<string, Array<{ startsAt: number; resolvedAt?: number }>>();

  constructor(
    private readonly run: Replay,
    private readonly truthAt: (f: string, at: number) => string | null | undefined,
    deliveries: Delivery[],
  ) {
    this.p = run.pipeline;
    for (const j of run.joins) this.joinOf.set(`${j.incident}/${j.fingerprint}`, j);
    for (const d of deliveries) {
      for (const a of d.payload.alerts) {
        const f = a.fingerprint ?? labelsFingerprint(a.labels);
        const list = this.episodes.get(f) ?? [];
        const startsAt = Date.parse(a.startsAt);
        let e = list.find((x) => x.startsAt === startsAt);
        if (!e) list.push((e = { startsAt }));
        if (a.status === 'resolved') e.resolvedAt ??= Date.parse(d.at);
        this.episodes.set(f, list);
      }
    }
  }

  /**
   * Joins across real incidents (or between noise and an incident) in paged incidents, as the join recorded them.
   * `weight` is what the join cost purity: the notified alerts outside their incident's majority that reached it
   * through this join (walking each one's chain of joins back to the first that crossed).
   */
  *merges(): Generator<Miss> {
    const weight = this.purityCost();
    const paged = new Set(this.run.sent.map((n) => n.incident));
    for (const j of this.run.joins) {
      if (!j.reason.joinedTo || !paged.has(j.incident)) continue;
      const mine = this.truth(j.fingerprint, j.at);
      const theirs = this.truth(j.reason.joinedTo, j.at);
      if (mine === theirs) continue;
      const relation = mine === null ? 'noise→real' : theirs === null ? 'real→noise' : 'real→other';
      const a = this.p.alerts.get(j.fingerprint)!;
      const b = this.p.alerts.get(j.reason.joinedTo)!;
      const gap = Math.round((j.startsAt - j.joinedToStartsAt!) / 1000);
      yield {
        type: 'merge',
        mechanism: `merge ${j.reason.kind} ${relation}`,
        weight: weight.get(j) ?? 0,
        detail: `${this.describe(a, j.startsAt)} [${mine ?? 'noise'}] joined ${this.describe(b, j.joinedToStartsAt)} [${theirs ?? 'noise'}] by ${j.reason.kind} (${j.reason.detail}), onset gap ${gap}s${this.mutedAtJoin(j)}; cost ${weight.get(j) ?? 0} notified alert(s)`,
      };
    }
  }

  /** The crossing join each notified minority alert owes its place to. */
  private purityCost(): Map<Join, number> {
    const cost = new Map<Join, number>();
    const notified = new Map<string, Array<[string, number]>>();
    for (const n of this.run.sent)
      for (const f of n.fingerprints)
        notified.set(n.incident, [...(notified.get(n.incident) ?? []), [f, n.at]]);
    for (const [incident, alerts] of notified) {
      const counts = new Map<string | null, number>();
      for (const [f, at] of alerts)
        counts.set(this.truth(f, at) ?? null, (counts.get(this.truth(f, at) ?? null) ?? 0) + 1);
      const majority = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      for (const [f, at] of alerts) {
        if ((this.truth(f, at) ?? null) === majority) continue;
        const crossing = this.crossingJoin(incident, f, majority);
        if (crossing) cost.set(crossing, (cost.get(crossing) ?? 0) + 1);
      }
    }
    return cost;
  }

  /** Walks an alert's joins back toward the opener to the first whose two sides differ in truth. */
  private crossingJoin(incident: string, fingerprint: string, majority: string | null): Join | undefined {
    const seen = new Set<string>();
    for (let f: string | undefined = fingerprint; f && !seen.has(f);) {
      seen.add(f);
      const j = this.joinOf.get(`${incident}/${f}`);
      if (!j?.reason.joinedTo) break;
      if ((this.truth(f, j.at) ?? null) !== (this.truth(j.reason.joinedTo, j.at) ?? null)) return j;
      f = j.reason.joinedTo;
    }
    // The minority opened the incident: the majority came in through a crossing join of its own.
    return this.run.joins.find(
      (j) =>
        j.incident === incident &&
        j.reason.joinedTo &&
        (this.truth(j.fingerprint, j.at) ?? null) === majority &&
        (this.truth(j.reason.joinedTo, j.at) ?? null) !== majority,
    );
  }

  /**
   * Real incidents paged from several engine incidents: why each extra one opened on its own, against the fragment
   * that paged most of its alerts.
   */
  *splits(real: Set<string>): Generator<Miss> {
    const fragments = new Map<string, Map<string, Set<string>>>();
    for (const n of this.run.sent) {
      for (const f of n.fingerprints) {
        const t = this.truth(f, n.at);
        if (t === null || t === undefined) continue;
        const byIncident = fragments.get(t) ?? new Map<string, Set<string>>();
        byIncident.set(n.incident, (byIncident.get(n.incident) ?? new Set()).add(f));
        fragments.set(t, byIncident);
      }
    }
    for (const truth of real) {
      const byIncident = [...(fragments.get(truth) ?? new Map<string, Set<string>>())].sort(
        (a, b) => b[1].size - a[1].size,
      );
      if (byIncident.length < 2) continue;
      const main = this.p.incidents.get(byIncident[0]![0])!;
      for (const [id] of byIncident.slice(1)) {
        const extra = this.p.incidents.get(id)!;
        const opened = this.joinOf.get(`${extra.id}/${extra.members[0]!.fingerprint}`)!;
        const opener = this.p.alerts.get(opened.fingerprint)!;
        const nearest = this.nearestSibling(opened, truth, main);
        const mine = this.majority(extra);
        yield {
          type: 'split',
          mechanism: `split ${this.whyApart(opener, opened.startsAt, nearest)}${mine === truth ? '' : ' (fragment owned by another)'}`,
          detail: `${truth}: ${extra.id} opened by ${this.describe(opener, opened.startsAt)}; main fragment ${main.id} (${main.title}); nearest alert of ${truth} there: ${nearest ? this.describe(this.p.alerts.get(nearest.fingerprint)!, nearest.startsAt) : 'none'}`,
        };
      }
    }
  }

  /** Real incidents no notification carried. */
  *missed(real: Set<string>): Generator<Miss> {
    const carried = new Set(this.run.sent.flatMap((n) => n.fingerprints.map((f) => this.truth(f, n.at))));
    for (const truth of real) {
      if (carried.has(truth)) continue;
      const mine = this.run.joins.filter((j) => this.truth(j.fingerprint, j.at) === truth);
      const fates = mine.map((j) => this.fate(j));
      const mechanism = fates.some((f) => f.includes('muted at join'))
        ? 'muted'
        : fates.some((f) => f.includes(', in paged '))
          ? 'joined a paged incident, never in a page'
          : 'held';
      // An incident of warnings only cannot page by the default rules however it is grouped: a paging question, not a
      // grouping one (on the development streams these were incidents whose root alert the generator left out).
      const pageless = mine.length > 0 && !mine.some((j) => this.mayPage(this.p.alerts.get(j.fingerprint)!));
      yield {
        type: 'missed',
        mechanism: `missed ${mechanism}${pageless ? ', no alert of it may page' : ''}`,
        detail: `${truth}: ${mine.length === 0 ? 'no alert reached the pipeline' : fates.join('; ')}`,
      };
    }
  }

  /** Notifications that carried only noise. */
  *noisePages(): Generator<Miss> {
    for (const n of this.run.sent) {
      if (n.fingerprints.some((f) => this.truth(f, n.at) !== null && this.truth(f, n.at) !== undefined))
        continue;
      const incident = this.p.incidents.get(n.incident)!;
      const alerts = n.fingerprints.map((f) => this.p.alerts.get(f)!);
      const lasted = alerts.map((a) => this.duration(a.fingerprint, a.startsAt));
      const why = n.kind === 'updated' ? 'update' : alerts.length >= 3 ? 'corroborated' : 'for T passed';
      const longest = Math.max(...lasted.map((s) => (Number.isFinite(s) ? s : 1e9)));
      const length = longest >= 1e9 ? 'still firing' : longest > 600 ? 'long (>10 min)' : 'short (≤10 min)';
      yield {
        type: 'noise',
        mechanism: `noise ${why}, ${length}, ${alerts.every((a) => a.labels.severity === 'critical') ? 'critical' : 'mixed/warning'}`,
        detail: `${n.kind} ${incident.id} at +${Math.round((n.at - incident.onsetAt) / 1000)}s of onset: ${alerts.map((a, i) => `${this.describe(a)} lasted ${Number.isFinite(lasted[i]!) ? `${lasted[i]}s` : '?'}`).join(', ')}`,
      };
    }
  }

  /** Whether the first paging rule matching the alert lets it page at all (PagingStage's rule order). */
  private mayPage(alert: TrackedAlert): boolean {
    const rule = this.p.config.pagingRules.find((r) =>
      matchesAll(r.matchers.map(parseMatcher), alert.labels),
    );
    return rule?.page ?? false;
  }

  private fate(j: Join): string {
    const a = this.p.alerts.get(j.fingerprint)!;
    const incident = this.p.incidents.get(j.incident)!;
    const muted = this.run.muteAtJoin.get(`${j.incident}/${j.fingerprint}`);
    const where =
      incident.notifiedAt !== undefined
        ? `in paged ${incident.id} (${incident.title}, majority ${this.majority(incident) ?? 'noise'})`
        : `in held ${incident.id} (${incident.heldBecause ?? 'resolved before paging'})`;
    return `${this.describe(a, j.startsAt)} ${j.reason.kind}${muted ? `, muted at join: ${muted}` : ''}, ${where}`;
  }

  private whyApart(opener: TrackedAlert, startsAt: number, sibling: Join | undefined): string {
    if (!sibling) return 'no sibling';
    const a = this.p.subjectOf(opener);
    const b = this.p.subjectOf(this.p.alerts.get(sibling.fingerprint)!);
    const gap = Math.abs(startsAt - sibling.startsAt) / 1000;
    const hops = a.service && b.service ? this.distance(a.service, b.service) : Infinity;
    const what = a.pod ? 'pod' : a.service ? 'service' : a.node ? 'node' : 'unscoped';
    const order =
      a.service && b.service && hops === 1
        ? this.p.topology.calleesOf(a.service).has(b.service)
          ? ' caller-of'
          : ' callee-of'
        : '';
    const window = this.p.config.groupWindowSeconds;
    return `${what} ${hops === Infinity ? 'unconnected' : `${hops} hop${hops === 1 ? '' : 's'}${order}`}${gap > window ? ', onsets beyond the group window' : ''}`;
  }

  private distance(from: string, to: string): number {
    if (from === to) return 0;
    let frontier = [from];
    const seen = new Set(frontier);
    for (let d = 1; d <= 4; d++) {
      const next: string[] = [];
      for (const s of frontier) {
        for (const n of this.p.topology.neighboursOf(s)) {
          if (seen.has(n)) continue;
          seen.add(n);
          next.push(n);
        }
      }
      if (next.includes(to)) return d;
      frontier = next;
    }
    return Infinity;
  }

  /** The alert of `truth` in `incident` whose onset (as it joined) is nearest the opener's. */
  private nearestSibling(opened: Join, truth: string, incident: Incident): Join | undefined {
    let best: Join | undefined;
    for (const m of incident.members) {
      const j = this.joinOf.get(`${incident.id}/${m.fingerprint}`);
      if (!j || this.truth(j.fingerprint, j.at) !== truth) continue;
      if (!best || Math.abs(j.startsAt - opened.startsAt) < Math.abs(best.startsAt - opened.startsAt))
        best = j;
    }
    return best;
  }

  private majority(incident: Incident): string | null | undefined {
    const counts = new Map<string | null | undefined, number>();
    for (const m of incident.members) {
      const t = this.truth(m.fingerprint, incident.openedAt);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  private truth(fingerprint: string, at: number): string | null | undefined {
    return this.truthAt(fingerprint, at);
  }

  private duration(fingerprint: string, startsAt: number): number {
    const e = this.episodes.get(fingerprint)?.find((x) => x.startsAt === startsAt);
    return e?.resolvedAt !== undefined ? Math.round((e.resolvedAt - startsAt) / 1000) : Infinity;
  }

  private mutedAtJoin(j: Join): string {
    const muted = this.run.muteAtJoin.get(`${j.incident}/${j.fingerprint}`);
    return muted ? `; muted at join: ${muted}` : '';
  }

  private describe(a: TrackedAlert, startsAt = a.startsAt): string {
    const s = this.p.subjectOf(a);
    const where = s.pod
      ? `pod ${s.pod}${s.node ? `@${s.node}` : ''}`
      : s.service
        ? s.service
        : s.node
          ? `node ${s.node}`
          : '-';
    return `${a.labels.alertname ?? a.fingerprint}/${a.labels.severity ?? '-'} ${where} @${new Date(startsAt).toISOString().slice(11, 19)}`;
  }
}

const KEYS = ['reduction', 'incident_recall', 'purity', 'fragmentation', 'noise_paged'] as const;

function main(): void {
  const args = process.argv.slice(2);
  const base = process.env.INIT_CWD ?? process.cwd();
  const configAt = args.indexOf('--config');
  const overrides =
    configAt >= 0
      ? (JSON.parse(readFileSync(resolve(base, args[configAt + 1]!), 'utf8')) as Record<string, unknown>)
      : {};
  const summary = args.includes('--summary');
  const dirs = args
    .filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--config')
    .map((d) => resolve(base, d));
  if (dirs.length === 0)
    throw new Error('usage: diagnoseStream.ts DIR [DIR ...] [--config overrides.json] [--summary]');
  const totals = new Map<string, [number, number]>();
  for (const dir of dirs) {
    const d = diagnose(dir, overrides);
    for (const m of d.misses) {
      const [count, weight] = totals.get(m.mechanism) ?? [0, 0];
      totals.set(m.mechanism, [count + 1, weight + (m.weight ?? 1)]);
    }
    const line = KEYS.map((k) => `${k} ${d.scores[k]!.toFixed(3)}`).join('  ');
    const impure = d.misses.reduce((n, m) => n + (m.type === 'merge' ? (m.weight ?? 0) : 0), 0);
    console.log(
      `${d.stream.padEnd(14)} ${line}  notifications ${d.scores.notifications}  delay ${d.scores.mean_notification_delay_s!.toFixed(0)}s  impure alerts traced ${impure}`,
    );
    if (summary) continue;
    for (const m of d.misses) console.log(`  [${m.mechanism}] ${m.detail}`);
  }
  console.log('\nmisses by mechanism (all streams): count, weight (merges: notified alerts made impure)');
  for (const [k, [count, weight]] of [...totals].sort((a, b) => b[1][1] - a[1][1]))
    console.log(`  ${String(count).padStart(4)} ${String(weight).padStart(5)}  ${k}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
