import type { AlertsConfig } from './config.js';
import { AlertTopology, type AlertSubject } from './AlertTopology.js';
import {
  createStages,
  type AlertStage,
  type LinkProposal,
  type PipelineState,
  type Stages,
} from './stages/index.js';
import type { SuppressionWindow } from './stages/SuppressionWindowStage.js';
import type { AlertEvent, Incident, MergeReason, MuteReason, PipelineOutput, TrackedAlert } from './types.js';
import type { ServiceEdge } from '../topology/ConfiguredServiceGraph.js';

/** Which link wins when an alert could join several incidents: the most specific evidence first. */
const LINK_STRENGTH: Record<string, number> = {
  'alertmanager-group': 0,
  'kubernetes-owner': 1,
  // A pod failing after its node did is explained by the node (KubernetesChainStage checks the order).
  'kubernetes-node': 2,
  labels: 3,
  'same-service': 4,
  'service-graph': 5,
};

const RECHECK_MS = 60_000;
const MAX_RESOLUTION_LATENCY_MS = 15 * 60_000;
const MIN_GAP_MS = 1_000;
const BRIDGING_MUTES = new Set(['inhibited', 'topology-inhibited']);

const SEVERITY_RANK: Record<string, number> = {
  critical: 4,
  page: 4,
  error: 3,
  warning: 2,
  info: 1,
  none: 0,
};

export interface PipelineCounters {
  deliveries: number;
  alerts: number;
  accepted: number;
  duplicates: number;
  stale: number;
  incidents: number;
  notifications: number;
  /** Sum over notified incidents of (notification time − receipt of the alert that opened it), ms. */
  notificationDelayMsSum: number;
  truncatedAlerts: number;
}

/**
 * The noise-reduction pipeline: a deterministic state machine over alert events on a clock it is given (wall time
 * in the engine, a virtual clock in the benchmark and on replay after a restart). It holds no I/O: the AlertService
 * makes events durable first, then feeds them here and persists what changed.
 */
export class AlertPipeline implements PipelineState {
  readonly alerts = new Map<string, TrackedAlert>();
  readonly incidents = new Map<string, Incident>();
  topology: AlertTopology;
  private readonly stages: Stages;
  /**
   * The stages implementing each hook, in registration order: the per-alert loops skip the others without a lookup of
   * an absent property on each of the 12 stages (observe's own time was 1.9% of the engine's CPU in alert-noise's
   * storm, most of it these loops). Stages set their hooks in their constructors; the lists never change.
   */
  private readonly hooks: { [K in 'accept' | 'observe' | 'mute' | 'link' | 'hold']: AlertStage[] };
  private readonly pending = new Set<string>();
  private readonly recheckAt = new Map<string, number>();
  /** Alerts that joined an incident after it paged and began after it: candidates for an update notification. */
  private readonly unannounced = new Map<string, Set<string>>();
  private readonly lastUpdateAt = new Map<string, number>();
  /** groupKey → [last delivery, smallest gap between two of its deliveries]. */
  private readonly groupCadence = new Map<string, [number, number]>();
  private cadenceLearned = 0;
  private readonly groupEnded = new Set<string>();
  private typicalGapCache: [number, number] | undefined;
  private readonly open = new Set<string>();
  private readonly flapHeld = new Set<string>();
  private readonly expiring = new Set<string>();
  private readonly subjects = new Map<string, AlertSubject>();
  /** service → namespaces its alerts came from (AlertTopology.calls); outlives graph changes. */
  private readonly namespacesSeen = new Map<string, Set<string>>();
  private readonly windowMs: number;
  private readonly spanMs: number;
  private lastPendingCheck = -Infinity;
  /** While the service replays its log after a restart, nothing pages: what was paged is in the log (markNotified). */
  replaying = false;
  private readonly counters = {
    deliveries: 0,
    alerts: 0,
    accepted: 0,
    incidents: 0,
    notifications: 0,
    notificationDelayMsSum: 0,
    truncatedAlerts: 0,
  };

  constructor(
    readonly config: AlertsConfig,
    edges: ServiceEdge[],
  ) {
    this.topology = new AlertTopology(
      edges,
      config.serviceLabels,
      config.knownServiceLabels,
      this.namespacesSeen,
    );
    this.windowMs = config.groupWindowSeconds * 1000;
    this.spanMs = config.maxIncidentSpanSeconds * 1000;
    this.stages = createStages(config, (alert, now) => this.muteOf(alert, now));
    const having = (hook: keyof AlertPipeline['hooks']) =>
      this.stages.all.filter((stage) => stage[hook] !== undefined);
    this.hooks = {
      accept: having('accept'),
      observe: having('observe'),
      mute: having('mute'),
      link: having('link'),
      hold: having('hold'),
    };
  }

  /**
   * The service graph changed (the edge query found new calls, an admin stored a graph): later alerts group along
   * the new one; what already joined stays joined. Subjects are re-read, since a service name may now be known.
   */
  setTopology(edges: ServiceEdge[]): void {
    this.topology = new AlertTopology(
      edges,
      this.config.serviceLabels,
      this.config.knownServiceLabels,
      this.namespacesSeen,
    );
    this.subjects.clear();
  }

  /** One delivery (a webhook body, a poll, one internal alert): its alerts in order, then a clock tick. */
  ingest(events: AlertEvent[], now: number, delivery: { truncatedAlerts?: number } = {}): PipelineOutput {
    const out = emptyOutput();
    this.counters.deliveries++;
    this.counters.alerts += events.length;
    const acceptedBefore = this.counters.accepted;
    for (const event of events) this.observe(event, now, out);
    // Only deliveries that carried news mark the dispatcher's flushes; re-sends and retried old payloads do not.
    if (this.counters.accepted > acceptedBefore)
      this.learnCadence(
        events[0]?.groupKey,
        now,
        events.every((e) => e.status === 'resolved'),
      );
    if (delivery.truncatedAlerts) this.noteTruncated(events, delivery.truncatedAlerts, out);
    this.tick(now, out);
    return out;
  }

  /** Advances the clock: expires alerts past their endsAt, releases incidents whose gates opened, resolves. */
  tick(now: number, out: PipelineOutput = emptyOutput()): PipelineOutput {
    for (const fingerprint of this.expiring) {
      const alert = this.alerts.get(fingerprint)!;
      if (alert.status !== 'firing' || alert.endsAt === undefined) this.expiring.delete(fingerprint);
      else if (alert.endsAt <= now) this.observe({ ...alert, status: 'resolved', receivedAt: now }, now, out);
    }
    if (now - this.lastPendingCheck < this.config.tickSeconds * 1000) {
      // Between clock ticks only what this step touched is looked at: ingest cost stays flat as incidents pile up.
      if (!this.replaying)
        for (const id of [...out.changedIncidents])
          if (this.pending.has(id)) this.release(this.incidents.get(id)!, now, out);
      return out;
    }
    this.lastPendingCheck = now;
    if (!this.replaying) {
      for (const id of this.pending)
        if (now >= (this.recheckAt.get(id) ?? 0)) this.release(this.incidents.get(id)!, now, out);
      if (this.config.notify.updates)
        for (const id of [...this.unannounced.keys()]) this.announce(id, now, out);
    }
    // Incidents held open by a flapping alert resolve once it has been quiet long enough.
    for (const id of this.flapHeld) {
      const incident = this.incidents.get(id)!;
      if (incident.status !== 'open' || !this.hasFlapping(incident)) this.flapHeld.delete(id);
      else this.maybeResolve(incident, now, out);
    }
    return out;
  }

  resolutionLatencyOf(alert: TrackedAlert): number {
    if (alert.source !== 'alertmanager') return 0;
    const gap = alert.groupKey ? this.groupCadence.get(alert.groupKey)?.[1] : undefined;
    // A group's smallest gap is only an upper bound on its group_interval (gaps are whole multiples of it): a group
    // seen twice, firing and then resolved 40 minutes later, would wait 40 minutes. The others' rhythm bounds it.
    const known =
      gap !== undefined && Number.isFinite(gap) ? Math.min(gap, this.typicalGap()) : this.typicalGap();
    return Math.min(known, MAX_RESOLUTION_LATENCY_MS);
  }

  /** A group not seen twice yet is judged by the median rhythm of the others (one Alertmanager, one config). */
  private typicalGap(): number {
    if (this.typicalGapCache && this.typicalGapCache[0] === this.cadenceLearned)
      return this.typicalGapCache[1];
    const gaps = [...this.groupCadence.values()]
      .map(([, gap]) => gap)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const typical =
      gaps.length === 0
        ? this.config.defaultResolutionLatencySeconds * 1000
        : gaps[Math.floor(gaps.length / 2)]!;
    this.typicalGapCache = [this.cadenceLearned, typical];
    return typical;
  }

  /**
   * Alertmanager flushes a group on a grid (group_wait, then every group_interval) and drops the group once it sent
   * it all resolved; a new alert starts a new grid. So the smallest gap between two deliveries with news inside one
   * group's life is its group_interval.
   */
  private learnCadence(groupKey: string | undefined, now: number, allResolved: boolean): void {
    if (!groupKey) return;
    const seen = this.groupCadence.get(groupKey);
    const ended = this.groupEnded.has(groupKey);
    if (allResolved) this.groupEnded.add(groupKey);
    else this.groupEnded.delete(groupKey);
    if (!seen || ended) {
      if (seen) seen[0] = now;
      else this.groupCadence.set(groupKey, [now, Infinity]);
      return;
    }
    const gap = now - seen[0];
    // Gaps under MIN_GAP_MS are retries or bursts, not the dispatcher's rhythm.
    if (gap >= MIN_GAP_MS && gap < seen[1]) {
      seen[1] = gap;
      this.cadenceLearned++;
    }
    seen[0] = Math.max(seen[0], now);
  }

  muteOf(alert: TrackedAlert, now: number): MuteReason | undefined {
    for (const stage of this.hooks.mute) {
      const reason = stage.mute!(alert, this, now);
      if (reason) return reason;
    }
    return undefined;
  }

  subjectOf(alert: TrackedAlert): AlertSubject {
    let subject = this.subjects.get(alert.fingerprint);
    if (!subject) this.subjects.set(alert.fingerprint, (subject = this.topology.subjectOf(alert.labels)));
    return subject;
  }

  activeIncidentOf(
    fingerprint: string,
    now: number,
    onset: number,
    accept?: (member: string) => boolean,
  ): Incident | undefined {
    const alert = this.alerts.get(fingerprint);
    if (!alert?.incidentId) return undefined;
    const incident = this.incidents.get(alert.incidentId);
    if (!incident || incident.status !== 'open') return undefined;
    // Onsets close in time: a cascade spreads within minutes; a later failure next door is a new incident. Both to
    // the member it links through and to the incident's own onset, or chains of neighbours would grow without end.
    if (Math.abs(onset - alert.startsAt) > this.windowMs || onset - incident.onsetAt > this.spanMs)
      return undefined;
    // Only a firing member bridges: one that already resolved ended its part; a new alert next to it is news.
    if (alert.status !== 'firing') return undefined;
    // The stage's own test after the cheap ones above and before the mute stages (see PipelineState).
    if (accept && !accept(fingerprint)) return undefined;
    // A flapping, suppressed or repair-caused member is no bridge for other alerts; an inhibited one (an echo of a
    // cause in the same incident) still is.
    const mute = this.muteOf(alert, now);
    return !mute || BRIDGING_MUTES.has(mute.kind) ? incident : undefined;
  }

  addSuppression(window: SuppressionWindow): void {
    this.stages.suppressions.add(window);
  }

  expireSuppression(id: string, at: number): SuppressionWindow | undefined {
    return this.stages.suppressions.expire(id, at);
  }

  suppressions(): SuppressionWindow[] {
    return this.stages.suppressions.list();
  }

  acknowledge(id: string, by: string, now: number): Incident | undefined {
    const incident = this.incidents.get(id);
    if (!incident) return undefined;
    incident.acknowledgedAt ??= now;
    incident.acknowledgedBy ??= by;
    incident.updatedAt = now;
    return incident;
  }

  /** An operator closes it; its alerts stay tracked, and a new episode of one of them opens a new incident. */
  resolveIncident(id: string, now: number): Incident | undefined {
    const incident = this.incidents.get(id);
    if (!incident) return undefined;
    if (incident.status === 'open') this.close(incident, now, undefined);
    return incident;
  }

  /** Replays a notification from the log: the incident counts as paged at `at`, and is not paged again. */
  markNotified(id: string, at: number): void {
    const incident = this.incidents.get(id);
    if (!incident || incident.notifiedAt !== undefined) return;
    this.notified(incident, at);
  }

  linkRca(id: string, rcaId: string): void {
    const incident = this.incidents.get(id);
    if (incident) incident.rcaId = rcaId;
  }

  /** Deliveries' alerts seen before, so far (per delivery on the ingest path, without copying every counter). */
  duplicates(): number {
    return this.stages.dedup.duplicates;
  }

  stats(): PipelineCounters {
    return { ...this.counters, duplicates: this.stages.dedup.duplicates, stale: this.stages.dedup.stale };
  }

  private observe(delivered: AlertEvent, now: number, out: PipelineOutput): void {
    const event = delivered.startsAtUnset ? this.withOnset(delivered) : delivered;
    for (const stage of this.hooks.accept) if (stage.accept!(event, this) === 'drop') return;
    this.counters.accepted++;
    out.changedAlerts.add(event.fingerprint);
    const previous = this.alerts.get(event.fingerprint);
    const previousStatus = previous?.status;
    const alert = previous ?? this.track(event, now);
    const newEpisode = previous !== undefined && event.startsAt > previous.startsAt;
    alert.status = event.status;
    alert.startsAt = event.startsAt;
    alert.lastSeenAt = now;
    alert.annotations = event.annotations;
    if (event.endsAt !== undefined) alert.endsAt = event.endsAt;
    else delete alert.endsAt;
    if (event.groupKey) alert.groupKey = event.groupKey;
    if (event.status === 'firing') alert.firingDeliveries++;
    if (event.status === 'firing' && alert.endsAt !== undefined) this.expiring.add(alert.fingerprint);
    for (const stage of this.hooks.observe) stage.observe!(alert, previousStatus, this, now);
    if (alert.flapping && alert.incidentId) this.flapHeld.add(alert.incidentId);

    const current = alert.incidentId ? this.incidents.get(alert.incidentId) : undefined;
    if (
      current?.status === 'open' &&
      (!newEpisode || alert.flapping || this.activeIncidentOf(alert.fingerprint, now, alert.startsAt))
    ) {
      current.updatedAt = now;
      out.changedIncidents.add(current.id);
      if (alert.status === 'resolved') this.maybeResolve(current, now, out);
      return;
    }
    if (alert.status === 'firing') this.assign(alert, now, out);
  }

  /**
   * An event that gave no startsAt, as Alertmanager merges it: an alert still firing keeps its onset (so a re-send is a
   * duplicate), and so does a re-sent resolution; otherwise a firing starts at receipt and a resolution at its endsAt.
   */
  private withOnset(event: AlertEvent): AlertEvent {
    const { startsAtUnset: _unset, ...rest } = event;
    const known = this.alerts.get(event.fingerprint);
    if (known && (known.status === 'firing' || event.status === 'resolved'))
      return { ...rest, startsAt: known.startsAt };
    if (event.status === 'resolved' && event.endsAt !== undefined)
      return { ...rest, startsAt: Math.min(event.startsAt, event.endsAt) };
    return rest;
  }

  private track(event: AlertEvent, now: number): TrackedAlert {
    const alert: TrackedAlert = {
      fingerprint: event.fingerprint,
      status: event.status,
      labels: event.labels,
      annotations: event.annotations,
      startsAt: event.startsAt,
      source: event.source,
      firstSeenAt: now,
      lastSeenAt: now,
      firingDeliveries: 0,
      transitions: [],
      flapping: false,
    };
    this.alerts.set(alert.fingerprint, alert);
    return alert;
  }

  private assign(alert: TrackedAlert, now: number, out: PipelineOutput): void {
    const proposals: LinkProposal[] = [];
    for (const stage of this.hooks.link) proposals.push(...stage.link!(alert, this, now));
    const best = pickProposal(proposals, this.incidents);
    if (best) this.join(this.incidents.get(best.incidentId)!, alert, best.reason, now, out);
    else this.openIncident(alert, now, out);
  }

  private join(
    incident: Incident,
    alert: TrackedAlert,
    reason: MergeReason,
    now: number,
    out: PipelineOutput,
  ): void {
    alert.incidentId = incident.id;
    alert.merge = reason;
    incident.members.push({ fingerprint: alert.fingerprint, reason });
    if (incident.notifiedAt !== undefined && alert.startsAt > incident.notifiedAt) {
      const waiting = this.unannounced.get(incident.id) ?? new Set<string>();
      this.unannounced.set(incident.id, waiting.add(alert.fingerprint));
    }
    out.joined.push({ incidentId: incident.id, fingerprint: alert.fingerprint, reason });
    this.describe(incident, alert);
    incident.updatedAt = now;
    out.changedIncidents.add(incident.id);
  }

  private openIncident(alert: TrackedAlert, now: number, out: PipelineOutput): void {
    let id = `inc-${incidentHash(`${alert.fingerprint}:${alert.startsAt}`)}`;
    for (let n = 2; this.incidents.has(id); n++) id = `${id.split('.')[0]}.${n}`;
    const subject = this.subjectOf(alert);
    const reason: MergeReason = {
      kind: 'opened',
      detail: `opened by ${alert.labels.alertname ?? alert.fingerprint}${subject.service ? ` on ${subject.service}` : ''}`,
    };
    const incident: Incident = {
      id,
      status: 'open',
      title: `${alert.labels.alertname ?? 'alert'}${subject.service ? ` on ${subject.service}` : subject.node ? ` on node ${subject.node}` : ''}`,
      severity: alert.labels.severity ?? 'none',
      openedAt: now,
      onsetAt: alert.startsAt,
      updatedAt: now,
      members: [],
      services: [],
      truncatedAlerts: 0,
    };
    this.incidents.set(id, incident);
    this.counters.incidents++;
    this.pending.add(id);
    this.open.add(id);
    this.join(incident, alert, reason, now, out);
  }

  private describe(incident: Incident, alert: TrackedAlert): void {
    const service = this.subjectOf(alert).service;
    if (service && !incident.services.includes(service)) incident.services.push(service);
    const severity = alert.labels.severity ?? 'none';
    if ((SEVERITY_RANK[severity] ?? 0) > (SEVERITY_RANK[incident.severity] ?? 0))
      incident.severity = severity;
  }

  private release(incident: Incident, now: number, out: PipelineOutput): void {
    if (incident.status !== 'open' || incident.notifiedAt !== undefined) {
      this.pending.delete(incident.id);
      return;
    }
    let held: string | undefined;
    for (const stage of this.hooks.hold) {
      held = stage.hold!(incident, this, now);
      if (held) break;
    }
    if (held) {
      if (incident.heldBecause !== held) out.changedIncidents.add(incident.id);
      incident.heldBecause = held;
      // Looked at again when it changes, when its earliest "for T" runs out, or a minute on (mutes end, windows close).
      this.recheckAt.set(incident.id, Math.min(now + RECHECK_MS, this.stages.paging.wakeAt(incident, this)));
      return;
    }
    this.recheckAt.delete(incident.id);
    this.notified(incident, now);
    out.notifications.push({
      incident: incident.id,
      fingerprints: this.firingMembers(incident, now),
      at: now,
      kind: 'opened',
    });
    out.changedIncidents.add(incident.id);
  }

  /**
   * An incident that paged and then took in an alert that would page by itself (a failure that began after the
   * page, joined through an edge or label) sends one update, at most one per group window: otherwise a second
   * failure next door would reach no one.
   */
  private announce(id: string, now: number, out: PipelineOutput): void {
    const incident = this.incidents.get(id)!;
    const waiting = this.unannounced.get(id)!;
    for (const f of waiting)
      if (this.alerts.get(f)?.incidentId !== id || this.alerts.get(f)?.status !== 'firing') waiting.delete(f);
    if (incident.status !== 'open' || waiting.size === 0) {
      this.unannounced.delete(id);
      return;
    }
    if (now - (this.lastUpdateAt.get(id) ?? -Infinity) < this.windowMs) return;
    const ready = [...waiting].filter((f) =>
      this.stages.paging.pagesAlone(this.alerts.get(f)!, incident, this, now),
    );
    if (ready.length === 0) return;
    for (const f of ready) waiting.delete(f);
    this.lastUpdateAt.set(id, now);
    this.counters.notifications++;
    out.notifications.push({ incident: id, fingerprints: ready, at: now, kind: 'updated' });
    out.changedIncidents.add(id);
  }

  /** Replays a resolution notice from the log (the resolution itself is replayed with the deliveries). */
  markResolvedNotice(): void {
    this.counters.notifications++;
  }

  /** Replays an update notification from the log. */
  markUpdated(id: string, fingerprints: string[], at: number): void {
    const waiting = this.unannounced.get(id);
    for (const f of fingerprints) waiting?.delete(f);
    this.lastUpdateAt.set(id, at);
    this.counters.notifications++;
  }

  private notified(incident: Incident, now: number): void {
    delete incident.heldBecause;
    incident.notifiedAt = now;
    this.pending.delete(incident.id);
    this.counters.notifications++;
    this.counters.notificationDelayMsSum += now - incident.openedAt;
  }

  /** What a page carries: the incident's firing alerts that are not muted (all firing ones if every one is muted). */
  private firingMembers(incident: Incident, now: number): string[] {
    const firing = incident.members
      .map((m) => this.alerts.get(m.fingerprint)!)
      .filter((alert) => alert?.incidentId === incident.id && alert.status === 'firing');
    const unmuted = firing.filter((alert) => !this.muteOf(alert, now));
    return (unmuted.length > 0 ? unmuted : firing).map((a) => a.fingerprint);
  }

  private maybeResolve(incident: Incident, now: number, out: PipelineOutput): void {
    const done = (fingerprint: string) => {
      const alert = this.alerts.get(fingerprint);
      return (
        !alert ||
        alert.incidentId !== incident.id ||
        (alert.status === 'resolved' && !this.stillFlapping(alert, now))
      );
    };
    const members = incident.members;
    const resolved =
      this.config.resolvePolicy === 'first'
        ? done(members[0]!.fingerprint)
        : this.config.resolvePolicy === 'last'
          ? done(members[members.length - 1]!.fingerprint)
          : members.every((m) => done(m.fingerprint));
    if (resolved) this.close(incident, now, out);
  }

  private stillFlapping(alert: TrackedAlert, now: number): boolean {
    return alert.flapping && this.muteOf(alert, now)?.kind === 'flapping';
  }

  private hasFlapping(incident: Incident): boolean {
    return incident.members.some((m) => this.alerts.get(m.fingerprint)?.flapping);
  }

  private close(incident: Incident, now: number, out: PipelineOutput | undefined): void {
    incident.status = 'resolved';
    incident.resolvedAt = now;
    incident.updatedAt = now;
    delete incident.heldBecause;
    this.pending.delete(incident.id);
    this.recheckAt.delete(incident.id);
    this.unannounced.delete(incident.id);
    this.open.delete(incident.id);
    out?.changedIncidents.add(incident.id);
    if (out && !this.replaying && incident.notifiedAt !== undefined && this.config.notify.resolved) {
      this.counters.notifications++;
      out.notifications.push({
        incident: incident.id,
        fingerprints: incident.members.map((m) => m.fingerprint),
        at: now,
        kind: 'resolved',
      });
    }
  }

  private noteTruncated(events: AlertEvent[], truncated: number, out: PipelineOutput): void {
    const id = events.map((e) => this.alerts.get(e.fingerprint)?.incidentId).find(Boolean);
    const incident = id ? this.incidents.get(id) : undefined;
    if (!incident) {
      this.counters.truncatedAlerts += truncated;
      return;
    }
    // A re-send of the same truncated group is not counted again: only the growth of what is missing.
    if (truncated <= incident.truncatedAlerts) return;
    this.counters.truncatedAlerts += truncated - incident.truncatedAlerts;
    incident.truncatedAlerts = truncated;
    out.changedIncidents.add(incident.id);
  }
}

/**
 * A stable id from the opening alert, so a replay after a restart names incidents the same: two FNV-1a 32 passes
 * with different offsets (48 bits used). node:crypto's sha1 cost 60 µs per incident on a loaded machine.
 */
function incidentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return ((a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')).slice(0, 12);
}

export function emptyOutput(): PipelineOutput {
  return { changedIncidents: new Set(), changedAlerts: new Set(), notifications: [], joined: [] };
}

function pickProposal(
  proposals: LinkProposal[],
  incidents: ReadonlyMap<string, Incident>,
): LinkProposal | undefined {
  let best: LinkProposal | undefined;
  for (const p of proposals) {
    if (!best) {
      best = p;
      continue;
    }
    const strength = (LINK_STRENGTH[p.reason.kind] ?? 9) - (LINK_STRENGTH[best.reason.kind] ?? 9);
    const older = incidents.get(p.incidentId)!.openedAt < incidents.get(best.incidentId)!.openedAt;
    if (strength < 0 || (strength === 0 && older)) best = p;
  }
  return best;
}

export type { AlertStage };
