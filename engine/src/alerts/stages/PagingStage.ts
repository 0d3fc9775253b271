import type { AlertStage, PipelineState } from './AlertStage.js';
import type { AlertsConfig } from '../config.js';
import { matchesAll, parseMatcher, type LabelMatcher } from '../matchers.js';
import type { Incident, TrackedAlert } from '../types.js';

interface PagingRule {
  matchers: LabelMatcher[];
  page: boolean;
  forMs: number;
  afterCount: number;
  nOfM?: { n: number; m: number };
}

/**
 * The gate before an incident pages. It pages when one of its unmuted firing alerts is ready by the first paging rule
 * that matches it ("for T": firing that long; "after N": N alerts of the rule in the incident; "N of M": N of the
 * rule's last M alerts in the incident still firing), or when enough unmuted alerts on enough services corroborate
 * each other. Everything else holds, with the reason shown on the incident.
 */
export class PagingStage implements AlertStage {
  readonly name = 'paging';
  private readonly rules: PagingRule[];

  constructor(
    config: Pick<AlertsConfig, 'pagingRules' | 'corroboration'>,
    private readonly muteOf: (alert: TrackedAlert, now: number) => unknown,
  ) {
    this.rules = config.pagingRules.map((r) => ({
      matchers: r.matchers.map(parseMatcher),
      page: r.page,
      forMs: r.forSeconds * 1000,
      afterCount: r.afterCount,
      ...(r.nOfM ? { nOfM: r.nOfM } : {}),
    }));
    this.corroboration = config.corroboration;
  }

  private readonly corroboration: AlertsConfig['corroboration'];

  hold: AlertStage['hold'] = (incident, state, now) => {
    const members = incident.members
      .map((m) => state.alerts.get(m.fingerprint))
      .filter((a): a is TrackedAlert => !!a);
    const live = members.filter((a) => a.status === 'firing' && !this.muteOf(a, now));
    if (live.length === 0) return 'every alert is resolved or muted';
    let why = 'no alert is ready by its paging rule';
    let pageable = false;
    for (const alert of live) {
      const verdict = this.ready(alert, members, now, state);
      if (verdict === true) return undefined;
      pageable ||= verdict.pageable;
      why = verdict.why;
    }
    // Corroboration pages before "for T" runs out, but only with an alert that may page at all among them.
    const services = new Set(live.map((a) => state.subjectOf(a).service ?? a.fingerprint));
    if (pageable && live.length >= this.corroboration.alerts && services.size >= this.corroboration.services)
      return undefined;
    return why;
  };

  /** Whether this alert would page an incident by itself now (unmuted, firing, ready by its rule). */
  pagesAlone(alert: TrackedAlert, incident: Incident, state: PipelineState, now: number): boolean {
    if (alert.status !== 'firing' || this.muteOf(alert, now)) return false;
    const members = incident.members
      .map((m) => state.alerts.get(m.fingerprint))
      .filter((a): a is TrackedAlert => !!a);
    return this.ready(alert, members, now, state) === true;
  }

  /** The earliest time a held incident's firing alert passes its "for T" (Infinity when none is waiting on time). */
  wakeAt(incident: Incident, state: PipelineState): number {
    let at = Infinity;
    for (const m of incident.members) {
      const alert = state.alerts.get(m.fingerprint);
      if (!alert || alert.status !== 'firing') continue;
      const rule = this.rules.find((r) => matchesAll(r.matchers, alert.labels));
      if (rule?.page)
        at = Math.min(
          at,
          alert.startsAt + rule.forMs + (rule.forMs > 0 ? state.resolutionLatencyOf(alert) : 0),
        );
    }
    return at;
  }

  private ready(
    alert: TrackedAlert,
    members: TrackedAlert[],
    now: number,
    state: PipelineState,
  ): true | { why: string; pageable: boolean } {
    const rule = this.rules.find((r) => matchesAll(r.matchers, alert.labels));
    if (!rule || !rule.page) return { why: `${name(alert)} does not page on its own`, pageable: false };
    const hold = (why: string) => ({ why, pageable: true });
    if (now - alert.startsAt < rule.forMs)
      return hold(`${name(alert)} has fired for less than ${rule.forMs / 1000}s`);
    // "for T" is judged on what is known: a resolution Alertmanager holds back until its next flush must have had
    // its chance to arrive, or a blip that already ended would page.
    const latency = state.resolutionLatencyOf(alert);
    if (rule.forMs > 0 && now - alert.startsAt < rule.forMs + latency) {
      return hold(
        `${name(alert)} waits ${Math.round(latency / 1000)}s more for a resolution Alertmanager may still send`,
      );
    }
    const ofRule = members.filter((m) => matchesAll(rule.matchers, m.labels));
    if (ofRule.length < rule.afterCount)
      return hold(`${ofRule.length} of the ${rule.afterCount} alerts its rule waits for`);
    if (rule.nOfM) {
      const recent = ofRule.sort((a, b) => a.startsAt - b.startsAt).slice(-rule.nOfM.m);
      const firing = recent.filter((m) => m.status === 'firing').length;
      if (firing < rule.nOfM.n)
        return hold(
          `${firing} of the last ${recent.length} alerts of its rule firing; ${rule.nOfM.n} needed`,
        );
    }
    return true;
  }
}

function name(alert: TrackedAlert): string {
  return alert.labels.alertname ?? alert.fingerprint;
}
