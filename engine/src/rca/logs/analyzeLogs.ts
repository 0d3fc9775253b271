import type { RcaConfig } from '../config.js';
import type { IncidentWindow, LogRecord } from '../types.js';
import type { LogEvidence } from '../schemas.js';
import { Drain } from './Drain.js';
import { compileMasks } from './masking.js';
import { saturate } from '../anomaly/scoreSeries.js';
import { redactSecrets } from '../../util/redact.js';

export type LogSettings = RcaConfig['logs'];

export interface ServiceLogResult {
  /** Strongest template evidence, saturated like a robust z so it is comparable with metric scores. */
  score: number;
  evidence: LogEvidence[];
}

const FAILURE_WORDS =
  /\b(error|errors|exception|fail(ed|ure)?|fatal|panic|timeout|timed out|refused|denied|unavailable|crash|killed|abort(ed)?|severe|critical)\b/i;

/**
 * Mines templates over baseline + incident logs with one Drain tree, then compares each template's rate in the
 * incident with its rate in the baseline per service. A template that is new, or bursts by more than the configured
 * factor, is evidence; its score is a Poisson z of the excess count (with one pseudo-count in the baseline so a new
 * template is not infinitely surprising), boosted when its words say something failed.
 */
export function analyzeLogs(
  logs: LogRecord[],
  window: IncidentWindow,
  settings: LogSettings,
): Map<string, ServiceLogResult> {
  const drain = new Drain({ ...settings, masks: compileMasks(settings.extraMasks) });
  const sorted = logs
    .filter((l) => l.timestamp >= window.baselineStart && l.timestamp <= window.end)
    .sort((a, b) => a.timestamp - b.timestamp);
  // Mine every line first: events are final only once all lines are in (few-valued words split off; see
  // Drain.eventKey).
  const split = sorted.map((line) => drain.split(line.message));
  const tokens = split.map((l) => l.tokens);
  const clusters = split.map((l) => drain.addTokens(l.tokens, l.shown));
  // service -> event key -> counts
  const counts = new Map<
    string,
    Map<string, { baseline: number; incident: number; sample: string; template: string }>
  >();
  const coverage = new Map<string, { first: number; last: number }>();
  for (let i = 0; i < sorted.length; i++) {
    const line = sorted[i]!;
    const key = drain.eventKey(clusters[i]!, tokens[i]!);
    let perService = counts.get(line.service);
    if (!perService) counts.set(line.service, (perService = new Map()));
    let entry = perService.get(key);
    if (!entry) {
      const template = drain.eventTemplate(clusters[i]!, tokens[i]!);
      perService.set(key, (entry = { baseline: 0, incident: 0, sample: '', template }));
    }
    if (line.timestamp < window.start) {
      entry.baseline++;
      const span = coverage.get(line.service);
      if (!span) coverage.set(line.service, { first: line.timestamp, last: line.timestamp });
      else span.last = line.timestamp;
    } else {
      if (entry.incident === 0) entry.sample = line.message.slice(0, 500);
      entry.incident++;
    }
  }

  // The incident rate is measured over the time the logs cover after the onset (all services together: one quiet
  // service must not shrink it), which is shorter than the window when logs were fetched early or cut.
  let lastIncident = window.start;
  for (const line of sorted) if (line.timestamp >= window.start) lastIncident = line.timestamp;
  const incidentSeconds = Math.max(1, Math.min(window.end, lastIncident + 1) - window.start);
  const results = new Map<string, ServiceLogResult>();
  for (const [service, perService] of counts) {
    // Rates compare against the baseline the logs actually cover: tails are cut by line count, and a pod started
    // recently has no history. Without enough covered baseline nothing can be called new or bursting.
    const span = coverage.get(service);
    const baselineSeconds = span ? Math.min(window.start, span.last + 1) - span.first : 0;
    if (baselineSeconds < settings.minBaselineCoverageSeconds) continue;
    // How many incident lines a template's baseline count predicts: by elapsed time, or by the service's own volume
    // (its share of the service's lines), which a change of traffic between the baseline and now does not disturb.
    let baselineLines = 0;
    let incidentLines = 0;
    for (const c of perService.values()) {
      baselineLines += c.baseline;
      incidentLines += c.incident;
    }
    const scale = settings.normalizeByVolume
      ? incidentLines / Math.max(1, baselineLines)
      : incidentSeconds / baselineSeconds;
    const evidence: Array<LogEvidence & { score: number }> = [];
    for (const c of perService.values()) {
      if (c.incident < settings.minIncidentCount) continue;
      const expected = (c.baseline + 1) * scale;
      if (c.incident < settings.burstFactor * expected) continue;
      const z = (c.incident - expected) / Math.sqrt(expected);
      const template = c.template;
      const boost = FAILURE_WORDS.test(template) ? settings.errorKeywordBoost : 1;
      evidence.push({
        template,
        countBaseline: c.baseline,
        countIncident: c.incident,
        sample: c.sample,
        isNew: c.baseline === 0,
        score: saturate(z, 10) * boost,
      });
    }
    if (evidence.length === 0) continue;
    evidence.sort((a, b) => b.score - a.score);
    // A result is served to every viewer: a line (or a template whose constant part) holding a password or token
    // is shown with it masked, as the assistant shows logs (found by SEC: samples were the raw line).
    results.set(service, {
      score: evidence[0]!.score,
      evidence: evidence.slice(0, 5).map(({ score: _score, ...rest }) => ({
        ...rest,
        template: redactSecrets(rest.template).text,
        sample: redactSecrets(rest.sample).text,
      })),
    });
  }
  return results;
}
