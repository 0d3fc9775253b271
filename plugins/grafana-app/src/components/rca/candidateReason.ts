import { describeDeviation } from '@ai-cloudops/engine-client';
import type { RcaCandidate } from '../../api/types';
import { t } from '@grafana/i18n';
import { UNESCAPED } from '../../locales/unescaped';
import { utcClock } from '../../utils/utcTime';

export function fmt(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(3)).toString() : String(value);
}

/**
 * One sentence on why a candidate ranks where it does: its strongest signal's move, and the change or warning that
 * came with it. Built from the evidence alone so it always agrees with the lines below it.
 */
export function candidateReason(c: RcaCandidate): string {
  const m = c.evidence.metrics[0];
  const unit = m?.unit ? ` ${m.unit}` : '';
  // Whole sentences per case rather than English fragments glued together, so a translation can reorder them.
  const move = m
    ? t('rca.reason.move', '{{signal}} went from {{from}} to {{to}}{{unit}} ({{deviation}})', {
        signal: signalLabel(m.signal),
        from: fmt(m.baselineMedian),
        to: fmt(m.incidentValue),
        unit,
        deviation: deviationText(m),
        ...UNESCAPED,
      })
    : t('rca.reason.moved', '{{signal}} moved', {
        signal: c.signal ? signalLabel(c.signal) : t('rca.reason.its-signals', 'its signals'),
        ...UNESCAPED,
      });
  // A change after the signal moved did not come before it: the demo's OOM kill read "error_ratio went from 0.00247
  // to 0.202 ... after a restart at 22:34:39 UTC" for a move at 22:11:55 (a restart's time is its latest).
  const onset = m?.changePoint;
  const change = [...c.evidence.changes]
    .filter((x) => onset === undefined || x.time <= onset)
    .sort((a, b) => a.time - b.time)[0];
  const warning = c.evidence.events.find((e) => e.type === 'Warning');
  const values = { service: c.service, move, ...UNESCAPED };
  if (change) {
    return t('rca.reason.after-change', '{{service}}: {{move}} after a {{kind}} at {{time}}.', {
      ...values,
      kind: changeKindLabel(change.kind),
      time: utcClock(change.time),
    });
  }
  if (warning) {
    return t('rca.reason.with-warning', '{{service}}: {{move}} with {{reason}} events on {{object}}.', {
      ...values,
      reason: warning.reason,
      object: warning.object,
    });
  }
  return t('rca.reason.plain', '{{service}}: {{move}}.', values);
}

/** The engine's change kinds (rollout, image, config, restart, scale) in the user's language; a newer one as sent. */
export function changeKindLabel(kind: string): string {
  const known: Record<string, string> = {
    rollout: t('rca.change.rollout', 'rollout'),
    image: t('rca.change.image', 'image'),
    config: t('rca.change.config', 'config'),
    restart: t('rca.change.restart', 'restart'),
    scale: t('rca.change.scale', 'scale'),
  };
  return known[kind] ?? kind;
}

/**
 * The signal ids the engine sends in the user's language: its default signals (engine/src/config/schema.ts
 * DEFAULT_SIGNALS), the ones it derives from traces (rca/traces/seriesFromSpans.ts) and a candidate's 'logs',
 * 'events' or 'unknown' (rca/rank/rankCandidates.ts); a signal the user configured shows as named.
 */
export function signalLabel(signal: string): string {
  const known: Record<string, string> = {
    request_rate: t('rca.signal.request_rate', 'request_rate'),
    error_ratio: t('rca.signal.error_ratio', 'error_ratio'),
    latency_p99: t('rca.signal.latency_p99', 'latency_p99'),
    cpu: t('rca.signal.cpu', 'cpu'),
    memory: t('rca.signal.memory', 'memory'),
    restarts: t('rca.signal.restarts', 'restarts'),
    trace_span_rate: t('rca.signal.trace_span_rate', 'trace_span_rate'),
    trace_self_time_p90: t('rca.signal.trace_self_time_p90', 'trace_self_time_p90'),
    trace_inbound_gap_p90: t('rca.signal.trace_inbound_gap_p90', 'trace_inbound_gap_p90'),
    trace_latency_p90: t('rca.signal.trace_latency_p90', 'trace_latency_p90'),
    trace_errors: t('rca.signal.trace_errors', 'trace_errors'),
    logs: t('rca.signal.logs', 'logs'),
    events: t('rca.signal.events', 'events'),
    unknown: t('rca.signal.unknown', 'unknown'),
  };
  return known[signal] ?? signal;
}

/** A metric's deviation (engine-client's describeDeviation, the engine's wording) in the user's language. */
export function deviationText(m: RcaCandidate['evidence']['metrics'][number]): string {
  return describeDeviation(m, (d) => {
    if (d.kind === 'z') {
      return t('rca.deviation.z', '{{z}} robust σ', { z: d.z });
    }
    const factor = { factor: d.factor };
    if (d.side === 'above') {
      return d.factor
        ? t('rca.deviation.far-above-by', "far above the baseline's range, over 100 robust σ (×{{factor}})", factor)
        : t('rca.deviation.far-above', "far above the baseline's range, over 100 robust σ");
    }
    return d.factor
      ? t('rca.deviation.far-below-by', "far below the baseline's range, over 100 robust σ (×{{factor}})", factor)
      : t('rca.deviation.far-below', "far below the baseline's range, over 100 robust σ");
  });
}

/**
 * The narrative's lead: at most `max` sentences, and no longer than `maxChars`: the whole sentences that fit, else
 * (the template's first sentence alone packs four clauses) the first sentence cut at its last clause boundary before
 * the limit. Whole sentences come first: cutting at the last clause boundary of any sentence left the demo's lead
 * ending in "Other suspects: checkout (latency …". `truncated` says whether the full text holds more, for a details
 * toggle.
 */
export function leadOf(text: string, max = 3, maxChars = 240): { lead: string; truncated: boolean } {
  const full = text.trim();
  const sentences = full.split(/(?<=[.!?])\s+(?=[A-Z0-9`"(])/).filter((s) => s.length > 0);
  const kept: string[] = [];
  for (const sentence of sentences.slice(0, max)) {
    if ([...kept, sentence].join(' ').length > maxChars) {
      break;
    }
    kept.push(sentence);
  }
  const lead = kept.length > 0 ? kept.join(' ') : clauseCut(sentences[0] ?? full, maxChars);
  return { lead, truncated: lead !== full };
}

/** A sentence longer than `maxChars` cut at its last clause boundary before the limit, marked with an ellipsis. */
function clauseCut(sentence: string, maxChars: number): string {
  if (sentence.length <= maxChars) {
    return sentence;
  }
  const head = sentence.slice(0, maxChars);
  const cut = Math.max(head.lastIndexOf('; '), head.lastIndexOf(': '));
  return `${(cut > 0 ? head.slice(0, cut) : head).trimEnd()} …`;
}
