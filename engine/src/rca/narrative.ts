import type { RcaCandidate } from './schemas.js';
import type { RcaTarget, Summarizer } from './types.js';

const fmt = (v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3));
const when = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/**
 * A robust z for people. Beyond about 100 its exact size says how flat the baseline was rather than how bad the
 * incident is (0.45% errors → 55% is "+4500σ" against a quiet hour), so it reads as the factor the level changed by.
 */
export function describeDeviation(m: { deviation: number; baselineMedian: number; incidentValue: number }): string {
  if (Math.abs(m.deviation) <= 100) return `${m.deviation >= 0 ? '+' : ''}${fmt(m.deviation)} robust σ`;
  const side = m.deviation > 0 ? 'above' : 'below';
  const ratio = m.baselineMedian !== 0 ? Math.abs(m.incidentValue / m.baselineMedian) : Infinity;
  const factor = Number.isFinite(ratio) && ratio > 0 ? ` (×${ratio >= 10 ? ratio.toFixed(0) : ratio.toPrecision(2)})` : '';
  return `far ${side} the baseline's range, over 100 robust σ${factor}`;
}

function describeCandidate(c: RcaCandidate): string {
  const parts: string[] = [];
  const m = c.evidence.metrics[0];
  if (m) {
    parts.push(
      `${m.signal} went from ${fmt(m.baselineMedian)} to ${fmt(m.incidentValue)}${m.unit ? ` ${m.unit}` : ''} (${describeDeviation(m)}${m.changePoint ? `, change at ${when(m.changePoint)}` : ''})`,
    );
  }
  const log = c.evidence.logs[0];
  if (log) parts.push(`log template "${log.template}" ${log.isNew ? 'appeared' : 'burst'} (${log.countBaseline} → ${log.countIncident})`);
  const event = c.evidence.events[0];
  if (event) parts.push(`event ${event.reason} on ${event.object} (×${event.count})`);
  const change = c.evidence.changes[0];
  if (change) parts.push(`recent change: ${change.description}`);
  return parts.join('; ');
}

/** The narrative without a model: deterministic, built from the ranked evidence. */
export function templateNarrative(candidates: RcaCandidate[], target: RcaTarget | undefined, reason?: string): string {
  const subject = target ? `The incident on ${target.service}${target.signal ? ` (${target.signal})` : ''}` : 'The incident';
  if (candidates.length === 0) return `${subject}: no root cause found. ${reason ?? 'No signal moved beyond its normal range.'}`;
  const [first, ...rest] = candidates;
  const lines = [
    `${subject} most likely starts at ${first!.service} (${first!.faultType}, score ${fmt(first!.score)}): ${describeCandidate(first!)}.`,
  ];
  const others = rest.slice(0, 2);
  if (others.length) {
    lines.push(`Other suspects: ${others.map((c) => `${c.service} (${c.faultType}: ${describeCandidate(c)})`).join('; ')}.`);
  }
  return lines.join(' ');
}

/** The prompt given to the model: the evidence only, with an instruction not to invent anything beyond it. */
export function narrativePrompt(candidates: RcaCandidate[], target: RcaTarget | undefined): string {
  const evidence = candidates.slice(0, 5).map((c, i) => ({
    rank: i + 1,
    service: c.service,
    faultType: c.faultType,
    score: c.score,
    metrics: c.evidence.metrics.slice(0, 3),
    logs: c.evidence.logs.slice(0, 3),
    events: c.evidence.events.slice(0, 3),
    changes: c.evidence.changes.slice(0, 3),
  }));
  return [
    'You are helping an on-call engineer. Summarise this root-cause analysis in at most 5 sentences:',
    'name the most likely root cause and why, then what to check first. Use only the evidence below;',
    'if it is weak, say so.',
    `Target: ${target ? JSON.stringify(target) : 'none given'}`,
    `Ranked candidates with evidence: ${JSON.stringify(evidence)}`,
  ].join('\n');
}

/** Model narrative when a summarizer is configured and answers; the template otherwise. */
export async function writeNarrative(
  candidates: RcaCandidate[],
  target: RcaTarget | undefined,
  reason: string | undefined,
  summarizer: Summarizer | undefined,
  warnings: string[],
): Promise<{ narrative: string; source: 'template' | 'model' }> {
  const fallback = templateNarrative(candidates, target, reason);
  if (!summarizer || candidates.length === 0) return { narrative: fallback, source: 'template' };
  try {
    const text = (await summarizer.summarize(narrativePrompt(candidates, target))).trim();
    if (text) return { narrative: text, source: 'model' };
    warnings.push('model returned an empty narrative; used the template');
  } catch (error) {
    warnings.push(`model narrative failed (${error instanceof Error ? error.message : String(error)}); used the template`);
  }
  return { narrative: fallback, source: 'template' };
}
